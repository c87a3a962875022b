import { bodyDigests, type BodyDigests } from '../cache/body-digest.js';
import { isJsonExact, isRacy, postKeyOf, revivePost, storablePost } from '../cache/post-cache.js';
import type { SourceFile, SourceStat } from '../content/discover.js';
import { textOf } from '../content/lazy-text.js';
import { loadPosts, type LoadedPost, type LoadPostsOptions, type StoredPosts } from '../content/load-posts.js';
import { readSource } from '../content/read-source.js';
import { recall, remember, type Codec } from '../incremental/memo.js';
import { StoredText, type Store } from '../incremental/store.js';
import type { Post } from '../site/model.js';

/**
 * The dev server's index of its posts' front matter: what the lazy site needs of every post but its body, in one
 * value of the store's `dev-posts` namespace (one JSON text, one file, one checksum), each entry by the post
 * cache's kind of key (the source's path and stat and the other inputs of loading). The post cache keeps each
 * post's body beside it, so reading it meant reading every body (59 MB at 10,000 posts) to start; the index is a
 * tenth of that. A post from the index gets its body when first read (a page whose markdown is not in the markdown
 * cache), from its source, which must still have the body the index's digest names.
 */
export interface PostIndex extends StoredPosts {
  /** How many posts this load took from the index. */
  readonly fromIndex: number;
  /** Writes the index again when this load found sources it did not know, or did not use some of its entries. */
  save(): void;
  /**
   * The post this load took from the index or loaded without a problem from the source, when the source still has
   * the stat it had then (see served-posts.ts); undefined when it changed since, or that stat was too recent to trust.
   */
  loadedFrom(source: Omit<SourceFile, 'text'>, stat: SourceStat): Post | undefined;
}

const namespace = 'dev-posts';
const key = 'index';

/** One indexed post: its key, its body's digest (the markdown cache's key), its fields but the body (post-cache.ts). */
type Entry = [key: string, bodyDigest: string, post: Record<string, unknown>];

const indexCodec: Codec<Map<string, Entry>> = {
  encode: (entries) => new StoredText(JSON.stringify([...entries.values()])),
  decode(stored) {
    if (!(stored instanceof StoredText)) return undefined;
    let entries: unknown;
    try {
      entries = JSON.parse(textOf(stored.text));
    } catch {
      // A damaged index is no index: every post is loaded as without one.
      return undefined;
    }
    if (!Array.isArray(entries) || !entries.every(isEntry)) return undefined;
    return new Map((entries as Entry[]).map((entry) => [entry[0], entry]));
  },
};

function isEntry(e: unknown): e is Entry {
  return Array.isArray(e) && e.length === 3 && typeof e[0] === 'string' && typeof e[1] === 'string' && typeof e[2] === 'object' && e[2] !== null && !Array.isArray(e[2]);
}

/**
 * The index over `store` (the cache folder's), for posts loaded with `options`. Without an index to read (none yet,
 * damaged, or made by other code), `fallback` (the post cache) answers for every source; with one, a source it does
 * not know (new, or saved since) is loaded from its file.
 */
export function postIndex(store: Store, digests: BodyDigests, options: LoadPostsOptions, fallback: StoredPosts | undefined): PostIndex {
  let index: Map<string, Entry> | undefined;
  let isRead = false;
  const indexed = () => {
    if (!isRead) index = recall(store, namespace, key, indexCodec);
    isRead = true;
    return index;
  };
  // Each source's key, made when its stat is seen (undefined: not trusted, see isRacy in post-cache.ts).
  const keys = new Map<string, string | undefined>();
  // Sources are stat'ed after this moment.
  const openedAt = Date.now();
  const keyOf = (source: Omit<SourceFile, 'text'>): string | undefined => keys.get(source.path);
  const keyAt = (source: Omit<SourceFile, 'text'>, stat: SourceStat) => {
    return isRacy(stat, openedAt) ? undefined : postKeyOf(source, stat, options);
  };
  const see = (source: Omit<SourceFile, 'text'>, stat: SourceStat) => keys.set(source.path, keyAt(source, stat));
  // What this load would write: each post loaded without a problem, by its key; and how many came from the index.
  const loaded = new Map<string, Post>();
  let fromIndex = 0;
  let isSaved = false;
  const fromEntry = (source: SourceFile, entry: Entry): Post | undefined => {
    // The body, read from the source when first asked for (revived with it: a body defined twice cost a change of
    // each post's hidden class, ~25 ms of a 10,000-post start).
    const found = { path: source.path, relPath: source.relPath, bundleDir: source.bundleDir, assets: source.assets };
    const post = revivePost(entry[2], () => bodyOf(found, entry[1], options));
    if (!post || post.sourcePath !== source.path) return undefined;
    digests.set(post, entry[1]);
    return post;
  };
  return {
    get fromIndex() {
      return fromIndex;
    },
    prepare: () => void indexed(),
    isKnown(source, stat) {
      see(source, stat);
      if (!indexed()) return fallback?.isKnown(source, stat) ?? false;
      const found = keyOf(source);
      return found !== undefined && index!.has(found);
    },
    memo(source, load) {
      const found = keyOf(source);
      const entry = found === undefined ? undefined : indexed()?.get(found);
      const post = entry && fromEntry(source, entry);
      let result: LoadedPost;
      if (post) {
        fromIndex++;
        result = { post, diagnostics: [] };
      } else result = !indexed() && fallback ? fallback.memo(source, load) : load();
      if (found !== undefined && 'post' in result && result.diagnostics.length === 0) loaded.set(found, result.post);
      return result;
    },
    save() {
      if (isSaved || (index && fromIndex === index.size && loaded.size === fromIndex)) return;
      isSaved = true;
      const entries = new Map<string, Entry>();
      for (const [at, post] of loaded) if (isJsonExact(post.data)) entries.set(at, [at, digests.of(post), storablePost(post)]);
      remember(store, namespace, key, entries, indexCodec);
      store.commit(namespace);
    },
    loadedFrom(source, stat) {
      const at = keyAt(source, stat);
      return at === undefined || keyOf(source) !== at ? undefined : loaded.get(at);
    },
  };
}

/**
 * An indexed post's body, read from its source (the reader of its lazy text, see defineLazyText). A source whose body
 * is no longer the one the index named (saved since the dev server started) gives an error rather than a page of
 * another body: the watcher reports the save, and the post is loaded again.
 */
function bodyOf(source: Omit<SourceFile, 'text'>, digest: string, options: LoadPostsOptions): string {
  const read = readSource(source, undefined, undefined);
  if (!('source' in read)) throw new Error(read.diagnostic.message);
  const { posts } = loadPosts([read.source], options);
  if (posts.length !== 1 || bodyDigests().of(posts[0]) !== digest) throw new Error(`${source.relPath} changed after the dev server loaded it; it is loaded again once the change is seen`);
  return posts[0].body;
}
