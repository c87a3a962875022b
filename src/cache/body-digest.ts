import { createHash } from 'node:crypto';
import type { Post } from '../site/model.js';
import { lazyTextOf } from '../content/lazy-text.js';

/**
 * Hashes of posts' bodies, the part of the markdown cache's key that comes from the post. The post cache records
 * the digest it stored with each post it revives, so a build whose posts all come from that cache neither decodes
 * nor hashes the bodies; other posts are hashed once, when first asked. One set per build (or per dev-server
 * session, whose posts stay the same objects while unchanged).
 */
export interface BodyDigests {
  /** The digest of the post's body. */
  of(post: Post): string;
  /** Records the digest of a post's body, known from the post cache (which computed it from the same body). */
  set(post: Post, digest: string): void;
}

/** An empty set of body digests. */
export function bodyDigests(): BodyDigests {
  const digests = new WeakMap<Post, string>();
  return {
    of(post) {
      let digest = digests.get(post);
      if (digest === undefined) {
        // The bytes of a body still undecoded, else its string: the same UTF-8, so the same digest.
        digest = createHash('sha1').update(lazyTextOf(post, 'body')).digest('hex');
        digests.set(post, digest);
      }
      return digest;
    },
    set: (post, digest) => void digests.set(post, digest),
  };
}
