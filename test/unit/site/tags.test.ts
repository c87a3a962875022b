import { describe, expect, it } from 'vitest';
import type { RenderedPost } from '../../../src/site/model.js';
import { groupTags, tagSlug } from '../../../src/site/tags.js';

const post = (slug: string, tags: string[]) => ({ slug, tags }) as unknown as RenderedPost;

describe('tagSlug', () => {
  it('gives punctuation-heavy names distinct, readable, path-safe slugs', () => {
    const names = ['C++', 'C#', 'C', 'Node.js', 'café', 'a/b testing', 'Trigger Point Therapy', '🎉'];
    const slugs = names.map(tagSlug);
    expect(slugs).toEqual(['c-plus-plus', 'c-sharp', 'c', 'node-js', 'cafe', 'a-b-testing', 'trigger-point-therapy', 'u-1f389']);
    expect(new Set(slugs).size).toBe(names.length);
    for (const slug of slugs) expect(slug).toMatch(/^[\p{L}\p{N}-]+$/u);
  });
});

describe('groupTags', () => {
  it('merges spellings with one slug, keeps post order and names the tag by its most used spelling', () => {
    const posts = [post('a', ['Trigger Point Therapy']), post('b', ['trigger point therapy', 'C++']), post('c', ['trigger point therapy'])];
    const tags = groupTags(posts, 'en');
    expect(tags.map((t) => [t.slug, t.name, t.posts.map((p) => p.slug)])).toEqual([
      ['c-plus-plus', 'C++', ['b']],
      ['trigger-point-therapy', 'trigger point therapy', ['a', 'b', 'c']],
    ]);
  });

  it('does not depend on the order of the posts for a tie between spellings', () => {
    const one = groupTags([post('a', ['Café']), post('b', ['café'])], 'en');
    const two = groupTags([post('b', ['café']), post('a', ['Café'])], 'en');
    expect(one[0].name).toBe(two[0].name);
  });
});
