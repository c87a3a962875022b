// The template context exported as TypeScript types (src/render/template-context.ts) and documented in the README
// is what templates really get: a blog whose page templates print their context as JSON is built, and every
// page kind's keys are compared with the documented names.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import type { ListContext, PageView, PaginationView, PostContext, PostView, SiteView, TagsContext, TagView } from '../src/index.js';
import { memoryWriter } from '../src/output/writer.js';
import { FIXED_NOW, fixturePath } from './helpers/build-fixture.js';

const templates = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-context-'));
afterAll(() => fs.rm(templates, { recursive: true, force: true }));

// Each list names every key of its type, no more (tsc checks `satisfies` where tests are type-checked; the
// comparisons below check the built pages against the same lists).
const siteKeys = { title: 1, description: 1, url: 1, basePath: 1, language: 1, author: 1, feedUrl: 1, atomUrl: 1, jsonFeedUrl: 1, sitemapUrl: 1, generator: 1, nav: 1 } satisfies Record<keyof SiteView, 1>;
const pageKeys = { kind: 1, title: 1, description: 1, url: 1, canonical: 1, isHome: 1 } satisfies Record<keyof PageView, 1>;
const postKeys = { title: 1, url: 1, slug: 1, date: 1, updated: 1, author: 1, authors: 1, readTime: 1, tags: 1, description: 1, html: 1, toc: 1, excerptHtml: 1, image: 1, imageUrl: 1, imageSize: 1, data: 1 } satisfies Record<keyof PostView, 1>;
const tagKeys = { name: 1, slug: 1, url: 1, count: 1 } satisfies Record<keyof TagView, 1>;
const paginationKeys = { page: 1, totalPages: 1, previous: 1, next: 1, first: 1, last: 1, pages: 1 } satisfies Record<keyof PaginationView, 1>;
const base = ['site', 'page', 'data'];
const postContextKeys = [...base, 'post', 'newer', 'older', 'related'] satisfies (keyof PostContext)[];
const listContextKeys = [...base, 'posts', 'pagination', 'tag'] satisfies (keyof ListContext)[];
const tagsContextKeys = [...base, 'tags'] satisfies (keyof TagsContext)[];

const keysOf = (value: unknown) => Object.keys(value as object).sort();
const names = (object: object) => Object.keys(object).sort();

describe('the template context', () => {
  it('gives each template the keys its exported type and the README name', async () => {
    for (const name of ['post', 'list', 'tags', '404']) await fs.writeFile(path.join(templates, `${name}.hbs`), '{{json this}}');
    await fs.writeFile(path.join(templates, 'layout.hbs'), '{{{body}}}');
    const writer = memoryWriter();
    const result = await build({ root: fixturePath('kitchen-sink'), templates, writer, cache: false, now: FIXED_NOW });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const context = (file: string) => JSON.parse(writer.read(file)!) as Record<string, Record<string, unknown>>;

    const post = context('posts/short-note/index.html');
    expect(keysOf(post)).toEqual([...postContextKeys].sort());
    expect(keysOf(post.site)).toEqual(names(siteKeys));
    expect(keysOf(post.page)).toEqual(names(pageKeys));
    expect(post.page.kind).toBe('post');
    // `excerptHtml` is on list pages only, and only for a post with `<!-- more -->`.
    expect(keysOf(post.post)).toEqual(names(postKeys).filter((key) => key !== 'excerptHtml'));
    expect(keysOf(post.post.date)).toEqual(['dateTime', 'iso', 'text']);
    expect(keysOf(post.post.readTime)).toEqual(['minutes', 'text']);
    expect(keysOf((post.post.tags as unknown[])[0])).toEqual(names(tagKeys));
    expect(keysOf(post.newer)).toEqual(['title', 'url']);
    expect(post.data).toEqual({});

    const home = context('index.html');
    expect(keysOf(home)).toEqual([...listContextKeys].sort());
    expect(home.page.isHome).toBe(true);
    expect(keysOf(home.pagination)).toEqual(names(paginationKeys));
    // A summary has no `html` nor `toc`; `excerptHtml` only when the post has `<!-- more -->`.
    for (const summary of home.posts as unknown as Record<string, unknown>[]) {
      const expected = names(postKeys).filter((key) => key !== 'html' && key !== 'toc' && (key !== 'excerptHtml' || 'excerptHtml' in summary));
      expect(keysOf(summary)).toEqual(expected);
    }
    expect(home.tag).toBeNull();

    const tagPage = Object.keys(Object.fromEntries(writer.files)).find((file) => /^tags\/[^/]+\/index\.html$/.test(file))!;
    const tag = context(tagPage);
    expect(keysOf(tag)).toEqual([...listContextKeys, 'tagFeeds'].sort());
    expect(keysOf(tag.tag)).toEqual(names(tagKeys));
    expect(keysOf(tag.tagFeeds)).toEqual(['atom', 'rss']);

    const tags = context('tags/index.html');
    expect(keysOf(tags)).toEqual([...tagsContextKeys].sort());
    expect(keysOf(context('404.html'))).toEqual([...base].sort());
  });
});
