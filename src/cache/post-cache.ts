import { createHash } from 'node:crypto';
import type { PostDate } from '../content/dates.js';
import { statSignature, type SourceFile, type SourceStat } from '../content/read-source.js';
import type { LoadedPost, LoadPostsOptions, StoredPosts } from '../content/load-posts.js';
import type { Post } from '../site/model.js';
import { memo, recall, type Codec } from '../incremental/memo.js';
import { StoredText, type Store } from '../incremental/store.js';
import type { BodyDigests } from './body-digest.js';
import { defineLazyText, deferredTextOf, type DeferredText } from '../content/lazy-text.js';

/**
 * The persistent post cache: each successfully loaded post (front matter parsed and validated) in the store's
 * `posts` namespace, by a key of everything it was loaded from: its source's absolute path, size, mtime and inode
 * and the other inputs of loading (relative path, bundle, assets, time zone, default author); the store's salt adds
 * the code salt. A no-change rebuild neither reads nor parses unchanged sources: a source whose stat differs has
 * another key. Posts with errors are never cached; nor are posts whose front matter holds values JSON cannot carry
 * exactly (NaN, ±Infinity, -0).
 *
 * A post's fields are JSON in the store's index (a build that uses the cache needs every post's), its body a
 * {@link StoredText}: read and decoded only when a build uses it (a store that defers blobs reads it then), and
 * written back as the bytes read. Each entry keeps its body's digest (the markdown cache's key) and the hash of its
 * fields' JSON (fieldsKey). An entry of the wrong shape is a miss (memo's codec).
 */
export interface PostCache extends StoredPosts {
  /**
   * What decides every field of a post revived from this cache or stored in it by this build (its key): the same
   * either way. Undefined for a post this build loaded and does not cache (errors, values JSON cannot carry, a
   * source saved within a tick of the build).
   */
  identity(post: Post): string | undefined;
  /**
   * A hash of every field of such a post but its body (the JSON the cache keeps of it): equal for a post whose
   * front matter is unchanged though its body was edited; also for a post this build loaded and does not cache (a
   * source saved within a tick of the build, a post with warnings). Undefined when its front matter holds values
   * JSON cannot carry exactly.
   */
  fieldsKey(post: Post): string | undefined;
}

/** A cached post: the post's fields as JSON (without the body, see storablePost), its body, the body's digest and the fields' JSON's SHA-1. */
type Entry = [post: Record<string, unknown>, body: StoredText, bodyDigest: string, fieldsKey: string];

const namespace = 'posts';

/**
 * Whether a source's stat cannot be trusted by the next build: file systems stamp mtimes from a coarse clock (a
 * jiffy, ≤ 10 ms, on Linux; whole seconds or two on some), so a same-size edit made within the same tick as the
 * version this build read would keep its stat, and the next build would trust a stale post (git's "racily clean"
 * files). A source modified that close to the build's start (or during it) has no key, so it is not cached; the
 * next build reads it again and caches it then. An mtime in whole seconds stands for a coarse file system.
 */
export function isRacy(stat: SourceStat, buildStart: number): boolean {
  const changed = Math.max(stat.mtimeMs, stat.ctimeMs);
  const tick = changed % 1000 === 0 ? 2000 : 50;
  return changed >= buildStart - tick;
}

/** The key of a source's post: its path, its stat and everything else it is loaded from. */
export function postKeyOf(source: Omit<SourceFile, 'text'>, stat: SourceStat, options: LoadPostsOptions): string {
  // The dev server's index asks for a source's key, then the post cache it falls back on for the same source, stat
  // and options: the last key is given again (~2 µs a source, ~20 ms of a 10,000-post first start).
  if (lastKey?.source === source && lastKey.stat === stat && lastKey.options === options) return lastKey.key;
  const inputs = JSON.stringify([source.relPath, source.bundleDir ?? null, source.assets, options.timezone, options.author]);
  const key = `${source.path}\0${statSignature(stat)}\0${inputs}`;
  lastKey = { source, stat, options, key };
  return key;
}

let lastKey: { source: object; stat: object; options: object; key: string } | undefined;

/** The post cache over a store (the cache folder's), for posts loaded with `options`. */
export function postCache(store: Store, digests: BodyDigests, options: LoadPostsOptions): PostCache {
  // Posts revived from this cache or stored in it, with their key.
  const identities = new WeakMap<Post, string>();
  const fieldsKeys = new WeakMap<Post, string>();
  // Each source's key, made when its stat is seen (isKnown): everything its post is loaded from; undefined for a
  // source whose stat is not known or not trusted.
  const keys = new Map<string, string | undefined>();
  // Sources are stat'ed after this moment (see isRacy).
  const openedAt = Date.now();
  const keyOf = (source: Omit<SourceFile, 'text'>): string | undefined => keys.get(source.path);
  const codecOf = (key: string): Codec<LoadedPost> => ({
    encode(result) {
      // A post loaded without the body scan (the dev server's first load) may lack a warning: not kept either.
      if (!('post' in result) || result.diagnostics.length > 0 || options.shouldScanBodies === false || !isJsonExact(result.post.data)) return undefined;
      const { post } = result;
      // The identity it will have when revived: the build that loaded it can name the site as the next one will, so
      // a no-change build after an edit finds every page (and feed) of the edited site's output reusable.
      identities.set(post, key);
      const json = JSON.stringify(storablePost(post));
      const fieldsKey = sha1(json);
      fieldsKeys.set(post, fieldsKey);
      // Parsed again: the entry is not tied to the post's objects (kept until the store writes it).
      return [JSON.parse(json) as Record<string, unknown>, new StoredText(deferredTextOf(post, 'body')), digests.of(post), fieldsKey] satisfies Entry;
    },
    decode(entry) {
      if (!isEntry(entry)) return undefined;
      const post = revive(entry);
      if (!post) return undefined;
      digests.set(post, entry[2]);
      identities.set(post, key);
      fieldsKeys.set(post, entry[3]);
      return { post, diagnostics: [] };
    },
  });
  return {
    isKnown(source, stat) {
      const key = isRacy(stat, openedAt) ? undefined : postKeyOf(source, stat, options);
      keys.set(source.path, key);
      // memo's hit test on the entry's shape: reviving every post here, before loading needs it, held each one
      // through discovery (+12 MiB at 1,000 posts). An entry that then fails to revive is read from its file.
      return key !== undefined && recall(store, namespace, key, entryShape) !== undefined;
    },
    memo(source, load) {
      const key = keyOf(source);
      return memo(store, namespace, key, load, key === undefined ? undefined : codecOf(key));
    },
    identity: (post) => identities.get(post),
    fieldsKey(post) {
      let key = fieldsKeys.get(post);
      if (key === undefined && isJsonExact(post.data)) fieldsKeys.set(post, (key = sha1(JSON.stringify(storablePost(post)))));
      return key;
    },
  };
}

/** Entries as they are stored, for memo's hit test alone. */
const entryShape: Codec<Entry> = { encode: (entry) => entry, decode: (stored) => (isEntry(stored) ? stored : undefined) };

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Whether a stored value is an entry. */
function isEntry(e: unknown): e is Entry {
  return Array.isArray(e) && e.length === 4 && isRecord(e[0]) && e[1] instanceof StoredText && typeof e[2] === 'string' && typeof e[3] === 'string';
}

/** The post of an entry; undefined when its fields are of the wrong shape. */
function revive(entry: Entry): Post | undefined {
  return revivePost(entry[0], entry[1].deferred);
}

/** A post as JSON, without its body (stored as a blob of its own): dates by their instant's milliseconds. */
export function storablePost(post: Post): Record<string, unknown> {
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
export function revivePost(p: Record<string, unknown>, body: DeferredText): Post | undefined {
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
export function isJsonExact(value: unknown): boolean {
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

