/**
 * The sitemap past its URL limit: a sitemap index (`/sitemap.xml`) pointing at parts of at most the limit each.
 * A real build of the post-extras fixture with a small limit (the build's internal `sitemapMaxUrls`), parsed with a
 * real XML parser and link-checked, and the sitemap of a generated site model above the real limit of 50,000 URLs.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { checkOutput } from '../src/check/check-output.js';
import type { PostDate } from '../src/content/dates.js';
import type { RenderedPost, Site } from '../src/site/model.js';
import { sitemapFiles, sitemapMaxUrls } from '../src/site/sitemap.js';
import { buildFixture } from './helpers/build-fixture.js';

const parser = new XMLParser({ isArray: (name) => name === 'url' || name === 'sitemap' });
const origin = 'https://example.org/';
const w3c = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z))?$/;

describe('sitemap index (post-extras, built with a limit of 5 URLs a file)', async () => {
  const out = await buildFixture('post-extras', { sitemapMaxUrls: 5 });
  const pages = [...out.writer.files.keys()].filter((f) => f.endsWith('.html') && f !== '404.html').map((f) => origin + f.replace(/index\.html$/, ''));

  it('makes /sitemap.xml an index of parts that list every page once, at most 5 each', () => {
    expect(out.ok).toBe(true);
    const index = parser.parse(out.read('sitemap.xml'));
    expect(index.urlset).toBeUndefined();
    const parts: { loc: string; lastmod: string }[] = index.sitemapindex.sitemap;
    expect(pages.length).toBe(17);
    expect(parts.map((p) => p.loc)).toEqual([1, 2, 3, 4].map((n) => `${origin}sitemap-${n}.xml`));
    const listed: string[] = [];
    for (const [i, part] of parts.entries()) {
      const urls: { loc: string; lastmod: string }[] = parser.parse(out.read(`sitemap-${i + 1}.xml`)).urlset.url;
      expect(urls.length).toBeLessThanOrEqual(5);
      for (const url of urls) expect(url.lastmod, url.loc).toMatch(w3c);
      // A part's lastmod is the newest of its URLs'.
      expect(part.lastmod).toBe(urls.map((u) => u.lastmod).sort().at(-1));
      listed.push(...urls.map((u) => u.loc));
    }
    expect(listed.sort()).toEqual(pages.sort());
  });

  it('keeps robots.txt pointing at the index, and every link of the index and its parts resolves', () => {
    expect(out.read('robots.txt')).toContain(`Sitemap: ${origin}sitemap.xml`);
    const report = checkOutput({ files: out.writer.files, basePath: '/', url: origin });
    // The fixture's missing images are the only problems (ImageMissing, on purpose).
    expect(report.diagnostics.filter((d) => d.code !== 'ImageMissing')).toEqual([]);
    expect(report.links).toBeGreaterThan(17);
    expect(report.feeds).toBeGreaterThanOrEqual(5);
  });

  it('stays one file when the pages fit exactly', async () => {
    const fits = await buildFixture('post-extras', { sitemapMaxUrls: 17 });
    expect(parser.parse(fits.read('sitemap.xml')).urlset.url).toHaveLength(17);
    expect(fits.has('sitemap-1.xml')).toBe(false);
  });

  it('splits when the pages are one more than the limit', async () => {
    const over = await buildFixture('post-extras', { sitemapMaxUrls: 16 });
    const parts = parser.parse(over.read('sitemap.xml')).sitemapindex.sitemap;
    expect(parts).toHaveLength(2);
    expect(parser.parse(over.read('sitemap-2.xml')).urlset.url).toHaveLength(1);
  });
});

describe('sitemap of a generated site above 50,000 URLs', () => {
  it('splits at the sitemaps.org limit', () => {
    // 45,460 posts at 10 a page: 45,460 post pages, 4,546 home pages and the tag index = 50,007 URLs.
    const day = (n: number): PostDate => {
      const instant = new Date(Date.UTC(2000, 0, 1) + n * 3_600_000);
      return { instant, isDateOnly: false, iso: instant.toISOString() };
    };
    const posts = Array.from({ length: 45_460 }, (_, i) => ({ slug: `post-${i}`, date: day(45_460 - i), tags: [] }) as unknown as RenderedPost);
    const site: Site = { posts, tags: [], tagsBySlug: new Map(), authors: [], authorsOf: new Map(), related: new Map(), drafts: [], scheduled: [], pages: [], nav: [] };
    const files = sitemapFiles(site, { url: origin, basePath: '/', postsPerPage: 10 });
    expect(sitemapMaxUrls).toBe(50_000);
    expect(files.map((f) => f.path)).toEqual(['sitemap.xml', 'sitemap-1.xml', 'sitemap-2.xml']);
    const counts = files.slice(1).map((f) => parser.parse(f.contents()).urlset.url.length);
    expect(counts).toEqual([50_000, 7]);
    const index = parser.parse(files[0].contents()).sitemapindex.sitemap;
    expect(index.map((s: { loc: string }) => s.loc)).toEqual([`${origin}sitemap-1.xml`, `${origin}sitemap-2.xml`]);
  });
});
