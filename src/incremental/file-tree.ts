import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// A record of folders as they are on disk (every file's and folder's stat, and what each folder holds), and the
// check that they are still so, by stat'ing what the record names: the whole-build early exit (build-unchanged.ts)
// records what a build reads and what it wrote.

/** A file: its stat signature, and for a racy one (see {@link isRacy}) a hash of its bytes. */
export interface FileNode {
  s: string;
  h?: string;
}

/** A folder: its stat signature, its entries by name, and `l` when it is racy, so its entries are listed again. */
export interface FolderNode {
  s: string;
  c: Record<string, TreeNode | null>;
  l?: 1;
}

export type TreeNode = FileNode | FolderNode;

/** Absolute paths (the roots recorded) → what was there, or null for nothing. */
export type FileTree = Record<string, TreeNode | null>;

/** Entries never recorded: installed packages are not a blog's sources (and the cache folder is in there). */
const skipped = new Set(['node_modules']);

interface Stat {
  signature: string;
  isFolder: boolean;
  isFile: boolean;
  /** The device and inode, to see a symbolic link loop. */
  id: string;
  changedMs: number;
}

/**
 * A path's stat as a signature (size, mtime, ctime and inode for a file; mtime and inode for a folder, whose mtime
 * changes when an entry is added, removed or renamed), following symbolic links; a dangling link by its target.
 * The ctime changes on every write, and also when an mtime is set back (`touch -d`), which mtime alone would miss.
 */
function statOf(file: string): Stat | undefined {
  let s: fs.Stats | undefined;
  try {
    s = fs.statSync(file, { throwIfNoEntry: false });
  } catch (cause) {
    // Unreadable (EACCES) or not a folder on the way (ENOTDIR): a signature of its own, so a change from or to it shows.
    return { signature: `e:${(cause as NodeJS.ErrnoException).code}`, isFolder: false, isFile: false, id: '', changedMs: 0 };
  }
  if (!s) {
    const target = readLink(file);
    return target === undefined ? undefined : { signature: `x:${target}`, isFolder: false, isFile: false, id: '', changedMs: 0 };
  }
  const isFolder = s.isDirectory();
  const signature = isFolder ? `d:${s.mtimeMs}:${s.ino}:${s.dev}` : `${s.isFile() ? 'f' : 'o'}:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}:${s.dev}`;
  return { signature, isFolder, isFile: s.isFile(), id: `${s.dev}:${s.ino}`, changedMs: Math.max(s.mtimeMs, s.ctimeMs) };
}

function readLink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    // Not a link either: nothing is there.
    return undefined;
  }
}

/**
 * Whether a stat cannot vouch for what it describes: file systems stamp times from a coarse clock (a jiffy on Linux;
 * whole seconds or two on some), so a same-size change within the same tick as this stat would keep it (git's
 * "racily clean" files). Such a file is recorded with a hash of its bytes, such a folder with its entries listed.
 */
function isRacy(stat: Stat, now: number): boolean {
  const tick = stat.changedMs % 1000 === 0 ? 2000 : 50;
  return stat.changedMs >= now - tick;
}

function hashOf(file: string): string | undefined {
  try {
    return createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  } catch {
    // Unreadable now: a hash no file has, so it never matches.
    return undefined;
  }
}

function entriesOf(folder: string): string[] | undefined {
  try {
    return fs.readdirSync(folder).filter((name) => !skipped.has(name)).sort();
  } catch {
    // A folder that cannot be listed is recorded without entries, and never found the same (see sameNode).
    return undefined;
  }
}

/** Records `roots` (files or folders, absolute) as they are now: every folder listed, every entry stat'ed. */
export function recordTree(roots: readonly string[]): FileTree {
  const now = Date.now();
  const tree: FileTree = {};
  const ancestors = new Set<string>();
  const record = (file: string): TreeNode | null => {
    const stat = statOf(file);
    if (!stat) return null;
    if (stat.isFolder && !ancestors.has(stat.id)) {
      const names = entriesOf(file);
      if (!names) return { s: `${stat.signature}:unlisted`, c: {} };
      ancestors.add(stat.id);
      const c: Record<string, TreeNode | null> = {};
      for (const name of names) c[name] = record(path.join(file, name));
      ancestors.delete(stat.id);
      return isRacy(stat, now) ? { s: stat.signature, c, l: 1 } : { s: stat.signature, c };
    }
    // A folder that holds itself through a link is recorded by its stat alone.
    if (stat.isFile && isRacy(stat, now)) return { s: stat.signature, h: hashOf(file) ?? 'unreadable' };
    return { s: stat.signature };
  };
  for (const root of roots) tree[root] = record(root);
  return tree;
}

/**
 * Whether everything `tree` records is still as it was, by a stat of each entry (and the bytes of racy files, the
 * entries of racy folders). `isRefreshed`: racy entries found the same and no longer racy were made plain in
 * `tree`, so the caller may save it and spare the next check that work.
 */
export function isTreeSame(tree: FileTree): { isSame: boolean; isRefreshed: boolean } {
  const now = Date.now();
  let isRefreshed = false;
  const same = (file: string, node: TreeNode | null): boolean => {
    const stat = statOf(file);
    if (!stat || !node) return !stat && !node;
    if (stat.signature !== node.s) return false;
    if ('c' in node) {
      if (node.l) {
        const names = entriesOf(file);
        const recorded = Object.keys(node.c).sort();
        if (!names || names.length !== recorded.length || names.some((name, i) => name !== recorded[i])) return false;
        if (!isRacy(stat, now)) {
          delete node.l;
          isRefreshed = true;
        }
      }
      for (const name in node.c) if (!same(path.join(file, name), node.c[name])) return false;
      return true;
    }
    if (node.h !== undefined) {
      if (hashOf(file) !== node.h) return false;
      if (!isRacy(stat, now)) {
        delete node.h;
        isRefreshed = true;
      }
    }
    return true;
  };
  for (const root in tree) if (!same(root, tree[root])) return { isSame: false, isRefreshed: false };
  return { isSame: true, isRefreshed };
}

/** The files `node` records, relative to it and `/`-separated; other entries (links to nothing, sockets, empty folders) as `!name`. */
export function filesOf(node: TreeNode | null, prefix = ''): string[] {
  if (!node) return [];
  if (!('c' in node)) return [node.s.startsWith('f:') ? prefix.slice(0, -1) : `!${prefix.slice(0, -1)}`];
  const entries = Object.entries(node.c);
  // An empty folder is an entry of its own (`!name/`): a build's output has none.
  if (entries.length === 0 && prefix !== '') return [`!${prefix}`];
  return entries.flatMap(([name, child]) => filesOf(child, `${prefix}${name}/`));
}
