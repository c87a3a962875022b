import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { textOf } from './lazy-text.js';
import { error, warning, type Diagnostic } from '../diagnostics/error.js';
import type { Post } from '../site/model.js';
import { walk, type WalkOptions } from './walk.js';

// The output writer and the watcher list folders with it too.
export { walk, type WalkOptions };

/** A source file as read by a previous build, with the stat it had then. */
export interface SourceMemo {
  size: number;
  mtimeMs: number;
  ino: number;
  text: string;
}

/** A source file's stat, as the post cache trusts it (the same trust the output manifest places in stat). */
export interface SourceStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * Which sources an earlier build loaded a post from, as they are now (the build hands in the persistent post cache,
 * see StoredPosts in load-posts.ts): such a source's text is read only if asked for. The content stages never see
 * a store.
 */
export interface KnownSources {
  /** Records the stat of a source seen by this build; true when a post is kept for the source as it is now. */
  isKnown(source: Omit<SourceFile, 'text'>, stat: SourceStat): boolean;
}

/** A markdown file found under the posts folder. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the posts folder, with `/` separators. */
  relPath: string;
  text: string;
  /**
   * The file's bytes (without a byte-order mark), when it was read for this build and is not remembered as text:
   * `text` then decodes them on each read, so a long-lived string of every post is not kept (see load-posts).
   */
  bytes?: Uint8Array;
  /** For a page bundle (`folder/index.md`, or `folder/folder.md`): the bundle's folder. */
  bundleDir?: string;
  /** For a page bundle: the files beside `index.md`, relative to `bundleDir`, `/`-separated. */
  assets: string[];
}

/**
 * Lists every markdown file (`.md`, `.markdown`, `.mdown`, `.mkd`; not Hugo's `_index.md`) under `postsDir` (nested folders included), sorted by path, and reads it. With `memo`
 * (texts read by earlier builds of this process, by path), a file whose size, mtime and inode are unchanged is not
 * read again; the folder is always walked, so added, deleted and renamed files are seen. The memo is updated.
 * With `postCache`, every file is stat'ed first and a file the cache holds a post for (same size, mtime and inode)
 * is not read: its `text` is read only if something asks for it.
 */
export async function discoverSources(
  postsDir: string,
  memo?: Map<string, SourceMemo>,
  postCache?: KnownSources,
  /** The blog's folder: symbolic links to files inside it are followed, others reported. @default postsDir's parent */
  root = path.dirname(postsDir),
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
  const sources = await Promise.all(
    markdown.map(async (file): Promise<SourceFile | undefined> => {
      const bundleDir = bundleFiles.get(path.dirname(file)) === file ? path.dirname(file) : undefined;
      const assets = bundleDir
        ? files
            .filter((other) => ownerBundle(other, bundleDirs) === bundleDir && !isMarkdown(other) && !isSectionFile(other))
            .map((other) => toPosix(path.relative(bundleDir, other)))
        : [];
      const read = readSource({ path: file, relPath: toPosix(path.relative(postsDir, file)), bundleDir, assets }, memo, postCache);
      if ('diagnostic' in read) {
        diagnostics.push(read.diagnostic);
        return undefined;
      }
      if (read.isFresh) fresh++;
      return read.source;
    }),
  );
  if (memo) {
    const present = new Set(markdown);
    for (const file of memo.keys()) if (!present.has(file)) memo.delete(file);
  }
  return { sources: sources.filter((s): s is SourceFile => s !== undefined), diagnostics, fresh };
}

/**
 * Reads one source (see discoverSources): a file the post cache knows by its stat is not read (its `text` is read if
 * asked for), one the memo knows comes from the memo, others are read as bytes. `isFresh`: neither knew it.
 */
function readSource(found: Omit<SourceFile, 'text'>, memo: Map<string, SourceMemo> | undefined, postCache: KnownSources | undefined): { source: SourceFile; isFresh: boolean } | { diagnostic: Diagnostic } {
  const { path: file, relPath, bundleDir, assets } = found;
  let text: string | undefined;
  let bytes: Uint8Array | undefined;
  let isFresh = true;
  try {
    if (postCache) {
      const stat = fsSync.statSync(file);
      if (postCache.isKnown(found, stat)) {
        let lazy: string | undefined;
        return {
          isFresh: false,
          source: {
            path: file, relPath, bundleDir, assets,
            get text() {
              lazy ??= fsSync.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
              return lazy;
            },
          },
        };
      }
      bytes = fsSync.readFileSync(file);
    } else if (memo) {
      const remembered = readRemembered(file, memo);
      text = remembered.text;
      isFresh = remembered.isRead;
    } else {
      // Read one at a time (readFileSync): a thousand reads in flight at once keep a thousand requests alive through the
      // young generation's collections, and V8 grows it to its largest for them.
      bytes = fsSync.readFileSync(file);
    }
  } catch (cause) {
    memo?.delete(file);
    return { diagnostic: error('FileUnreadable', { reason: (cause as Error).message }, { file }, cause) };
  }
  if (text !== undefined) return { isFresh, source: { path: file, relPath, text: text.replace(/^\uFEFF/, ''), bundleDir, assets } };
  const withoutMark = bytes![0] === 0xef && bytes![1] === 0xbb && bytes![2] === 0xbf ? bytes!.subarray(3) : bytes!;
  return {
    isFresh,
    source: {
      path: file, relPath, bundleDir, assets, bytes: withoutMark,
      get text() {
        return textOf(withoutMark);
      },
    },
  };
}

/**
 * The file's text, from `memo` when its stat is the one it had when read (`isRead` false); a changed file is read
 * and remembered.
 */
function readRemembered(file: string, memo: Map<string, SourceMemo>): { text: string; isRead: boolean } {
  const stat = fsSync.statSync(file);
  const known = memo.get(file);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.ino === stat.ino) return { text: known.text, isRead: false };
  const text = fsSync.readFileSync(file, 'utf8');
  // A file written during the read may have changed size: remember it only when the stat still matches.
  const after = fsSync.statSync(file);
  if (after.size === stat.size && after.mtimeMs === stat.mtimeMs && after.ino === stat.ino) memo.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, text });
  else memo.delete(file);
  return { text, isRead: true };
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
    if (ownerBundle(file, bundleDirs)) continue;
    const isOther = otherPostFormats.test(file);
    if (!isOther && !(postsWithFrontMatter.test(file) && (await opensWithFrontMatter(file)))) continue;
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
  return p.split(path.sep).join('/');
}
