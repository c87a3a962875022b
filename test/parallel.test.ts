import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { discoverSources } from '../src/content/discover.js';
import { loadPosts } from '../src/content/load-posts.js';
import { renderInPool } from '../src/markdown/pool.js';
import { createMarkdownProcessor } from '../src/markdown/processor.js';
import { renderBody, renderMarkdown, type MarkdownJob, type MarkdownResult } from '../src/markdown/render-markdown.js';
import { memoryWriter, type MemoryWriter } from '../src/output/writer.js';
import { feedItemHtml } from '../src/site/absolute-urls.js';
import { feedItemBase } from '../src/site/feed.js';
// The benchmark's deterministic corpus generator: seed-like posts with tables, emoji lists, code and links.
import { generateSite } from '../scripts/bench.js';

const fixture = fileURLToPath(new URL('./fixtures/cache-site/', import.meta.url));
const NOW = new Date('2026-01-01T00:00:00Z');

async function buildWith(root: string, workers: number | undefined): Promise<MemoryWriter> {
  const writer = memoryWriter();
  const result = await build({ root, now: NOW, writer, cache: false, workers });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.stats.markdownRendered).toBe(result.stats.posts);
  // Pool-equals-thread means nothing unless the pool did the rendering: every post came back from a worker.
  // The default (undefined) is a pool from 64 posts to render on a machine with 2+ cores.
  const isPooled = workers === undefined ? os.availableParallelism() >= 2 && result.stats.posts >= 64 : workers > 0;
  expect(result.stats.markdownInWorkers).toBe(isPooled ? result.stats.posts : 0);
  return writer;
}

function expectSameOutput(a: MemoryWriter, b: MemoryWriter) {
  expect(a.files.size).toBeGreaterThan(0);
  expect([...b.files.keys()].sort()).toEqual([...a.files.keys()].sort());
  for (const [file, bytes] of a.files) expect(Buffer.from(b.files.get(file)!).equals(Buffer.from(bytes)), file).toBe(true);
}

describe('parallel markdown rendering', () => {
  it('gives byte-identical output in this thread and with pools of 1 and 3 workers (fixture)', async () => {
    const inThread = await buildWith(fixture, 0);
    const one = await buildWith(fixture, 1);
    const three = await buildWith(fixture, 3);
    expectSameOutput(inThread, one);
    expectSameOutput(inThread, three);
    // Sanity: the pages hold rendered markdown, not an empty body.
    expect(parseHTML(three.read('posts/tables/index.html')!).document.querySelectorAll('table tbody tr')).toHaveLength(2);
    expect(parseHTML(three.read('posts/code/index.html')!).document.querySelector('code.language-js')?.textContent).toContain("const bread = ['rye', 'wheat'];");
  });

  describe('on a generated blog large enough for the default pool', () => {
    let root: string;
    beforeAll(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-parallel-'));
      generateSite(root, 80, {});
    });
    afterAll(async () => {
      await fs.rm(root, { recursive: true, force: true });
    });

    it('renders the same bytes with the default pool (80 posts ≥ 64) as in one thread', async () => {
      const inThread = await buildWith(root, 0);
      const pooled = await buildWith(root, undefined);
      const three = await buildWith(root, 3);
      expectSameOutput(inThread, pooled);
      expectSameOutput(inThread, three);
      expect([...inThread.files.keys()].filter((f) => f.startsWith('posts/') && f.endsWith('index.html'))).toHaveLength(80);
    });

    it('has the workers make the feed items with every URL absolute, as this thread makes them', async () => {
      const { sources } = await discoverSources(path.join(root, 'posts'));
      const { posts } = loadPosts(sources, { timezone: 'UTC', author: 'bench' });
      const site = { url: 'https://example.org/blog/', basePath: '/blog/' };
      const inFeed = posts.slice(0, 12);
      const feedItems = new Map(inFeed.map((post) => [post, feedItemBase(site, post)]));
      const markdown = { rawHtml: true, tagfilter: 'safe' as const, basePath: site.basePath };
      const out = await renderMarkdown(posts, { markdown, readingSpeed: 200, workers: 2, feedItems: () => feedItems });
      expect(out.stats.workers).toBe(2);
      expect(out.stats.renderedInWorkers).toBe(posts.length);
      expect(out.feedHtml.size).toBe(inFeed.length);
      let absolutized = 0;
      for (const [post, item] of out.feedHtml) {
        expect(item.base).toBe(`https://example.org/blog/posts/${post.slug}/`);
        expect(item.html).toBe(feedItemHtml(post.html, { base: item.base, rootRelative: false }));
        // Links written root-relative in the post (/blog/tags/…) now carry the site's origin.
        if (/href="\/blog\//.test(post.html)) {
          expect(item.html).not.toMatch(/href="\/blog\//);
          expect(item.html).toContain('href="https://example.org/blog/');
          absolutized++;
        }
      }
      expect(absolutized).toBeGreaterThan(0);
    });

    it('gives the same feed with and without workers for a site without a url (root-relative links)', async () => {
      const noUrl = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-parallel-nourl-'));
      try {
        await fs.cp(root, noUrl, { recursive: true });
        const configFile = path.join(noUrl, 'blogbuild.config.json');
        const config = JSON.parse(await fs.readFile(configFile, 'utf8'));
        delete config.url;
        await fs.writeFile(configFile, JSON.stringify(config));
        const inThread = await buildWith(noUrl, 0);
        const pooled = await buildWith(noUrl, 2);
        expectSameOutput(inThread, pooled);
        const rss = pooled.read('rss.xml')!;
        expect(rss).toContain('href="/posts/');
        expect(rss).not.toContain('blogbuild.invalid');
      } finally {
        await fs.rm(noUrl, { recursive: true, force: true });
      }
    });

    it('stops the workers and reports the template error when the templates are broken', async () => {
      const broken = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-parallel-broken-'));
      try {
        await fs.cp(root, broken, { recursive: true });
        const templates = path.join(broken, 'templates');
        await fs.cp(fileURLToPath(new URL('../templates/', import.meta.url)), templates, { recursive: true });
        await fs.writeFile(path.join(templates, 'post.hbs'), '<article>{{#if title}}{{title}}</article>\n');
        const writer = memoryWriter();
        const result = await build({ root: broken, templates, now: NOW, writer, cache: false, workers: 2 });
        expect(result.ok).toBe(false);
        expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['TemplateSyntax']);
        expect(result.diagnostics.find((d) => d.code === 'TemplateSyntax')?.loc?.file).toBe(path.join(templates, 'post.hbs'));
        // Stopped, not finished: no post was reported as failed, and a build that stops waits for no worker.
        expect(result.diagnostics.some((d) => d.code === 'MarkdownFailed')).toBe(false);
        expect(writer.files.size).toBe(0);
      } finally {
        await fs.rm(broken, { recursive: true, force: true });
      }
    });
  });

  it('renders in the main thread what workers that run out of memory leave, with the same results', async () => {
    const markdown = { rawHtml: true, tagfilter: 'safe' as const, basePath: '/' };
    const jobs: MarkdownJob[] = Array.from({ length: 6 }, (_, i) => ({
      path: `post-${i}.md`,
      body: `## Part ${i}\n\n| a | b |\n|---|---|\n| ${i} | ${'word '.repeat(20_000)} |\n\n- 🍞 item www.example.com/${i}\n`,
      stripTitleHeading: false,
    }));
    const results: (MarkdownResult | undefined)[] = [];
    let loaded = 0;
    await renderInPool(jobs, {
      size: 2,
      markdown,
      // Far too small for a 100 KB table: the workers die of it, and this thread renders every job.
      limits: { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 },
      loadProcessor: async () => (loaded++, createMarkdownProcessor(markdown)),
      onResult: (i, result, cause) => {
        expect(cause).toBeUndefined();
        results[i] = result;
      },
    });
    expect(loaded).toBe(1);
    const processor = await createMarkdownProcessor(markdown);
    for (const [i, job] of jobs.entries()) expect(results[i], job.path).toEqual(await renderBody(processor, job));
  });
});
