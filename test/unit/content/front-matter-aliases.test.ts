/**
 * Every group of front-matter aliases (content/front-matter-keys.ts: `date`/`pubDate`…, `readTime`/`read_time`…)
 * behaves the same: any one key of a group is read as the canonical key, and any two keys of one group given at
 * once are the same two-keys error, at the second key's line, naming both keys and their lines. The test walks the
 * whole alias table, so a group added later is checked too.
 */
import { describe, expect, it } from 'vitest';
import { keyAliases, tagKeys } from '../../../src/content/front-matter-keys.js';
import { loadPosts } from '../../../src/content/load-posts.js';

const options = { timezone: 'UTC', author: 'Site Author' };

/** A value each group's keys accept (`published: true` means the same as `draft: false`). */
const values: Record<keyof typeof keyAliases, (key: string) => string> = {
  date: () => '2024-01-02',
  updated: () => '2024-01-03',
  description: () => 'What the post says.',
  author: () => 'Ann Baker',
  image: () => 'photo.png',
  draft: (key) => (key === 'published' ? 'true' : 'false'),
  readTime: () => '3',
};

const load = (frontMatter: string[]) =>
  loadPosts([{ path: '/blog/posts/post.md', relPath: 'post.md', text: `---\n${frontMatter.join('\n')}\n---\nBody.\n`, assets: [] }], options);

const groups = Object.entries(keyAliases) as [keyof typeof keyAliases, readonly string[]][];
const pairs = groups.flatMap(([group, keys]) => keys.flatMap((first, i) => keys.slice(i + 1).map((second) => ({ group, first, second }))));

describe('front-matter aliases: every group', () => {
  it('the table has the groups the README documents, readTime among them', () => {
    expect(groups.map(([group]) => group)).toEqual(['date', 'updated', 'description', 'author', 'image', 'draft', 'readTime']);
    expect(pairs.length).toBeGreaterThan(groups.length);
  });

  it.each(groups.flatMap(([group, keys]) => keys.map((key) => ({ group, key }))))('$key alone is read as $group', ({ group, key }) => {
    const lines = ['title: T', ...(group === 'date' ? [] : ['date: 2024-01-01']), `${key}: ${values[group](key)}`];
    const { posts, diagnostics } = load(lines);
    expect(diagnostics).toEqual([]);
    expect(posts).toHaveLength(1);
  });

  it.each(pairs)('$first and $second at once: one error naming both lines', ({ group, first, second }) => {
    // Written in either order, the error is at the key that is not preferred, and names both.
    for (const order of [[first, second], [second, first]]) {
      const lines = ['title: T', ...(group === 'date' ? [] : ['date: 2024-01-01']), ...order.map((key) => `${key}: ${values[group](key)}`)];
      const lineOf = (key: string) => lines.indexOf(`${key}: ${values[group](key)}`) + 2;
      const { posts, diagnostics } = load(lines);
      expect(posts).toEqual([]);
      expect(diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.loc?.line, message: d.message, hint: d.hint }))).toEqual([
        {
          code: 'FrontMatterInvalid',
          severity: 'error',
          line: lineOf(second),
          message: expect.stringMatching(new RegExp(`^\`${second}\` \\(line ${lineOf(second)}\\) and \`${first}\` \\(line ${lineOf(first)}\\) both give `)),
          hint: `keep one of the two lines: blogbuild reads \`${second}\` as \`${first}\``,
        },
      ]);
    }
  });

  it('tag keys are not a conflict: tags, categories and category are merged into one list', () => {
    const lines = ['title: T', 'date: 2024-01-01', ...tagKeys.map((key, i) => `${key}: [t${i}]`)];
    const { posts, diagnostics } = load(lines);
    expect(diagnostics).toEqual([]);
    expect(posts[0]!.tags).toEqual(tagKeys.map((_, i) => `t${i}`));
  });
});
