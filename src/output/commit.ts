// Making a build's files the output, so that a build that fails leaves the previous output and a build that is
// killed leaves the previous output or the new one, never a mix. Before it changes the output folder, a commit
// writes a journal beside it; the next blogbuild command finishes a commit whose process is gone (recoverOutput).
// Everything a build writes besides the output (staging folder, backups, journal) is beside the output folder.
import fsSync from 'node:fs';
import path from 'node:path';
import { resolveOutputDir } from './output-folder.js';

/** Where one build's work goes: the output folder (symlinks resolved) and its own folders beside it. */
export interface WorkPaths {
  /** The output folder the files go to. */
  dir: string;
  /** The new files: the whole new output (swap, copy) or the changed files (replace). */
  staging: string;
  /** The previous output, renamed aside during a swap. */
  old: string;
  /** The previous bytes of the files a replace or copy changes, to undo a failed commit. */
  backup: string;
  journal: string;
}

/** The work paths of a build tagged `tag` (`<pid>-<hex>`), in `parent` (beside `dir`, unless that cannot be written). */
export function workPaths(dir: string, parent: string, tag: string): WorkPaths {
  const at = (kind: string) => path.join(parent, `.${path.basename(dir)}.blogbuild-${kind}-${tag}`);
  return { dir, staging: at('tmp'), old: at('old'), backup: at('bak'), journal: `${at('commit')}.json` };
}

/** A commit that failed; `isRestored` tells whether the output folder is as it was before it. */
export class CommitError extends Error {
  constructor(message: string, readonly isRestored: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommitError';
  }
}

type Journal = WorkPaths & ({ kind: 'swap' } | { kind: 'replace'; files: string[] } | { kind: 'copy'; files: string[]; removals: string[] });

/**
 * Swaps the staging folder in with two renames. A folder that cannot be renamed (a mount point, one another
 * program holds) is updated by copying instead. A failed second rename puts the previous output back.
 */
export function commitSwap(work: WorkPaths): void {
  writeJournal({ ...work, kind: 'swap' });
  let hadOld = false;
  try {
    fsSync.renameSync(work.dir, work.old);
    hadOld = true;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EBUSY' || code === 'EXDEV' || code === 'EPERM') {
      fsSync.rmSync(work.journal, { force: true });
      commitCopy(work, listFiles(work.staging), listFiles(work.dir).filter((rel) => !fsSync.existsSync(path.join(work.staging, rel))));
      return;
    }
    if (code !== 'ENOENT') {
      fsSync.rmSync(work.journal, { force: true });
      throw new CommitError(`cannot move the previous output aside: ${(cause as Error).message}`, true, { cause });
    }
  }
  pauseForTest('swap');
  try {
    fsSync.renameSync(work.staging, work.dir);
  } catch (cause) {
    let isRestored = !hadOld;
    if (hadOld) isRestored = attempt(() => fsSync.renameSync(work.old, work.dir));
    if (isRestored) fsSync.rmSync(work.journal, { force: true });
    throw new CommitError(`cannot move the new output in place: ${(cause as Error).message}`, isRestored, { cause });
  }
  fsSync.rmSync(work.journal, { force: true });
  attempt(() => fsSync.rmSync(work.old, { recursive: true, force: true }));
}

/** Renames each changed file (`files`, relative) from the staging folder over its old version, keeping a hard link of the old one to undo a failure. */
export function commitReplace(work: WorkPaths, files: string[]): void {
  if (files.length === 0) return;
  writeJournal({ ...work, kind: 'replace', files });
  const done: string[] = [];
  try {
    for (const rel of files) {
      const saved = path.join(work.backup, rel);
      fsSync.mkdirSync(path.dirname(saved), { recursive: true });
      if (!attempt(() => fsSync.linkSync(path.join(work.dir, rel), saved))) fsSync.copyFileSync(path.join(work.dir, rel), saved);
      fsSync.renameSync(path.join(work.staging, rel), path.join(work.dir, rel));
      done.push(rel);
      pauseForTest('replace');
    }
  } catch (cause) {
    const isRestored = done.reverse().every((rel) => attempt(() => fsSync.renameSync(path.join(work.backup, rel), path.join(work.dir, rel))));
    if (isRestored) cleanUp(work);
    throw new CommitError(`cannot replace ${files[done.length] ?? 'a file'}: ${(cause as Error).message}`, isRestored, { cause });
  }
  cleanUp(work);
}

/**
 * Copies `files` from the staging folder into the output folder and removes `removals` from it, for output folders
 * that renames cannot reach (a mount point, another file system). The previous bytes of every file it touches are
 * kept in the backup folder first, so a failure (a full disk) puts them back.
 */
export function commitCopy(work: WorkPaths, files: string[], removals: string[]): void {
  writeJournal({ ...work, kind: 'copy', files, removals });
  // Files touched so far, with their backup when they existed before.
  const touched: { rel: string; saved?: string }[] = [];
  const keep = (rel: string): string | undefined => {
    const target = path.join(work.dir, rel);
    if (!fsSync.existsSync(target)) return undefined;
    const saved = path.join(work.backup, rel);
    fsSync.mkdirSync(path.dirname(saved), { recursive: true });
    fsSync.copyFileSync(target, saved);
    return saved;
  };
  try {
    for (const rel of files) {
      const bytes = fsSync.readFileSync(path.join(work.staging, rel));
      const target = path.join(work.dir, rel);
      if (sameBytes(target, bytes)) continue;
      touched.push({ rel, saved: keep(rel) });
      fsSync.mkdirSync(path.dirname(target), { recursive: true });
      fsSync.writeFileSync(target, bytes);
      pauseForTest('copy');
    }
    for (const rel of removals) {
      touched.push({ rel, saved: keep(rel) });
      fsSync.rmSync(path.join(work.dir, rel), { force: true });
    }
  } catch (cause) {
    // New files go first: on a full disk, the space they hold is what restoring the old ones needs.
    const isRestored = [...touched.filter((t) => !t.saved), ...touched.filter((t) => t.saved)].every(({ rel, saved }) =>
      attempt(() => (saved ? fsSync.copyFileSync(saved, path.join(work.dir, rel)) : fsSync.rmSync(path.join(work.dir, rel), { force: true }))));
    if (isRestored) cleanUp(work);
    throw new CommitError(`cannot write ${touched.at(-1)?.rel ?? 'the output folder'}: ${(cause as Error).message}`, isRestored, { cause });
  }
  attempt(() => removeEmptyFolders(work.dir));
  cleanUp(work);
}

/**
 * Finishes the commits of builds that were killed (their process is gone): each goes forward to the new output,
 * which was complete before its commit began. Then removes what killed builds left beside the output folder.
 * Never throws: what cannot be repaired now is left for the next command.
 */
export function recoverOutput(outDir: string): void {
  const dir = resolveOutputDir(outDir);
  const prefix = `.${path.basename(dir)}.blogbuild-`;
  const leftovers: string[] = [];
  for (const parent of new Set([path.dirname(dir), path.dirname(outDir)])) {
    let names: string[];
    try {
      names = fsSync.readdirSync(parent);
    } catch {
      // A parent folder that cannot be listed holds no staging folder we could finish: nothing to repair there.
      continue;
    }
    for (const name of names) {
      const match = name.startsWith(prefix) ? /^(tmp|old|bak|commit)-(\d+)-[0-9a-f]+(\.json)?$/.exec(name.slice(prefix.length)) : null;
      if (!match || isRunning(Number(match[2]))) continue;
      if (match[1] === 'commit') attempt(() => finish(JSON.parse(fsSync.readFileSync(path.join(parent, name), 'utf8')) as Journal));
      leftovers.push(path.join(parent, name));
    }
  }
  for (const leftover of leftovers) attempt(() => fsSync.rmSync(leftover, { recursive: true, force: true }));
}

/** Completes a commit from its journal. */
function finish(journal: Journal): void {
  const { dir, staging } = journal;
  if (journal.kind === 'swap') {
    if (!fsSync.existsSync(dir)) fsSync.renameSync(fsSync.existsSync(staging) ? staging : journal.old, dir);
  } else if (journal.kind === 'replace') {
    for (const rel of journal.files) {
      if (fsSync.existsSync(path.join(staging, rel))) fsSync.renameSync(path.join(staging, rel), path.join(dir, rel));
    }
  } else {
    for (const rel of journal.files) {
      const bytes = fsSync.readFileSync(path.join(staging, rel));
      const target = path.join(dir, rel);
      if (sameBytes(target, bytes)) continue;
      fsSync.mkdirSync(path.dirname(target), { recursive: true });
      fsSync.writeFileSync(target, bytes);
    }
    for (const rel of journal.removals) fsSync.rmSync(path.join(dir, rel), { force: true });
    attempt(() => removeEmptyFolders(dir));
  }
}

function writeJournal(journal: Journal): void {
  // Written before the output folder changes: a journal cut short by a kill means the commit had not begun.
  fsSync.writeFileSync(journal.journal, JSON.stringify(journal));
}

function cleanUp(work: WorkPaths): void {
  fsSync.rmSync(work.journal, { force: true });
  for (const folder of [work.staging, work.backup]) attempt(() => fsSync.rmSync(folder, { recursive: true, force: true }));
}

/** Runs `action`; whether it succeeded. */
function attempt(action: () => void): boolean {
  try {
    action();
    return true;
  } catch {
    // Best effort: the caller counts a failed step and reports whether the output was restored.
    return false;
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every file and link under `dir`, relative and `/`-separated; none when it does not exist. */
export function listFiles(dir: string, rel = ''): string[] {
  let entries: fsSync.Dirent[];
  try {
    entries = fsSync.readdirSync(rel ? path.join(dir, rel) : dir, { withFileTypes: true });
  } catch {
    // A folder that cannot be listed (gone, or not a folder) is treated as empty.
    return [];
  }
  return entries.flatMap((entry) => {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, child) : [child];
  });
}

/** Removes the folders under `dir` that hold nothing. */
function removeEmptyFolders(dir: string): void {
  for (const entry of fsSync.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const sub = path.join(dir, entry.name);
    removeEmptyFolders(sub);
    if (fsSync.readdirSync(sub).length === 0) fsSync.rmdirSync(sub);
  }
}

export function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    const stat = fsSync.statSync(file);
    if (stat.size !== bytes.length) return false;
    return bytes.equals(fsSync.readFileSync(file));
  } catch {
    // A file that cannot be read is not the same as the bytes: it is written again.
    return false;
  }
}

/**
 * For tests of killed builds only: with `BLOGBUILD_TEST_PAUSE_AT` set to this point (`swap`, `replace`, `copy`),
 * the commit writes its pid to `BLOGBUILD_TEST_PAUSE_FILE` and blocks, so the test can SIGKILL it right here.
 */
function pauseForTest(point: string): void {
  if (process.env.BLOGBUILD_TEST_PAUSE_AT !== point) return;
  const file = process.env.BLOGBUILD_TEST_PAUSE_FILE;
  if (file) fsSync.writeFileSync(file, String(process.pid));
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
}
