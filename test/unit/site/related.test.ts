import { describe, expect, it } from 'vitest';
import type { RenderedPost } from '../../../src/site/model.js';
import { relatedPosts } from '../../../src/site/related.js';

/** Posts newest first, as the site orders them: only what relatedPosts reads. */
const posts = (...specs: [slug: string, tags: string[], related?: number][]) =>
  specs.map(([slug, tags, related]) => ({ slug, tags, related }) as unknown as RenderedPost);
const slugs = (map: Map<RenderedPost, RenderedPost[]>, post: RenderedPost) => map.get(post)?.map((p) => p.slug);

describe('relatedPosts', () => {
  it('ranks by shared tags, then by the site order (newest first), and never lists the post itself', () => {
    const list = posts(['a', ['x']], ['b', ['x', 'y']], ['c', ['y']], ['d', ['x', 'y', 'z']], ['e', ['q']]);
    const related = relatedPosts(list, { limit: 3 });
    expect(slugs(related, list[3])).toEqual(['b', 'a', 'c']);
    expect(slugs(related, list[1])).toEqual(['d', 'a', 'c']);
    expect(slugs(related, list[4])).toEqual([]);
  });

  it('counts a tag spelled two ways once, and honours each post\'s own limit', () => {
    const list = posts(['a', ['C++', 'Go']], ['b', ['c++']], ['c', ['go']], ['d', ['c++', 'go'], 1]);
    const related = relatedPosts(list, { limit: 3 });
    expect(slugs(related, list[0])).toEqual(['d', 'b', 'c']);
    expect(slugs(related, list[3])).toEqual(['a']);
    expect(relatedPosts(list, { limit: 0 }).get(list[0])).toBeUndefined();
    expect(slugs(relatedPosts(list, { limit: 0 }), list[3])).toEqual(['a']);
  });

  it('worked out on first use (as builds and the dev server do), gives every post the lists worked out all at once', () => {
    // 300 posts with 1-4 of 12 tags, some with their own limit: ties and limits in plenty.
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const specs: [string, string[], number?][] = Array.from({ length: 300 }, (_, i) => [
      `p${i}`, Array.from({ length: 1 + (next() % 4) }, () => `t${next() % 12}`), i % 17 === 0 ? next() % 5 : undefined]);
    const list = posts(...specs);
    const all = relatedPosts(list, { limit: 3 });
    const lazy = relatedPosts(list, { limit: 3, isLazy: true });
    // Asked in another order than the site's.
    for (const post of [...list].reverse()) expect(slugs(lazy, post), post.slug).toEqual(slugs(all, post));
    expect(all.size).toBeGreaterThan(250);
  });
});

describe('authorSlug', () => {
  it('leaves out a leading @, keeps slugs short enough for a folder name, and never makes a path', async () => {
    const { authorSlug } = await import('../../../src/site/authors.js');
    expect(authorSlug('@maria')).toBe('maria');
    expect(authorSlug('Alice Moreau')).toBe('alice-moreau');
    expect(authorSlug('../../etc')).toBe('etc');
    const long = authorSlug('名'.repeat(200));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(100);
    expect(long).toBe('名'.repeat(33));
  });
});
