import fsSync from 'node:fs';
import { textOf } from './lazy-text.js';
import { error, type Diagnostic } from '../diagnostics/error.js';

// Reading the sources discoverSources found: from the dev server's memory, not at all (the post cache knows them),
// or as bytes.

/**
 * Source texts read by earlier builds of this process (the dev server hands in its memory store's), by path and
 * stat: a file whose stat (see statSignature) is unchanged is not read again.
 */
export interface SourceMemo {
  /** The text read from `file` when it had this stat, or undefined. */
  recall(file: string, stat: SourceStat): string | undefined;
  /** Records the text read from `file` with this stat. */
  remember(file: string, stat: SourceStat, text: string): void;
}

/** A source file's stat, as the post cache trusts it (the same trust the output manifest places in stat). */
export interface SourceStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

/**
 * A source's stat as part of a cache key. The ctime counts too: a same-size copy over the file that sets its old
 * mtime back (`cp -p`, `rsync -t`, an editor restoring a backup) keeps size, mtime and inode, but not the ctime.
 */
export function statSignature(stat: SourceStat): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}

/**
 * Which sources an earlier build loaded a post from, as they are now (the build hands in the persistent post cache,
 * see StoredPosts in load-posts.ts): such a source's text is read only if asked for. The content stages never see
 * a store.
 */
export interface KnownSources {
  /** Records the stat of a source seen by this build; true when a post is kept for the source as it is now. */
  isKnown(source: Omit<SourceFile, 'text'>, stat: SourceStat): boolean;
  /**
   * Does now what the first isKnown would do first (read an index), while another thread stats the sources; none
   * when that work is done per source. The sources are stat'ed on this thread then (see discoverSources).
   */
  prepare?(): void;
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
 * Reads one source (see discoverSources): a file the post cache knows by its stat is not read (its `text` is read if
 * asked for), one the memo knows comes from the memo, others are read as bytes. `isFresh`: neither knew it.
 */
export function readSource(found: Omit<SourceFile, 'text'>, memo: SourceMemo | undefined, postCache: KnownSources | undefined,
  /** Stats taken already this build, before anything was read (the early exit's check): a file found there is not stat'ed again. */
  statOf?: (file: string) => SourceStat | undefined): { source: SourceFile; isFresh: boolean } | { diagnostic: Diagnostic } {
  const { path: file, relPath, bundleDir, assets } = found;
  let text: string | undefined;
  let bytes: Uint8Array | undefined;
  let isFresh = true;
  try {
    if (postCache) {
      const stat = statOf?.(file);
      bytes = stat === undefined ? readUnlessKnown(file, (opened) => postCache.isKnown(found, opened)) : postCache.isKnown(found, stat) ? undefined : fsSync.readFileSync(file);
      if (bytes === undefined) {
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
 * The file's bytes, unless `isKnown` says its stat is one the post cache knows (undefined then). The stat is the open
 * file's (fstat), which reading it takes anyway: a stat by path first would look the path up twice (at the dev
 * server's first start, 10,000 sources: ~25 ms).
 */
function readUnlessKnown(file: string, isKnown: (stat: SourceStat) => boolean): Buffer | undefined {
  const fd = fsSync.openSync(file, 'r');
  try {
    const stat = fsSync.fstatSync(fd);
    if (isKnown(stat)) return undefined;
    // As readFileSync(fd) would, but with the size known (it stats again: ~2 µs a file).
    const bytes = Buffer.allocUnsafe(stat.size);
    let length = 0;
    for (let read; length < bytes.length && (read = fsSync.readSync(fd, bytes, length, bytes.length - length, null)) > 0; ) length += read;
    // A file that grew since its stat is read again whole.
    return length === bytes.length && fsSync.readSync(fd, oneByte, 0, 1, null) > 0 ? fsSync.readFileSync(file) : bytes.subarray(0, length);
  } finally {
    fsSync.closeSync(fd);
  }
}

const oneByte = Buffer.alloc(1);

/**
 * The file's text, from `memo` when its stat is the one it had when read (`isRead` false); a changed file is read
 * and remembered.
 */
function readRemembered(file: string, memo: SourceMemo): { text: string; isRead: boolean } {
  const stat = fsSync.statSync(file);
  const known = memo.recall(file, stat);
  if (known !== undefined) return { text: known, isRead: false };
  const text = fsSync.readFileSync(file, 'utf8');
  // A file written during the read may have changed size: remember it only when the stat still matches.
  const after = fsSync.statSync(file);
  if (statSignature(after) === statSignature(stat)) memo.remember(file, stat, text);
  return { text, isRead: true };
}

