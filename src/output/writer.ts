import { randomBytes } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../render/render-pages.js';
import { commitCopy, commitReplace, commitSwap, listFiles, recoverOutput, sameBytes, workPaths, type WorkPaths } from './commit.js';
import { holdsExactly, readOutputManifest, sha1, statSignature, tryStat, writeManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { markerFile, resolveOutputDir } from './output-folder.js';

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
  /** Called when the manifest cannot be written (the build still succeeds; the next one reads more). @default undefined */
  onManifestError?: (cause: unknown) => void;
}

/**
 * Writes to a temporary folder beside `outDir` and makes it the output on commit (see commit.ts), so a failed build
 * leaves the previous output exactly as it was and a killed one the previous or the new output. Files whose bytes
 * equal the previous output are hard-linked from it instead of written, so they keep their mtime and sync-by-mtime
 * deploy tools upload only real changes. A symlinked `outDir` stays a link: its target gets the output. Every output
 * holds the marker file `.blogbuild` (see output-folder.ts).
 *
 * The many small file operations are synchronous: on one thread they cost a few microseconds each, where the
 * promise API pays a thread-pool round trip per call.
 */
export function fsWriter(outDir: string, options: FsWriterOptions = {}): Writer {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  let work: WorkPaths | undefined;
  /** Whether renames can move files between the staging folder and the output folder (one file system). */
  let isRenamable = true;
  let nextManifest: Manifest | undefined;
  /** In-place updates: the changed files, renamed from the staging folder over the old ones on commit. */
  let replacements: string[] | undefined;

  /** Makes the staging folder beside the output folder, else (its parent cannot be written) beside `outDir`. */
  const start = (): WorkPaths => {
    if (work) return work;
    const dir = resolveOutputDir(outDir);
    const parents = [...new Set([path.dirname(dir), path.dirname(outDir)])];
    for (const [i, parent] of parents.entries()) {
      const candidate = workPaths(dir, parent, tag);
      try {
        fsSync.mkdirSync(parent, { recursive: true });
        fsSync.mkdirSync(candidate.staging);
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        if (i < parents.length - 1 && (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')) continue;
        throw cause;
      }
      work = candidate;
      const device = tryStat(dir)?.dev ?? tryStat(parent)?.dev;
      isRenamable = parent === path.dirname(dir) && device === tryStat(candidate.staging)?.dev;
      return work;
    }
    throw new Error(`cannot write beside ${dir}`);
  };

  return {
    async writeAll(files) {
      // A build killed during an earlier commit is finished first.
      recoverOutput(outDir);
      const outputs = [...files, markerFile];
      const stats: WriteStats = { written: 0, unchanged: 0 };
      // The marker is not one of the build's files: it is not counted.
      const count = (file: OutputFile, kind: keyof WriteStats) => {
        if (file !== markerFile) stats[kind]++;
      };
      const previous = options.manifest ? readOutputManifest(options.manifest, outDir) : undefined;
      const manifest: Manifest = { format: 1, outDir, files: Object.create(null) as Record<string, ManifestEntry>, ...(options.site === undefined ? {} : { site: options.site }) };
      const record = (file: OutputFile, hash: string, stat: fsSync.BigIntStats, sourceStat: string | undefined) => {
        manifest.files[file.path] = [hash, Number(stat.size), String(stat.mtimeNs), String(stat.ino), sourceStat ?? null, file.renderKey ?? null];
      };

      // Staging folders made so far, so each is made once.
      const made = new Set<string>();
      const stagedPath = (file: OutputFile) => {
        const target = path.join(start().staging, file.path);
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
        count(plan.file, 'written');
        // A rename keeps the inode and mtime, so the staged file's stat is the final file's.
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
            count(plan.file, 'unchanged');
            record(plan.file, plan.hash, plan.oldStat!, plan.sourceStat);
            continue;
          }
          writeStaged(plan, plan.bytes!);
          plan.bytes = undefined;
          replacements.push(plan.file.path);
        }
        return stats;
      }

      start();
      for (const plan of plans) {
        if (plan.isWritten) continue;
        if (plan.isSame) {
          try {
            fsSync.linkSync(plan.old, stagedPath(plan.file));
            count(plan.file, 'unchanged');
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
        if (replacements.length > 0) {
          if (isRenamable) commitReplace(work!, replacements);
          else commitCopy(work!, replacements, []);
        }
        replacements = undefined;
      } else {
        const paths = start();
        if (isRenamable) commitSwap(paths);
        else commitCopy(paths, listFiles(paths.staging), listFiles(paths.dir).filter((rel) => !fsSync.existsSync(path.join(paths.staging, rel))));
      }
      if (options.manifest && nextManifest) {
        const failure = writeManifest(options.manifest, nextManifest);
        if (failure !== undefined) options.onManifestError?.(failure);
      }
    },
    async abort() {
      replacements = undefined;
      // A commit that failed and could not undo itself keeps its journal and files, for the next command to finish.
      if (work && !fsSync.existsSync(work.journal)) await fs.rm(work.staging, { recursive: true, force: true });
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
