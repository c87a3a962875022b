import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../../src/content/discover.js';
import { loadPosts } from '../../../src/content/load-posts.js';
import type { Diagnostic } from '../../../src/diagnostics/error.js';
import type { Post } from '../../../src/site/model.js';

const options = { timezone: 'UTC', author: 'Site Author' };

function source(name: string, text: string): SourceFile {
  return { path: `/blog/posts/${name}`, relPath: name, text, assets: [] };
}

function post(frontMatter: string, body = 'Body.\n', name = '2024-01-31-hello.md'): Post {
  const { posts, diagnostics } = loadPosts([source(name, `---\n${frontMatter}\n---\n${body}`)], options);
  expect(diagnostics).toEqual([]);
  expect(posts).toHaveLength(1);
  return posts[0];
}

function problems(frontMatter: string, body = 'Body.\n'): Diagnostic[] {
  const { posts, diagnostics } = loadPosts([source('bad.md', `---\n${frontMatter}\n---\n${body}`)], options);
  expect(posts).toEqual([]);
  return diagnostics;
}

const brief = (d: Diagnostic) => ({ code: d.code, line: d.loc?.line, column: d.loc?.column, message: d.message });

describe('loadPosts: read time', () => {
  it.each([
    ['readTime: 3 min read', 3],
    ['readTime: 5', 5],
    ['readTime: "5 minutes"', 5],
    ['readTime: 1 minute', 1],
    ['read_time: 7 mins', 7],
    ['readingTime: 2.6', 3],
    ['readTime: 4 min. read', 4],
    ['readTime: 12 minutes reading time', 12],
  ])('%s → %d minutes', (line, minutes) => {
    expect(post(`title: T\ndate: 2024-01-31\n${line}`).readTimeMinutes).toBe(minutes);
  });

  it('is undefined (computed later) when absent', () => {
    expect(post('title: T\ndate: 2024-01-31').readTimeMinutes).toBeUndefined();
  });

  it.each(['readTime: soon', 'readTime: 0', 'readTime: -3', 'readTime: [3]'])('rejects %s at its value', (line) => {
    expect(problems(`title: T\ndate: 2024-01-31\n${line}`).map(brief)).toEqual([
      { code: 'FrontMatterInvalid', line: 4, column: 11, message: '`readTime` must be a number of minutes or text such as "3 min read"' },
    ]);
  });
});

describe('loadPosts: tags', () => {
  it('accepts a comma-separated string, trimming and dropping empties', () => {
    expect(post('title: T\ndate: 2024-01-31\ntags: news,  recipes , ,bread').tags).toEqual(['news', 'recipes', 'bread']);
  });

  it('accepts flow and block lists, and a single name', () => {
    expect(post('title: T\ndate: 2024-01-31\ntags: [news, C++]').tags).toEqual(['news', 'C++']);
    expect(post('title: T\ndate: 2024-01-31\ntags:\n  - news\n  - 2024').tags).toEqual(['news', '2024']);
    expect(post('title: T\ndate: 2024-01-31\ntags: news').tags).toEqual(['news']);
    expect(post('title: T\ndate: 2024-01-31').tags).toEqual([]);
  });

  it('keeps the first spelling of tags with the same slug', () => {
    expect(post('title: T\ndate: 2024-01-31\ntags: [Café, cafe, CAFÉ, tea]').tags).toEqual(['Café', 'tea']);
  });

  it('rejects a mapping, a nested list and a number at the key', () => {
    expect(problems('title: T\ndate: 2024-01-31\ntags:\n  news: true').map(brief)).toEqual([
      { code: 'TagsInvalid', line: 4, column: 1, message: '`tags` must be a list of names, got a mapping' },
    ]);
    expect(problems('title: T\ndate: 2024-01-31\ntags: [[a, b]]').map(brief)[0].message).toBe('`tags` must be a list of names, got a nested list');
    expect(problems('title: T\ndate: 2024-01-31\ntags: [{a: 1}]').map(brief)[0].message).toBe('`tags` must be a list of names, got a mapping inside the list');
    expect(problems('title: T\ndate: 2024-01-31\ntags: 5').map(brief)[0].message).toBe('`tags` must be a list of names, got number 5');
  });

  it('rejects tags that are paths', () => {
    for (const tag of ['../x', '..', '/etc', 'a/../../b']) {
      expect(problems(`title: T\ndate: 2024-01-31\ntags: ["${tag}"]`).map((d) => d.code)).toEqual(['SlugUnsafe']);
    }
    expect(post('title: T\ndate: 2024-01-31\ntags: [a/b testing]').tags).toEqual(['a/b testing']);
  });
});

describe('loadPosts: title', () => {
  it('comes from front matter, trimmed', () => {
    const p = post('title: "  Hello  "\ndate: 2024-01-31');
    expect(p.title).toBe('Hello');
    expect(p.dropsTitleHeading).toBe(false);
  });

  it('comes from the first # heading when front matter has none, without inline markup', () => {
    const p = post('date: 2024-01-31', '\n```md\n# Not this, it is code\n```\n\n## Not a level-2 heading\n\n# The *real* `title` [link](/x)\n');
    expect(p.title).toBe('The real title link');
    expect(p.dropsTitleHeading).toBe(true);
    expect(post('date: 2024-01-31\ntitle: ""', 'Setext title\n============\n').title).toBe('Setext title');
  });

  it('marks a body heading that repeats the front-matter title, so the page does not show it twice', () => {
    expect(post('title: Spring Menu\ndate: 2024-01-31', '\n# Spring  menu\n\nText.\n').dropsTitleHeading).toBe(true);
    expect(post('title: Spring Menu\ndate: 2024-01-31', '\n# Something else\n\nText.\n').dropsTitleHeading).toBe(false);
    expect(post('title: Spring Menu\ndate: 2024-01-31', '\n## Spring Menu\n\nText.\n').dropsTitleHeading).toBe(false);
  });

  it('is an error when there is neither', () => {
    expect(problems('date: 2024-01-31', 'Text.\n\n## Level two\n').map(brief)).toEqual([
      { code: 'TitleMissing', line: 1, column: 1, message: 'post has no title' },
    ]);
  });

  it('must be text', () => {
    expect(problems('title: [a, b]\ndate: 2024-01-31').map(brief)).toEqual([
      { code: 'FrontMatterInvalid', line: 2, column: 8, message: '`title` must be text' },
    ]);
  });
});

describe('loadPosts: slug, dates, author', () => {
  it('derives the slug from the file name without its date prefix', () => {
    expect(post('title: T\ndate: 2024-01-31').slug).toBe('hello');
    expect(post('title: T\ndate: 2024-01-31', 'x', 'Notes on C++.md').slug).toBe('notes-on-c-plus-plus');
    expect(post('title: T\ndate: 2024-01-31', 'x', '🎉.md').slug).toBe('u-1f389');
    expect(post('title: T\ndate: 2024-01-31\nslug: Custom Slug').slug).toBe('custom-slug');
  });

  it('rejects a slug that is a path, at its value', () => {
    expect(problems('title: T\ndate: 2024-01-31\nslug: ../../etc').map(brief)).toEqual([
      { code: 'SlugUnsafe', line: 4, column: 7, message: '`slug` "../../etc" is a path, so the post would be written outside the posts/ folder of the site' },
    ]);
  });

  it('reports a bad date at its value, in file coordinates', () => {
    expect(problems('title: T\n# a comment line\ndate: 2024-02-30').map(brief)).toEqual([
      { code: 'DateInvalid', line: 4, column: 7, message: '`date` is not a valid date: "2024-02-30" does not exist (February 2024 has 29 days)' },
    ]);
  });

  it('reports a missing date', () => {
    expect(problems('title: T').map((d) => d.code)).toEqual(['DateMissing']);
  });

  it('uses the site author when the post has none', () => {
    expect(post('title: T\ndate: 2024-01-31').author).toBe('Site Author');
    expect(post('title: T\ndate: 2024-01-31\nauthor: Ada').author).toBe('Ada');
  });

  it('keeps unknown front-matter keys as data', () => {
    expect(post('title: T\ndate: 2024-01-31\nmood: sunny').data).toEqual({ mood: 'sunny' });
  });
});

describe('loadPosts: several problems', () => {
  it('reports every problem of a post, and of every post, in one pass', () => {
    const { posts, diagnostics } = loadPosts(
      [
        source('a.md', '---\ntitle: [x]\ndate: soon\ntags: {a: 1}\ndraft: perhaps\n---\n'),
        source('b.md', '---\ntitle: Good\ndate: 2024-01-01\n---\nFine.\n'),
        source('c.md', '---\ntitle: : :\n---\n'),
      ],
      options,
    );
    expect(posts.map((p) => p.relPath)).toEqual(['b.md']);
    expect(diagnostics.map((d) => [d.loc?.file, d.code, d.loc?.line])).toEqual([
      ['/blog/posts/a.md', 'FrontMatterInvalid', 2],
      ['/blog/posts/a.md', 'DateInvalid', 3],
      ['/blog/posts/a.md', 'TagsInvalid', 4],
      ['/blog/posts/a.md', 'FrontMatterInvalid', 5],
      ['/blog/posts/c.md', 'FrontMatterSyntax', 2],
    ]);
    for (const d of diagnostics) expect(d.hint).toBeTruthy();
  });
});
