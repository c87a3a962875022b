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
function isRacy(stat: { mtimeMs: number; ctimeMs: number }, now: number): boolean {
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
    // A folder that cannot be listed is recorded without entries, and never found the same (see refreshTree).
    return undefined;
  }
}

/**
 * `roots` (files or folders, absolute) as they are now, and whether they are as `previous` recorded them. Every
 * entry is stat'ed; a folder is listed only when its stat differs from the one recorded, or was racy then, so a
 * folder whose stat is unchanged keeps its recorded entries (adding, removing or renaming one changes the stat).
 * `isRefreshed`: an entry racy in `previous` no longer is (its bytes or entries were checked), so saving the new tree
 * spares the next check that work.
 */
export function refreshTree(roots: readonly string[], previous: FileTree = {}): { tree: FileTree; isSame: boolean; isRefreshed: boolean } {
  const now = Date.now();
  const ancestors = new Set<string>();
  let isSame = true;
  let isRefreshed = false;
  const folderOf = (stat: fs.Stats, file: string, id: string, old: TreeNode | null | undefined): TreeNode => {
    const recorded = isFolder(old) ? old : undefined;
    const isUnchanged = recorded !== undefined && recorded.s[0] === stat.mtimeMs && recorded.s[1] === stat.ino;
    let names = isUnchanged && !recorded.l ? Object.keys(recorded.c) : entriesOf(file);
    if (!names) return 'e:unlisted';
    if (!isUnchanged) isSame = false;
    else if (recorded.l) {
      const before = Object.keys(recorded.c).sort();
      if (names.length !== before.length || names.some((name, i) => name !== before[i])) isSame = false;
      else names = before;
    }
    ancestors.add(id);
    const c: Record<string, TreeNode | null> = {};
    for (const name of names) c[name] = refresh(`${file}${path.sep}${name}`, recorded?.c[name]);
    ancestors.delete(id);
    const node: FolderNode = { s: [stat.mtimeMs, stat.ino], c };
    if (isRacy(stat, now)) node.l = 1;
    else if (recorded?.l) isRefreshed = true;
    return node;
  };
  const refresh = (file: string, old: TreeNode | null | undefined): TreeNode | null => {
    const stat = statOf(file);
    if (stat === undefined || typeof stat === 'string') {
      if ((stat ?? null) !== old) isSame = false;
      return stat ?? null;
    }
    const id = `${stat.dev}:${stat.ino}`;
    // A folder that holds itself through a link is recorded as a file would be (its stat alone).
    if (stat.isDirectory() && !ancestors.has(id)) return folderOf(stat, file, id, old);
    const node: FileNode = [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino];
    const isUnchanged = Array.isArray(old) && old[0] === node[0] && old[1] === node[1] && old[2] === node[2] && old[3] === node[3];
    if (!isUnchanged) isSame = false;
    const isHashed = stat.isFile() && isRacy(stat, now);
    if (isUnchanged && old.length > 4) {
      const hash = hashOf(file);
      if (hash !== old[4]) isSame = false;
      if (isHashed) node.push(hash);
      else isRefreshed = true;
    } else if (isHashed) node.push(hashOf(file));
    return node;
  };
  const tree: FileTree = {};
  for (const root of roots) tree[root] = refresh(root, previous[root]);
  if (Object.keys(previous).length !== roots.length || Object.keys(previous).some((root) => !roots.includes(root))) isSame = false;
  return { tree, isSame, isRefreshed: isSame && isRefreshed };
}

/** A file's stat as a record needs it: sizes and times as numbers (a BigIntStats' converted, see {@link fileNodeOf}). */
export interface FileStat {
  size: number | bigint;
  ino: number | bigint;
  mtimeMs: number | bigint;
  ctimeMs: number | bigint;
  mtimeNs?: bigint;
  ctimeNs?: bigint;
}

/**
 * A file's node from a stat taken already (the writer's), as {@link refreshTree} would record it at `now`: a
 * BigIntStats' times are made the numbers a plain stat gives (`sec * 1e3 + nsec / 1e6`), so the two compare equal.
 */
export function fileNodeOf(file: string, stat: FileStat, now: number): FileNode {
  const ms = (whole: number | bigint, ns: bigint | undefined) => (ns === undefined ? Number(whole) : Number(ns / 1_000_000_000n) * 1e3 + Number(ns % 1_000_000_000n) / 1e6);
  const node: FileNode = [Number(stat.size), ms(stat.mtimeMs, stat.mtimeNs), ms(stat.ctimeMs, stat.ctimeNs), Number(stat.ino)];
  if (isRacy({ mtimeMs: node[1], ctimeMs: node[2] }, now)) node.push(hashOf(file));
  return node;
}

/**
 * The record of a folder (`root`) that holds exactly `files` (relative, `/`-separated, with their stats) in the
 * folders `folders` (relative, `''` the root, with their stats): for a writer that stat'ed all of them as it wrote,
 * so nothing is stat'ed or listed again. A folder changed within a tick of `now` is marked to be listed again, a
 * file is hashed.
 */
export function treeOf(root: string, files: ReadonlyMap<string, FileStat>, folders: ReadonlyMap<string, { mtimeMs: number; ctimeMs: number; ino: number }>, now: number): FileTree {
  const nodes = new Map<string, FolderNode>();
  const folder = (rel: string): FolderNode => {
    let node = nodes.get(rel);
    if (node) return node;
    const stat = folders.get(rel);
    if (!stat) throw new Error(`no stat for the output folder ${rel}`);
    node = { s: [stat.mtimeMs, stat.ino], c: {} };
    if (isRacy(stat, now)) node.l = 1;
    nodes.set(rel, node);
    if (rel !== '') {
      const at = rel.lastIndexOf('/');
      folder(at < 0 ? '' : rel.slice(0, at)).c[rel.slice(at + 1)] = node;
    }
    return node;
  };
  // In any order: a check looks entries up by name.
  for (const [rel, stat] of files) {
    const at = rel.lastIndexOf('/');
    folder(at < 0 ? '' : rel.slice(0, at)).c[rel.slice(at + 1)] = fileNodeOf(`${root}${path.sep}${rel}`, stat, now);
  }
  return { [root]: folder('') };
}

/**
 * The node recorded for `file` (absolute) under one of the tree's roots, if the record has it as a file: what a
 * stat following links gave when the tree was made.
 */
export function fileNodeIn(tree: FileTree, root: string, file: string): FileNode | undefined {
  if (!file.startsWith(root + path.sep)) return undefined;
  let node: TreeNode | null | undefined = tree[root];
  for (const name of file.slice(root.length + 1).split(path.sep)) {
    if (!isFolder(node)) return undefined;
    node = node.c[name];
  }
  return Array.isArray(node) ? node : undefined;
}

function isFolder(node: TreeNode | null | undefined): node is FolderNode {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/**
 * Whether `node` (a folder) holds exactly `files` (relative, `/`-separated): no other file, no link to nothing, no
 * socket, no empty folder.
 */
export function holdsExactly(node: TreeNode | null, files: ReadonlySet<string>): boolean {
  let found = 0;
  const visit = (folder: FolderNode, prefix: string): boolean => {
    let isEmpty = true;
    for (const name in folder.c) {
      isEmpty = false;
      const child = folder.c[name];
      if (Array.isArray(child)) {
        if (!files.has(prefix + name)) return false;
        found++;
      } else if (!isFolder(child) || !visit(child, `${prefix}${name}/`)) return false;
    }
    return !isEmpty || prefix === '';
  };
  return isFolder(node) && visit(node, '') && found === files.size;
}
