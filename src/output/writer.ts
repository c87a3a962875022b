import { randomBytes } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../render/render-pages.js';
import { holdsExactly, readOutputManifest, sha1, statSignature, tryStat, writeManifest, type Manifest, type ManifestEntry } from './manifest.js';

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
        pending.set(file.path, file.source !== undefined ? await fs.readFile(file.source) : file.render ? encoder.encode(file.render()) : typeof file.contents === 'string' ? encoder.encode(file.contents) : file.contents);
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

/** Options for {@link fsWriter}. */
export interface FsWriterOptions {
  /**
   * A file recording, for each output file written last time, a hash of its bytes and its size, mtime and inode.
   * With it, an unchanged file is recognised by hashing the new bytes and checking the old file's `stat`, without
   * reading the old file. Without it (or when it is missing, damaged, or for another output folder), every
   * previous file is read and compared. @default undefined (no manifest)
   */
  manifest?: string;
  /** Recorded in the manifest: the site fingerprint the pages were rendered under (see `siteFingerprint`). */
  site?: string;
}

/**
 * Writes to a temporary folder beside `outDir` and swaps it in on commit, so a failed build leaves the previous
 * output exactly as it was. Files whose bytes equal the previous output are hard-linked from it instead of
 * written, so they keep their mtime and sync-by-mtime deploy tools upload only real changes.
 *
 * The many small file operations are synchronous: on one thread they cost a few microseconds each, where the
 * promise API pays a thread-pool round trip per call.
 */
export function fsWriter(outDir: string, options: FsWriterOptions = {}): Writer {
  const parent = path.dirname(outDir);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = path.join(parent, `.${path.basename(outDir)}.blogbuild-tmp-${tag}`);
  let isStarted = false;
  let nextManifest: Manifest | undefined;

  const start = async () => {
    if (isStarted) return;
    await fs.mkdir(staging, { recursive: true });
    isStarted = true;
  };
  /** In-place updates: temp file → the file it replaces, renamed over it on commit. */
  let replacements: [temp: string, target: string][] | undefined;

  return {
    async writeAll(outputs) {
      const stats: WriteStats = { written: 0, unchanged: 0 };
      const previous = options.manifest ? readOutputManifest(options.manifest, outDir) : undefined;
      const manifest: Manifest = { format: 1, outDir, files: Object.create(null) as Record<string, ManifestEntry>, ...(options.site === undefined ? {} : { site: options.site }) };
      const record = (file: OutputFile, hash: string, stat: fsSync.BigIntStats, sourceStat: string | undefined) => {
        manifest.files[file.path] = [hash, Number(stat.size), String(stat.mtimeNs), String(stat.ino), sourceStat ?? null, file.renderKey ?? null];
      };

      // Staging folders made so far, so each is made once.
      const made = new Set<string>();
      const stagedPath = (file: OutputFile) => {
        const target = path.join(staging, file.path);
        const dir = path.dirname(target);
        if (!made.has(dir)) {
          fsSync.mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        return target;
      };
      const writeStaged = (plan: Plan, bytes: Buffer) => {
        const target = stagedPath(plan.file);
        fsSync.writeFileSync(target, bytes);
        stats.written++;
        record(plan.file, plan.hash, fsSync.statSync(target, { bigint: true }), plan.sourceStat);
      };

      // First decide, for every file, whether the previous output already holds its bytes. The bytes of changed
      // files are kept only while they could still be updated in place (a few of them); past that, the build
      // swaps in a new tree, so each changed file goes to the staging folder at once and its bytes are dropped:
      // a cold build of 10,000 pages holds one page at a time, not all of them.
      type Plan = { file: OutputFile; old: string; oldStat: fsSync.BigIntStats | undefined; sourceStat: string | undefined; hash: string; isSame: boolean; bytes?: Buffer; isWritten?: boolean };
      const plans: Plan[] = [];
      let changedCount = 0;
      let isStreaming = false;
      for (const file of outputs) {
        const old = path.join(outDir, file.path);
        const known = previous?.files[file.path];
        const sourceStat = file.source !== undefined ? statSignature(file.source) : undefined;
        const oldStat = tryStat(old);
        const isOldKnown = Boolean(known && oldStat && known[1] === Number(oldStat.size) && known[2] === String(oldStat.mtimeNs) && known[3] === String(oldStat.ino));
        let bytes: Buffer | undefined;
        let hash: string;
        if (known && file.source !== undefined && sourceStat !== undefined && known[4] === sourceStat) {
          // A copied file whose source has not changed since the last build: its bytes are those recorded.
          hash = known[0];
        } else if (known && file.renderKey !== undefined && known[5] === file.renderKey && (isOldKnown || !file.render)) {
          // A page rendered from the same inputs as the recorded one: the same bytes.
          hash = known[0];
        } else {
          bytes = bytesOf(file);
          hash = sha1(bytes);
        }

        let isSame = false;
        if (oldStat?.isFile()) {
          if (isOldKnown) {
            // The old file is the one the manifest describes: compare hashes, not bytes.
            isSame = known![0] === hash;
          } else {
            bytes ??= bytesOf(file);
            isSame = Number(oldStat.size) === bytes.length && sameBytes(old, bytes);
          }
        }
        const plan: Plan = { file, old, oldStat, sourceStat, hash, isSame };
        plans.push(plan);
        if (isSame) continue;
        changedCount++;
        bytes ??= bytesOf(file);
        if (!isStreaming && changedCount > inPlaceLimit) {
          isStreaming = true;
          await start();
          for (const kept of plans) {
            if (kept.bytes) {
              writeStaged(kept, kept.bytes);
              kept.bytes = undefined;
              kept.isWritten = true;
            }
          }
        }
        if (isStreaming) {
          writeStaged(plan, bytes);
          plan.isWritten = true;
        } else plan.bytes = bytes;
      }
      nextManifest = options.manifest ? manifest : undefined;

      // A few changed files and the same set of files as before: replace just those, each by a rename on commit.
      // A build that fails before commit leaves the output as it was, as with the swap below, which costs a link
      // per unchanged file and the removal of the old tree.
      if (!isStreaming && plans.every((plan) => plan.oldStat) && holdsExactly(outDir, outputs)) {
        replacements = [];
        for (const plan of plans) {
          if (plan.isSame) {
            stats.unchanged++;
            record(plan.file, plan.hash, plan.oldStat!, plan.sourceStat);
            continue;
          }
          const temp = path.join(path.dirname(plan.old), `.${path.basename(plan.old)}.blogbuild-tmp-${tag}`);
          replacements.push([temp, plan.old]);
          fsSync.writeFileSync(temp, plan.bytes!);
          plan.bytes = undefined;
          stats.written++;
          // A rename keeps the inode and mtime, so the temp file's stat is the final file's.
          record(plan.file, plan.hash, fsSync.statSync(temp, { bigint: true }), plan.sourceStat);
        }
        return stats;
      }

      await start();
      for (const plan of plans) {
        if (plan.isWritten) continue;
        if (plan.isSame) {
          try {
            fsSync.linkSync(plan.old, stagedPath(plan.file));
            stats.unchanged++;
            record(plan.file, plan.hash, plan.oldStat!, plan.sourceStat);
            continue;
          } catch {
            // Another file system or no hard links: fall through and write.
          }
        }
        writeStaged(plan, plan.bytes ?? bytesOf(plan.file));
        plan.bytes = undefined;
      }
      return stats;
    },
    async commit() {
      if (replacements) {
        for (const [temp, target] of replacements) fsSync.renameSync(temp, target);
        replacements = undefined;
        if (options.manifest && nextManifest) writeManifest(options.manifest, nextManifest);
        return;
      }
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
          if (options.manifest) await fs.rm(options.manifest, { force: true });
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
      if (options.manifest && nextManifest) writeManifest(options.manifest, nextManifest);
      if (hadOld) fsSync.rmSync(old, { recursive: true, force: true });
      await removeLeftovers(parent, path.basename(outDir));
    },
    async abort() {
      for (const [temp] of replacements ?? []) fsSync.rmSync(temp, { force: true });
      replacements = undefined;
      await fs.rm(staging, { recursive: true, force: true });
    },
  };
}

/** Most changed files updated in place (one rename each) rather than by swapping in a new tree. */
const inPlaceLimit = 32;

/** The bytes of an output file: read from its source, rendered now, or its contents. */
function bytesOf(file: OutputFile): Buffer {
  if (file.source !== undefined) return fsSync.readFileSync(file.source);
  if (file.render) return Buffer.from(file.render());
  return typeof file.contents === 'string' ? Buffer.from(file.contents) : Buffer.from(file.contents);
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
    if (!sameBytes(to, bytes)) await fs.writeFile(to, bytes);
  }
}

function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    const stat = fsSync.statSync(file);
    if (stat.size !== bytes.length) return false;
    return bytes.equals(fsSync.readFileSync(file));
  } catch {
    return false;
  }
}
