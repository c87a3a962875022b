import { createHash } from 'node:crypto';
import type { Post } from '../site/model.js';
import { lazyTextOf } from './packed.js';

/**
 * A hash of each post's body, the part of the markdown cache's key that comes from the post. The post cache
 * stores it with the post, so a build whose posts all come from that cache neither decodes nor hashes the
 * bodies; other posts are hashed once, when first asked.
 */
const digests = new WeakMap<Post, string>();

export function bodyDigest(post: Post): string {
  let digest = digests.get(post);
  if (digest === undefined) {
    // The bytes of a body still undecoded, else its string: the same UTF-8, so the same digest.
    digest = createHash('sha1').update(lazyTextOf(post, 'body')).digest('hex');
    digests.set(post, digest);
  }
  return digest;
}

/** Records the digest of a post's body, known from the post cache (which computed it from the same body). */
export function setBodyDigest(post: Post, digest: string): void {
  digests.set(post, digest);
}
