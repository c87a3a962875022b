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
        const code = (cause as NodeJS.ErrnoException).code;
        if (code === 'EBUSY' || code === 'EXDEV' || code === 'EPERM') {
          // A mount point or a folder another program holds open cannot be renamed: sync into it instead.
          await syncInto(staging, outDir);
          await fs.rm(staging, { recursive: true, force: true });
          return;
        }
        if (code !== 'ENOENT') throw cause;
      }
      try {
        await fs.rename(staging, outDir);
      } catch (cause) {
        if (hadOld) await fs.rename(old, outDir);
        throw cause;
      }
      if (hadOld) await fs.rm(old, { recursive: true, force: true });
      await removeLeftovers(parent, path.basename(outDir));
    },
    async abort() {
      await fs.rm(staging, { recursive: true, force: true });
    },
  };
}

/** Removes staging folders of builds that were killed (their process is gone). */
async function removeLeftovers(parent: string, base: string): Promise<void> {
  const prefix = `.${base}.blogbuild-`;
  for (const name of await fs.readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/-(?:tmp|old)-(\d+)-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && isAlive(pid)) continue;
    if (pid === process.pid) continue;
    await fs.rm(path.join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes `target` hold exactly the files of `source` (for output folders that cannot be swapped). */
async function syncInto(source: string, target: string): Promise<void> {
  const { walk } = await import('../content/discover.js');
  const wanted = new Set((await walk(source)).map((file) => path.relative(source, file)));
  for (const file of await walk(target)) {
    if (!wanted.has(path.relative(target, file))) await fs.rm(file, { force: true });
  }
  for (const rel of wanted) {
    const to = path.join(target, rel);
    await fs.mkdir(path.dirname(to), { recursive: true });
    const bytes = await fs.readFile(path.join(source, rel));
    if (!(await sameBytes(to, bytes))) await fs.writeFile(to, bytes);
  }
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
