import { randomBytes } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../render/render-pages.js';
import { commitCopy, commitReplace, commitSwap, listFiles, recoverOutput, workPaths, type WorkPaths } from './commit.js';
import { holdsExactly, tryStat, type Manifest, type ManifestFile } from './manifest.js';
import { markerFile, resolveOutputDir } from './output-folder.js';
import { statsInPlace, type OutputStats } from './output-stats.js';
import { bytesOf, planFile, stagedWriter, writeRecorder, type Plan } from './write-plan.js';

export type { OutputStats } from './output-stats.js';

/** Where a build puts its files. `commit` makes them visible all at once; `abort` drops them. */
export interface Writer {
  /** Writes every file; `path` is relative to the output folder, `/`-separated. */
  writeAll(files: OutputFile[]): Promise<WriteStats>;
  /** Makes the written files the output. */
  commit(): Promise<void>;
  /** Drops what was written; the previous output stays as it was. */
  abort(): Promise<void>;
  /**
   * Whether the writer needs no page whose hash it is given (a page made from the same inputs before): the build
   * then keys its pages with the persistent cache as for its own output folder (the dev server's background check).
   */
  readonly isKeyed?: boolean;
  /**
   * The output folder as the commit left it: the stat of every file and folder, from those the writer took (an
   * update in place stats them all anyway); undefined when it does not know them.
   */
  outputStats?(): OutputStats | undefined;
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
        const made = file.source !== undefined ? await fs.readFile(file.source) : file.render ? file.render() : file.contents;
        pending.set(file.path, typeof made === 'string' ? encoder.encode(made) : made);
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
   * Where the record is kept of each output file written last time: a hash of its bytes and its size, mtime and
   * inode. With it, an unchanged file is recognised by hashing the new bytes and checking the old file's `stat`,
   * without reading the old file. Without it (or when it is missing, damaged, or for another output folder),
   * every previous file is read and compared. @default undefined (no manifest)
   */
  manifest?: ManifestFile;
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
  /** What an update in place stat'ed, for {@link Writer.outputTree}; the files it replaced, once committed. */
  let inPlace: { plans: Plan[]; folders: Map<string, fsSync.Stats>; replaced?: string[] } | undefined;
  let recorded: OutputStats | undefined;

  const start = (): WorkPaths => {
    if (!work) ({ work, isRenamable } = makeStaging(outDir, tag));
    return work;
  };

  return {
    async writeAll(files) {
      // A build killed during an earlier commit is finished first.
      recoverOutput(outDir);
      const outputs = [...files, markerFile];
      const previous = options.manifest?.read(outDir);
      // The marker is not one of the build's files: it is not counted.
      const recorder = writeRecorder(outDir, markerFile);
      const staged = stagedWriter(() => start().staging, recorder);
      const { plans, isStreaming } = planAll(outputs, outDir, previous, staged.write);
      nextManifest = options.manifest ? recorder.manifest : undefined;

      // A few changed files and the same set of files as before: replace just those, each by a rename on commit.
      // A build that fails before commit leaves the output as it was, as with the swap below, which costs a link
      // per unchanged file and the removal of the old tree.
      if (!isStreaming && plans.every((plan) => plan.oldStat)) {
        // Folders the last build found exact are trusted by their stat only when it wrote the same files.
        const trusted = previous?.dirs && Object.keys(previous.files).length === outputs.length && outputs.every((file) => file.path in previous.files) ? previous.dirs : undefined;
        const folders = new Map<string, fsSync.Stats>();
        const found = holdsExactly(outDir, outputs, trusted, (rel, stat) => folders.set(rel, stat));
        if (found.isExact) {
          // The folders are recorded as found before this commit: those it renames files into get another stat.
          recorder.manifest.dirs = found.verified;
          replacements = stageReplacements(plans, staged, recorder);
          inPlace = { plans, folders };
          return recorder.stats;
        }
      }
      start();
      stageTree(plans, staged, recorder);
      return recorder.stats;
    },
    async commit() {
      if (replacements) {
        if (replacements.length > 0) {
          if (isRenamable) commitReplace(work!, replacements);
          else commitCopy(work!, replacements, []);
        }
        if (inPlace) inPlace.replaced = replacements;
        replacements = undefined;
      } else {
        const paths = start();
        if (isRenamable) commitSwap(paths);
        else commitCopy(paths, listFiles(paths.staging), listFiles(paths.dir).filter((rel) => !fsSync.existsSync(path.join(paths.staging, rel))));
      }
      if (options.manifest && nextManifest) {
        const failure = options.manifest.write(nextManifest);
        if (failure !== undefined) options.onManifestError?.(failure);
      }
    },
    outputStats() {
      if (inPlace?.replaced) recorded ??= statsInPlace(outDir, inPlace.plans, inPlace.folders, inPlace.replaced);
      return recorded;
    },
    async abort() {
      replacements = undefined;
      inPlace = undefined;
      // A commit that failed and could not undo itself keeps its journal and files, for the next command to finish.
      if (work && !fsSync.existsSync(work.journal)) await fs.rm(work.staging, { recursive: true, force: true });
    },
  };
}

/**
 * Makes the staging folder beside the output folder, else (its parent cannot be written) beside `outDir`; and
 * whether renames can move files between it and the output folder (one file system).
 */
function makeStaging(outDir: string, tag: string): { work: WorkPaths; isRenamable: boolean } {
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
    const device = tryStat(dir)?.dev ?? tryStat(parent)?.dev;
    return { work: candidate, isRenamable: parent === path.dirname(dir) && device === tryStat(candidate.staging)?.dev };
  }
  throw new Error(`cannot write beside ${dir}`);
}

type Staged = ReturnType<typeof stagedWriter>;
type Recorder = ReturnType<typeof writeRecorder>;

/** Stages the changed files only, for an update in place; returns their paths. */
function stageReplacements(plans: Plan[], staged: Staged, recorder: Recorder): string[] {
  const replacements: string[] = [];
  for (const plan of plans) {
    if (plan.isSame) recorder.record(plan, 'unchanged', plan.oldStat!);
    else {
      staged.write(plan, plan.bytes!);
      replacements.push(plan.file.path);
    }
  }
  return replacements;
}

/** Stages the whole new tree: unchanged files hard-linked from the old output, the rest written. */
function stageTree(plans: Plan[], staged: Staged, recorder: Recorder): void {
  for (const plan of plans) {
    if (plan.isWritten) continue;
    if (plan.isSame) {
      try {
        fsSync.linkSync(plan.old, staged.stagedPath(plan.file));
        recorder.record(plan, 'unchanged', plan.oldStat!);
        continue;
      } catch {
        // Another file system or no hard links: fall through and write.
      }
    }
    staged.write(plan, plan.bytes ?? bytesOf(plan.file));
  }
}

/** Most changed files updated in place (one rename each) rather than by swapping in a new tree. */
const inPlaceLimit = 32;

/**
 * Plans every file (see planFile). The bytes of changed files are kept only while they could still be updated in
 * place (a few of them); past that, the build swaps in a new tree, so each changed file goes to the staging folder
 * at once (`write`) and its bytes are dropped: a cold build of 10,000 pages holds one page at a time, not all.
 */
function planAll(outputs: OutputFile[], outDir: string, previous: Manifest | undefined, write: (plan: Plan, bytes: Buffer) => void): { plans: Plan[]; isStreaming: boolean } {
  const plans: Plan[] = [];
  let changedCount = 0;
  let isStreaming = false;
  for (const file of outputs) {
    const plan = planFile(file, outDir, previous?.files[file.path]);
    plans.push(plan);
    if (plan.isSame) continue;
    changedCount++;
    const bytes = plan.bytes ?? bytesOf(file);
    plan.bytes = undefined;
    if (!isStreaming && changedCount > inPlaceLimit) {
      isStreaming = true;
      for (const kept of plans) if (kept.bytes) write(kept, kept.bytes);
    }
    if (isStreaming) write(plan, bytes);
    else plan.bytes = bytes;
  }
  return { plans, isStreaming };
}
