import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { BodyDigests } from '../cache/body-digest.js';
import { isJsonExact, isRacy, postKeyOf, storablePost, type PostCache } from '../cache/post-cache.js';
import type { SourceFile } from '../content/discover.js';
import type { LoadPostsOptions } from '../content/load-posts.js';
import { findUnprintable } from '../content/printable.js';
import type { Post } from '../site/model.js';
import type { PostIndex } from './post-index.js';

/**
 * The posts the served site loaded, handed to the background check in place of the persistent post cache: at
 * 10,000 posts that cache is 59 MB of files, which every check read whole and revived into a second set of 10,000
 * posts beside the served one, the most of a check's memory (issue 15: serve's peak RSS). A source whose stat is the
 * one the served site loaded it with gives a copy of that post (its fields shared, its body read when the check needs
 * it, never kept on the served post); other sources are loaded from their files, as without a cache.
 *
 * The served site loads posts without scanning their bodies for characters a page cannot hold (a warning): a source
 * with such a character anywhere is loaded from its file by the check, so its warnings are the build's own.
 */
export function servedPosts(index: PostIndex, servedDigests: BodyDigests, options: LoadPostsOptions): (digests: BodyDigests) => PostCache {
  return (digests) => {
    const identities = new WeakMap<Post, string>();
    const fieldsKeys = new WeakMap<Post, string>();
    // Each known source's post and key, from isKnown (the stat is taken once, there).
    const found = new Map<string, { post: Post; key: string }>();
    const keys = new Map<string, string>();
    const openedAt = Date.now();
    return {
      isKnown(source, stat) {
        const key = postKeyOf(source, stat, options);
        if (!isRacy(stat, openedAt)) keys.set(source.path, key);
        const post = index.loadedFrom(source, stat);
        if (post) found.set(source.path, { post, key });
        return post !== undefined;
      },
      memo(source, load) {
        const served = found.get(source.path);
        if (served && isPrintable(source)) {
          const post = copyOf(served.post);
          digests.set(post, servedDigests.of(served.post));
          identities.set(post, served.key);
          return { post, diagnostics: [] };
        }
        const result = load();
        // As the post cache names a post it stores: loaded without a problem, from a stat the next build can trust.
        const key = keys.get(source.path);
        if ('post' in result && result.diagnostics.length === 0 && key !== undefined && isJsonExact(result.post.data)) identities.set(result.post, key);
        return result;
      },
      identity: (post) => identities.get(post),
      fieldsKey(post) {
        let key = fieldsKeys.get(post);
        if (key === undefined && isJsonExact(post.data)) fieldsKeys.set(post, (key = createHash('sha1').update(JSON.stringify(storablePost(post))).digest('hex')));
        return key;
      },
    };
  };
}

/**
 * A post with the served post's fields: the build may read its body (decoded or read from its source then, and kept
 * on the copy, so the served post stays as small as it was).
 */
function copyOf(post: Post): Post {
  return Object.create(Object.getPrototypeOf(post), Object.getOwnPropertyDescriptors(post)) as Post;
}

/** Whether the source file holds no character a page cannot hold (read now; the check's garbage, not kept). */
function isPrintable(source: Omit<SourceFile, 'text'>): boolean {
  try {
    return findUnprintable(fs.readFileSync(source.path, 'utf8').replace(/^\uFEFF/, '')) === undefined;
  } catch {
    // Unreadable now: loaded from the file, which reports it.
    return false;
  }
}
