import fs from 'node:fs/promises';
import path from 'node:path';
import { error, warning, type Diagnostic } from '../diagnostics/error.js';
import { readSource, type KnownSources, type SourceFile, type SourceMemo, type SourceStat } from './read-source.js';
import { walk, type WalkOptions } from './walk.js';

export type { KnownSources, SourceFile, SourceMemo, SourceStat } from './read-source.js';

// The output writer and the watcher list folders with it too.
export { walk, type WalkOptions };

/**
 * Lists every markdown file (`.md`, `.markdown`, `.mdown`, `.mkd`; not Hugo's `_index.md`) under `postsDir` (nested folders included), sorted by path, and reads it. With `memo`
 * (texts read by earlier builds of this process, by path and stat), a file whose size, mtime and inode are unchanged
 * is not read again; the folder is always walked, so added, deleted and renamed files are seen.
 * With `postCache`, every file is stat'ed first and a file the cache holds a post for (same size, mtime and inode)
 * is not read: its `text` is read only if something asks for it.
 */
export async function discoverSources(
  postsDir: string,
  memo?: SourceMemo,
  postCache?: KnownSources,
  /** The blog's folder: symbolic links to files inside it are followed, others reported. @default postsDir's parent */
  root = path.dirname(postsDir),
  /** Stats of files taken already this build, before any was read (see readSource). @default undefined */
  statOf?: (file: string) => SourceStat | undefined,
): Promise<{ sources: SourceFile[]; diagnostics: Diagnostic[]; /** Sources neither the memo nor the post cache knew: new or changed files. */ fresh: number }> {
  const diagnostics: Diagnostic[] = [];
  let fresh = 0;
  let stat;
  try {
    stat = await fs.stat(postsDir);
  } catch {
    // A posts folder that cannot be stat'ed is reported as missing (PostsFolderMissing) just below.
    stat = undefined;
  }
  if (!stat?.isDirectory()) {
    return {
      sources: [],
      fresh,
      diagnostics: [
        // The folder itself is the location, so it prints relative to where blogbuild runs (`posts: error: …`).
        error('PostsFolderMissing', { isFile: Boolean(stat) }, { file: postsDir }),
      ],
    };
  }

  const files = (await walk(postsDir, { root, onSkippedLink: (link, reason) => diagnostics.push(skippedLink(link, reason)) })).sort();
  // Hugo's `_index.md` describes a section (a list page), not a post.
  const markdown = files.filter((file) => isMarkdown(file) && !isSectionFile(file));
  const bundleFiles = new Map(markdown.filter((file) => isBundleFile(file, postsDir)).map((file) => [path.dirname(file), file]));
  const bundleDirs = new Set(bundleFiles.keys());
  diagnostics.push(...(await skippedPostWarnings(files, bundleDirs)));
  // The dev server's start (a post index to read, no stats taken yet): a worker thread stats the sources while this
  // one reads the index, and goes on ahead of this one as it reads them; a source the worker has not reached yet is
  // stat'ed here rather than waited for (a first start has no index: this thread starts reading at once). A stat
  // costs ~15 µs here, from this thread or libuv's: 150 ms at 10,000 posts.
  const stats = postCache?.prepare && !statOf && markdown.length >= statWorkerFrom ? await statInWorker(markdown, () => postCache.prepare!()) : undefined;
  const statFrom = statOf ?? stats?.statOf;
  // The walk joins names to postsDir: under a normalized absolute folder, a file's relative path is a slice of it
  // (path.relative resolves both paths each time: ~40 ms for 10,000 sources).
  const isPlain = path.isAbsolute(postsDir) && path.normalize(postsDir) === postsDir;
  const relativeOf = (file: string) => toPosix(isPlain && file.startsWith(postsDir) && file[postsDir.length] === path.sep ? file.slice(postsDir.length + 1) : path.relative(postsDir, file));
  // One at a time, in a plain loop: readSource is synchronous, so a promise for each of 10,000 sources bought nothing.
  const sources: SourceFile[] = [];
  for (const file of markdown) {
    const bundleDir = bundleFiles.size > 0 && bundleFiles.get(path.dirname(file)) === file ? path.dirname(file) : undefined;
    const assets = bundleDir
      ? files
          .filter((other) => ownerBundle(other, bundleDirs) === bundleDir && !isMarkdown(other) && !isSectionFile(other))
          .map((other) => toPosix(path.relative(bundleDir, other)))
      : [];
    const read = readSource({ path: file, relPath: relativeOf(file), bundleDir, assets }, memo, postCache, statFrom);
    if ('diagnostic' in read) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    if (read.isFresh) fresh++;
    sources.push(read.source);
  }
  stats?.close();
  return { sources, diagnostics, fresh };
}

/** From how many sources a worker stats them (see statInWorker): starting one costs ~30 ms of the other core. */
const statWorkerFrom = 1000;

/**
 * The worker of {@link statInWorker}: each file's size, mtime, ctime and inode into a shared Float64Array (size -1: no
 * stat), in order, publishing how many are done after each (Atomics.store: the stats before it are visible to a
 * thread that reads the count with Atomics.load).
 */
const statWorkerSource = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { files, stats: statsBuffer, done: doneBuffer } = workerData;
const stats = new Float64Array(statsBuffer);
const done = new Int32Array(doneBuffer);
for (let i = 0; i < files.length; i++) {
  const stat = fs.statSync(files[i], { throwIfNoEntry: false });
  if (!stat) stats[i * 4] = -1;
  else {
    stats[i * 4] = stat.size;
    stats[i * 4 + 1] = stat.mtimeMs;
    stats[i * 4 + 2] = stat.ctimeMs;
    stats[i * 4 + 3] = stat.ino;
  }
  Atomics.store(done, 0, i + 1);
}
`;

/**
 * The stats of `files`, taken in order by a worker thread while `meanwhile` runs on this one and after: the answer
 * for a file the worker has stat'ed, undefined for one it has not reached yet (or could not stat), which the caller
 * stats itself (readSource), not waiting for the worker. `close` stops the worker. No worker could start: undefined.
 */
async function statInWorker(files: readonly string[], meanwhile: () => void): Promise<{ statOf: (file: string) => SourceStat | undefined; close: () => void } | undefined> {
  const stats = new Float64Array(new SharedArrayBuffer(files.length * 4 * Float64Array.BYTES_PER_ELEMENT));
  const done = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  let worker: import('node:worker_threads').Worker;
  try {
    const { Worker } = await import('node:worker_threads');
    worker = new Worker(statWorkerSource, { eval: true, workerData: { files, stats: stats.buffer, done: done.buffer } });
  } catch {
    // No worker (resource limits): the sources are stat'ed on this thread.
    return undefined;
  }
  // A worker that fails stops publishing: this thread stats the rest.
  worker.on('error', () => undefined);
  worker.unref();
  meanwhile();
  const indexOf = new Map(files.map((file, i) => [file, i]));
  return {
    statOf(file) {
      const i = indexOf.get(file);
      if (i === undefined || i >= Atomics.load(done, 0) || stats[i * 4] < 0) return undefined;
      return { size: stats[i * 4], mtimeMs: stats[i * 4 + 1], ctimeMs: stats[i * 4 + 2], ino: stats[i * 4 + 3] };
    },
    close: () => void worker.terminate(),
  };
}

/** The extensions of markdown posts: `.md`, `.markdown`, `.mdown`, `.mkd` (any case). */
export const markdownExtension = /\.(md|markdown|mdown|mkd)$/i;

/** Whether a file is a markdown post by its extension. */
export function isMarkdown(file: string): boolean {
  return markdownExtension.test(file);
}

function isSectionFile(file: string): boolean {
  return /^_index\.[^.]+$/i.test(path.basename(file));
}

/**
 * Whether a markdown file is its folder's page bundle: `folder/index.md` (Hugo), or a file named like its folder,
 * `folder/folder.md`. Files straight in the posts folder are never bundles.
 */
function isBundleFile(file: string, postsDir: string): boolean {
  const dir = path.dirname(file);
  if (dir === postsDir) return false;
  const name = path.basename(file).replace(/\.[^.]+$/, '');
  return name.toLowerCase() === 'index' || name === path.basename(dir);
}

/** Other generators' post formats, which blogbuild does not read: a file with one of these is reported, not skipped unseen. */
const otherPostFormats = /\.(mdx|markdoc|mdoc|textile|rst|adoc|asciidoc|org|mkdn|mdwn|mdtxt|mdtext|markdn)$/i;

/** Formats that are posts only when they open with front matter (Jekyll's HTML posts), else ordinary files. */
const postsWithFrontMatter = /\.(html?|txt)$/i;

/** A warning for each file outside page bundles that looks like a post but is not read as one. */
async function skippedPostWarnings(files: string[], bundleDirs: Set<string>): Promise<Diagnostic[]> {
  const warnings: Diagnostic[] = [];
  for (const file of files) {
    const isOther = otherPostFormats.test(file);
    if (!isOther && !postsWithFrontMatter.test(file)) continue;
    if (ownerBundle(file, bundleDirs) || (!isOther && !(await opensWithFrontMatter(file)))) continue;
    warnings.push(warning('PostSkipped', { extension: path.extname(file) }, { file }));
  }
  return warnings;
}

async function opensWithFrontMatter(file: string): Promise<boolean> {
  // A file that cannot be opened is not reported here: it is not a post either way.
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
    return /^(\uFEFF)?(---|\+\+\+)\s/.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

/** The innermost bundle folder containing `file`, if any. */
function ownerBundle(file: string, bundleDirs: Set<string>): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (bundleDirs.has(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The warning for a symbolic link that is not followed. */
export function skippedLink(link: string, reason: string): Diagnostic {
  return warning('SymlinkSkipped', { reason }, { file: link });
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}
