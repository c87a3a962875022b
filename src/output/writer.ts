import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../render/render-pages.js';

/** Where a build puts its files. `commit` makes them visible all at once; `abort` drops them. */
export interface Writer {
  /** Writes every file; `path` is relative to the output folder, `/`-separated. */
  writeAll(files: OutputFile[]): Promise<WriteStats>;
  /** Makes the written files the output. */
  commit(): Promise<void>;
  /** Drops what was written; the previous output stays as it was. */
  abort(): Promise<void>;
}

/** What a write did. */
export interface WriteStats {
  /** Files whose bytes changed or are new. */
  written: number;
  /** Files identical to the previous output, kept with their mtime. */
  unchanged: number;
}

/** A writer that keeps files in memory: for tests, `check` and `--dry-run`. */
export interface MemoryWriter extends Writer {
  /** Output path → contents, after commit. */
  files: Map<string, Uint8Array>;
  /** Contents of a file as text. */
  read(filePath: string): string | undefined;
}

/** Builds in memory, like Eleventy's toJSON or Lume's EmptyWriter. */
export function memoryWriter(): MemoryWriter {
  const pending = new Map<string, Uint8Array>();
  const files = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  return {
    files,
    read: (filePath) => {
      const bytes = files.get(filePath);
      return bytes && new TextDecoder().decode(bytes);
    },
    async writeAll(outputs) {
      for (const file of outputs) {
        pending.set(file.path, file.source !== undefined ? await fs.readFile(file.source) : typeof file.contents === 'string' ? encoder.encode(file.contents) : file.contents);
      }
      return { written: outputs.length, unchanged: 0 };
    },
    async commit() {
      files.clear();
      for (const [key, value] of pending) files.set(key, value);
      pending.clear();
    },
    async abort() {
      pending.clear();
    },
  };
}

/**
 * Writes to a temporary folder beside `outDir` and swaps it in on commit, so a failed build leaves the previous
 * output exactly as it was. Files whose bytes equal the previous output are hard-linked from it instead of
 * written, so they keep their mtime and sync-by-mtime deploy tools upload only real changes.
 */
export function fsWriter(outDir: string): Writer {
  const parent = path.dirname(outDir);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = path.join(parent, `.${path.basename(outDir)}.blogbuild-tmp-${tag}`);
  let isStarted = false;

  const start = async () => {
    if (isStarted) return;
    await fs.mkdir(staging, { recursive: true });
    isStarted = true;
  };

  return {
    async writeAll(outputs) {
      await start();
      const stats: WriteStats = { written: 0, unchanged: 0 };
      const dirs = new Set(outputs.map((file) => path.dirname(path.join(staging, file.path))));
      for (const dir of [...dirs].sort()) await fs.mkdir(dir, { recursive: true });
      await eachLimit(outputs, 32, async (file) => {
        const target = path.join(staging, file.path);
        const bytes = file.source !== undefined ? await fs.readFile(file.source) : typeof file.contents === 'string' ? Buffer.from(file.contents) : Buffer.from(file.contents);
        const previous = path.join(outDir, file.path);
        if (await sameBytes(previous, bytes)) {
          try {
            await fs.link(previous, target);
            stats.unchanged++;
            return;
          } catch {
            // Another file system or no hard links: fall through and write.
          }
        }
        await fs.writeFile(target, bytes);
        stats.written++;
      });
      return stats;
    },
    async commit() {
      await start();
      const old = path.join(parent, `.${path.basename(outDir)}.blogbuild-old-${tag}`);
      let hadOld = false;
      try {
        await fs.rename(outDir, old);
        hadOld = true;
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
      }
      try {
        await fs.rename(staging, outDir);
      } catch (cause) {
        if (hadOld) await fs.rename(old, outDir);
        throw cause;
      }
      if (hadOld) await fs.rm(old, { recursive: true, force: true });
    },
    async abort() {
      await fs.rm(staging, { recursive: true, force: true });
    },
  };
}

async function sameBytes(file: string, bytes: Buffer): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (stat.size !== bytes.length) return false;
    return bytes.equals(await fs.readFile(file));
  } catch {
    return false;
  }
}

async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}
