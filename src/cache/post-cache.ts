import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PostDate } from '../content/dates.js';
import type { Post } from '../site/model.js';
import { codeSalt } from './code-salt.js';
import type { BodyDigests } from './body-digest.js';
import { defineLazyText, lazyTextOf, packFile, textOf, unpackFile, writeFileAtomic, type LazyText } from './packed.js';

/** A source file's stat, as the post cache trusts it (the same trust the output manifest places in stat). */
export interface SourceStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * The persistent post cache: each successfully loaded post (front matter parsed and validated) by its source's
 * absolute path, with the source's size, mtime and inode and the other inputs of loading (relative path, bundle,
 * assets, time zone, default author). A no-change rebuild neither reads nor parses unchanged sources: a source
 * whose stat differs is read and loaded again. Posts with errors are never cached; nor are posts whose front
 * matter holds values JSON cannot carry exactly (NaN, ±Infinity, -0).
 *
 * One file, `posts-v1.cache`, packed like the markdown cache (`blogbuild-posts 3 <crc32> <bytes>`, a small JSON
 * index, then each post's JSON and body as raw UTF-8 blobs; see packed.ts). A post's JSON is parsed and its body
 * decoded only when a build uses them, and saving writes unchanged entries back as the bytes read: one edited
 * post does not re-serialise the other 999. Each entry keeps its body's digest (the markdown cache's key). A file
 * whose length, checksum, JSON, salt (the code salt: blogbuild's modules and version) or entry shapes are wrong is ignored
 * as a whole.
 */
export interface PostCache {
  /** Records the stat of a source seen by this build; true when the cache holds a post for exactly this stat. */
  isKnown(file: string, stat: SourceStat): boolean;
  /** The cached post of a source whose stat was recorded by {@link isKnown}, loaded under `inputs`. */
  get(file: string, inputs: string): Post | undefined;
  /** Records a post loaded by this build (from the text read after the stat given to {@link isKnown}). */
  set(file: string, inputs: string, post: Post): void;
  /** Writes the entries of this build's sources (and only those) when anything changed. Never throws. */
  save(): void;
  /**
   * What decides every field of a post revived from this cache (its source's path, size, mtime and inode, the
   * loading inputs, its body's digest), or undefined for a post loaded from its text by this build.
   */
  identity(post: Post): string | undefined;
}

/** A cached post: its source's stat, the loading inputs, the post's JSON (without the body), its body and the body's digest. */
type Entry = [size: number, mtimeMs: number, ino: number, inputs: string, post: LazyText, body: LazyText, bodyDigest: string];

const fileName = 'posts-v1.cache';
const magic = 'blogbuild-posts 3';

/** Opens (reads) the post cache in `dir`; a missing or damaged file gives an empty cache. */
export function openPostCache(dir: string, digests: BodyDigests): PostCache {
  // Posts revived from this cache, with their source's path, stat and loading inputs and their body's digest.
  const identities = new WeakMap<Post, string>();
  const file = path.join(dir, fileName);
  const salt = codeSalt();
  let previous: Record<string, Entry> = Object.create(null);
  let isChanged = false;
  try {
    const read = parsePostCacheFile(fs.readFileSync(file), salt);
    if (read) previous = read;
    else isChanged = true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') isChanged = true;
  }
  const stats = new Map<string, SourceStat>();
  const used = new Map<string, Entry>();
  return {
    isKnown(source, stat) {
      stats.set(source, { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
      const entry = previous[source];
      return entry !== undefined && entry[0] === stat.size && entry[1] === stat.mtimeMs && entry[2] === stat.ino;
    },
    get(source, inputs) {
      const stat = stats.get(source);
      const entry = previous[source];
      if (!stat || !entry || entry[0] !== stat.size || entry[1] !== stat.mtimeMs || entry[2] !== stat.ino || entry[3] !== inputs) return undefined;
      let record: unknown;
      try {
        record = JSON.parse(textOf(entry[4]));
      } catch {
        // A damaged cache record is a miss: the post is loaded from its file.
        return undefined;
      }
      const post = isRecord(record) ? revivePost(record, entry[5]) : undefined;
      if (post) {
        used.set(source, entry);
        digests.set(post, entry[6]);
        identities.set(post, `${source}\0${entry[0]}:${entry[1]}:${entry[2]}\0${inputs}\0${entry[6]}`);
      }
      return post;
    },
    set(source, inputs, post) {
      const stat = stats.get(source);
      isChanged = true;
      if (!stat || !isJsonExact(post.data)) return;
      used.set(source, [stat.size, stat.mtimeMs, stat.ino, inputs, JSON.stringify(storablePost(post)), lazyTextOf(post, 'body'), digests.of(post)]);
    },
    save() {
      if (!isChanged && used.size === Object.keys(previous).length) return;
      try {
        // Posts' JSON and bodies are blobs; entries the build did not change are written back as the bytes read.
        const blobs: LazyText[] = [];
        const entries: Record<string, unknown[]> = {};
        for (const [source, [size, mtimeMs, ino, inputs, post, body, digest]] of used) {
          entries[source] = [size, mtimeMs, ino, inputs, blobs.push(post) - 1, blobs.push(body) - 1, digest];
        }
        writeFileAtomic(file, packFile(magic, { salt, entries }, blobs));
      } catch {
        // A cache that cannot be written only makes the next build slower.
      }
    },
    identity: (post) => identities.get(post),
  };
}

/** Validates a post cache file: header, length, checksum, JSON, salt and entry shapes; undefined when wrong. */
export function parsePostCacheFile(bytes: Buffer, salt: string): Record<string, Entry> | undefined {
  const file = unpackFile(bytes, magic);
  if ('reason' in file) return undefined;
  const data = file.data;
  if (!isRecord(data) || data.salt !== salt || !isRecord(data.entries)) return undefined;
  const entries = data.entries as Record<string, unknown>;
  const result: Record<string, Entry> = Object.create(null);
  const isBlob = (i: unknown) => Number.isInteger(i) && (i as number) >= 0 && (i as number) < file.blobCount;
  for (const key in entries) {
    const e = entries[key];
    if (!Array.isArray(e) || e.length !== 7 || typeof e[0] !== 'number' || typeof e[1] !== 'number' || typeof e[2] !== 'number' || typeof e[3] !== 'string' || !isBlob(e[4]) || !isBlob(e[5]) || typeof e[6] !== 'string') return undefined;
    result[key] = [e[0], e[1], e[2], e[3], file.blob(e[4]), file.blob(e[5]), e[6]];
  }
  return result;
}

/** A post as JSON, without its body (stored as a blob of its own): dates by their instant's milliseconds. */
function storablePost(post: Post): Record<string, unknown> {
  const date = (d: PostDate | undefined) => (d ? { instant: d.instant.getTime(), isDateOnly: d.isDateOnly, iso: d.iso } : undefined);
  const record: Record<string, unknown> = {};
  for (const key in post) {
    if (key === 'body') continue;
    const value = (post as unknown as Record<string, unknown>)[key];
    record[key] = key === 'date' || key === 'updated' ? date(value as PostDate | undefined) : value;
  }
  return record;
}

/** A post from its JSON and body, with the fields in the order loadPost gives them; undefined when the shape is wrong. */
function revivePost(p: Record<string, unknown>, body: LazyText): Post | undefined {
  const date = (d: unknown): PostDate | undefined => {
    if (!isRecord(d) || typeof d.instant !== 'number' || typeof d.isDateOnly !== 'boolean' || typeof d.iso !== 'string') return undefined;
    return { instant: new Date(d.instant), isDateOnly: d.isDateOnly, iso: d.iso };
  };
  const str = (v: unknown) => typeof v === 'string';
  const optStr = (v: unknown) => v === undefined || typeof v === 'string';
  const strings = (v: unknown) => Array.isArray(v) && v.every(str);
  const postDate = date(p.date);
  const updated = p.updated === undefined ? undefined : date(p.updated);
  if (!postDate || (p.updated !== undefined && !updated)) return undefined;
  if (!str(p.sourcePath) || !str(p.relPath) || !str(p.slug) || !str(p.title) || typeof p.dropsTitleHeading !== 'boolean' || !str(p.author)
    || !strings(p.tags) || !(p.readTimeMinutes === undefined || typeof p.readTimeMinutes === 'number') || !optStr(p.description)
    || typeof p.isDraft !== 'boolean' || !optStr(p.image) || !isRecord(p.data) || typeof p.bodyStartLine !== 'number'
    || !optStr(p.bundleDir) || !strings(p.assets) || !(p.slugLoc === undefined || isRecord(p.slugLoc)) || !strings(p.authors)
    || !(p.imageLoc === undefined || isRecord(p.imageLoc)) || !(p.related === undefined || typeof p.related === 'number')
    || !(p.postLinks === undefined || (Array.isArray(p.postLinks) && p.postLinks.every((l) => isRecord(l) && str(l.href) && Number.isInteger(l.line) && Number.isInteger(l.column))))) return undefined;
  const post: Omit<Post, 'body' | 'bodyStartLine' | 'bundleDir' | 'assets'> = {
    sourcePath: p.sourcePath as string,
    relPath: p.relPath as string,
    slug: p.slug as string,
    slugLoc: p.slugLoc as Post['slugLoc'],
    title: p.title as string,
    dropsTitleHeading: p.dropsTitleHeading as boolean,
    date: postDate,
    updated,
    author: p.author as string,
    authors: p.authors as string[],
    tags: p.tags as string[],
    readTimeMinutes: p.readTimeMinutes as number | undefined,
    description: p.description as string | undefined,
    isDraft: p.isDraft as boolean,
    image: p.image as string | undefined,
    imageLoc: p.imageLoc as Post['imageLoc'],
    related: p.related as number | undefined,
    data: p.data as Record<string, unknown>,
  };
  // The body stays the bytes read from the file until some code reads it (see defineLazyText).
  const withBody = defineLazyText(post, 'body', body) as Post;
  withBody.bodyStartLine = p.bodyStartLine as number;
  withBody.bundleDir = p.bundleDir as string | undefined;
  withBody.assets = p.assets as string[];
  if (p.postLinks) withBody.postLinks = p.postLinks as Post['postLinks'];
  return withBody;
}

/** Whether JSON carries `value` exactly: plain objects, arrays, strings, booleans, null and finite numbers other than -0. */
function isJsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isJsonExact(value[i])) return false;
    return true;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const key of Object.keys(value)) if (key === '__proto__' || !isJsonExact((value as Record<string, unknown>)[key])) return false;
    return true;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

