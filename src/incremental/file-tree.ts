import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// A record of folders as they are on disk (every file's and folder's stat, and what each folder holds), and the
// check that they are still so, by stat'ing what the record names: the whole-build early exit (build-unchanged.ts)
// records what a build reads and what it wrote.

/**
 * A file: its size, mtime, ctime and inode, and for a racy one (see {@link isRacy}) a hash of its bytes. Numbers,
 * compared as they are: a check makes no strings of them.
 */
export type FileNode = [size: number, mtimeMs: number, ctimeMs: number, ino: number, hash?: string];

/** A folder: its mtime and inode, its entries by name, and `l` when it is racy, so its entries are listed again. */
export interface FolderNode {
  s: [mtimeMs: number, ino: number];
  c: Record<string, TreeNode | null>;
  l?: 1;
}

/** Anything else: a link to nothing (`x:<target>`), an error (`e:<code>`), a socket or device (`o`). */
export type OtherNode = string;

export type TreeNode = FileNode | FolderNode | OtherNode;

/** Absolute paths (the roots recorded) → what was there, or null for nothing. */
export type FileTree = Record<string, TreeNode | null>;

/** Entries never recorded: installed packages are not a blog's sources (and the cache folder is in there). */
const skipped = new Set(['node_modules']);

/**
 * A path's stat, following symbolic links, or what stands for it: a dangling link its target, an error its code.
 * The ctime changes on every write, and also when an mtime is set back (`touch -d`), which mtime alone would miss.
 */
function statOf(file: string): fs.Stats | OtherNode | undefined {
  try {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat) return stat.isFile() || stat.isDirectory() ? stat : 'o';
  } catch (cause) {
    // Unreadable (EACCES) or not a folder on the way (ENOTDIR): a node of its own, so a change from or to it shows.
    return `e:${(cause as NodeJS.ErrnoException).code}`;
  }
  try {
    return `x:${fs.readlinkSync(file)}`;
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
function isRacy(stat: fs.Stats, now: number): boolean {
  const changed = Math.max(stat.mtimeMs, stat.ctimeMs);
  return changed >= now - (changed % 1000 === 0 ? 2000 : 50);
}

function hashOf(file: string): string {
  try {
    return createHash('sha1').update(fs.readFileSync(file)).digest('hex');
  } catch {
    // Unreadable now: a hash no file has, so it never matches.
    return 'unreadable';
  }
}

function entriesOf(folder: string): string[] | undefined {
  try {
    return fs.readdirSync(folder).filter((name) => !skipped.has(name)).sort();
  } catch {
    // A folder that cannot be listed is recorded without entries, and never found the same (see isTreeSame).
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
    if (stat === undefined || typeof stat === 'string') return stat ?? null;
    const id = `${stat.dev}:${stat.ino}`;
    // A folder that holds itself through a link is recorded as a file would be (its stat alone).
    if (stat.isDirectory() && !ancestors.has(id)) {
      const names = entriesOf(file);
      if (!names) return 'e:unlisted';
      ancestors.add(id);
      const c: Record<string, TreeNode | null> = {};
      for (const name of names) c[name] = record(`${file}${path.sep}${name}`);
      ancestors.delete(id);
      const node: FolderNode = { s: [stat.mtimeMs, stat.ino], c };
      if (isRacy(stat, now)) node.l = 1;
      return node;
    }
    const node: FileNode = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
    if (stat.isFile() && isRacy(stat, now)) node.push(hashOf(file));
    return node;
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
    if (stat === undefined || typeof stat === 'string' || node === null || typeof node === 'string') return (stat ?? null) === node;
    if (Array.isArray(node)) {
      if (stat.size !== node[0] || stat.mtimeMs !== node[1] || stat.ctimeMs !== node[2] || stat.ino !== node[3]) return false;
      if (node.length === 4) return true;
      if (hashOf(file) !== node[4]) return false;
      if (!isRacy(stat, now)) {
        node.length = 4;
        isRefreshed = true;
      }
      return true;
    }
    if (!stat.isDirectory() || stat.mtimeMs !== node.s[0] || stat.ino !== node.s[1]) return false;
    if (node.l) {
      const names = entriesOf(file);
      const recorded = Object.keys(node.c).sort();
      if (!names || names.length !== recorded.length || names.some((name, i) => name !== recorded[i])) return false;
      if (!isRacy(stat, now)) {
        delete node.l;
        isRefreshed = true;
      }
    }
    for (const name in node.c) if (!same(`${file}${path.sep}${name}`, node.c[name])) return false;
    return true;
  };
  for (const root in tree) if (!same(root, tree[root])) return { isSame: false, isRefreshed: false };
  return { isSame: true, isRefreshed };
}

/** The files `node` records, relative to it and `/`-separated; other entries (links to nothing, sockets, empty folders) as `!name`. */
export function filesOf(node: TreeNode | null, prefix = ''): string[] {
  if (node === null) return [];
  if (typeof node === 'string') return [`!${prefix.slice(0, -1)}`];
  if (Array.isArray(node)) return [prefix.slice(0, -1)];
  const entries = Object.entries(node.c);
  // An empty folder is an entry of its own (`!name/`): a build's output has none.
  if (entries.length === 0 && prefix !== '') return [`!${prefix}`];
  return entries.flatMap(([name, child]) => filesOf(child, `${prefix}${name}/`));
}
