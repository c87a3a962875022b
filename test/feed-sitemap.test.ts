import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type FixtureBuild } from './helpers/build-fixture.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['item', 'category', 'url'].includes(name),
});

/** RFC 822 date as RSS 2.0 wants it, e.g. `Sun, 01 Jun 2025 00:00:00 GMT`. */
const rfc822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;
/** W3C datetime (the profile of ISO 8601 the sitemap protocol requires). */
const w3c = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

interface Item {
  title: string;
  link: string;
  guid: { '#text': string; '@_isPermaLink': string };
  pubDate: string;
  category?: string[];
  description: string;
  'content:encoded': string;
}

const order = ['garden-trip', 'gfm-showcase', 'no-description', 'aardvark-day', 'zebra-day', 'tags-galore', 'unicode-and-emoji', 'raw-html', 'hello-world'];

describe('rss.xml (subpath-blog)', () => {
  let out: FixtureBuild;
  let rss: { '@_version': string; channel: Record<string, unknown> & { item: Item[] } };
  beforeAll(async () => {
    out = await buildFixture('subpath-blog');
    const xml = out.read('rss.xml');
    rss = parser.parse(xml, true).rss;
  });

  it('is RSS 2.0 with the channel elements', () => {
    expect(rss['@_version']).toBe('2.0');
    const channel = rss.channel;
    expect(channel.title).toBe('Fixture Blog');
    expect(channel.link).toBe('https://example.org/blog/');
    expect(channel.description).toBe('A blog for end-to-end tests.');
    expect(channel.language).toBe('en');
    expect(channel.lastBuildDate).toMatch(rfc822);
    // The newest post's date, not the build time: the feed is deterministic.
    expect(new Date(channel.lastBuildDate as string).toISOString()).toBe('2025-06-01T00:00:00.000Z');
    const self = channel['atom:link'] as Record<string, string>;
    expect(self['@_rel']).toBe('self');
    expect(self['@_href']).toBe('https://example.org/blog/rss.xml');
    expect(self['@_type']).toBe('application/rss+xml');
  });

  it('lists the newest posts first, limited to feed.items', () => {
    expect(rss.channel.item.map((item) => item.link)).toEqual(order.slice(0, 4).map((slug) => `https://example.org/blog/posts/${slug}/`));
  });

  it('gives each item a title, permalink guid, RFC 822 date, categories and description', () => {
    const expected: Record<string, { title: string; date: string; categories: string[]; description: string }> = {
      'garden-trip': { title: 'A trip to the garden', date: '2025-06-01', categories: ['trigger point therapy'], description: 'Photos from a walk in the garden.' },
      'gfm-showcase': { title: 'GFM showcase', date: '2025-05-01', categories: ['trigger point therapy', 'node.js'], description: 'This intro is the excerpt, written before the marker. It links home too.' },
      'no-description': { title: 'No description', date: '2025-04-01', categories: ['café', 'trigger point therapy'], description: '' },
      'aardvark-day': { title: 'Aardvark day', date: '2025-03-15', categories: ['c#', 'trigger point therapy'], description: 'Same date as zebra day; sorts first by slug.' },
    };
    for (const item of rss.channel.item) {
      const slug = /posts\/([^/]+)\/$/.exec(item.link)![1];
      const want = expected[slug];
      expect(item.title).toBe(want.title);
      expect(item.link).toMatch(/^https:\/\/example\.org\/blog\/posts\/[a-z-]+\/$/);
      expect(item.guid['#text']).toBe(item.link);
      expect(item.guid['@_isPermaLink']).toBe('true');
      expect(item.pubDate).toMatch(rfc822);
      expect(new Date(item.pubDate).toISOString()).toBe(`${want.date}T00:00:00.000Z`);
      // A tag spelled two ways across posts is one category, with the same name everywhere.
      expect((item.category ?? []).map((c) => c.toLowerCase())).toEqual(want.categories);
      if (want.description) expect(item.description).toBe(want.description);
      else expect(item.description).toMatch(/^Every author has a habit .{80,}…$/);
    }
    const spellings = new Set(rss.channel.item.flatMap((item) => item.category ?? []).filter((c) => c.toLowerCase() === 'trigger point therapy'));
    expect(spellings.size).toBe(1);
  });

  it('puts the full HTML in content:encoded with every URL absolute', () => {
    let checked = 0;
    for (const item of rss.channel.item) {
      expect(item['content:encoded'].length).toBeGreaterThan(20);
      const { document } = parseHTML(`<!doctype html><html><body>${item['content:encoded']}</body></html>`);
      const urls = [...document.querySelectorAll('a[href], img[src]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src')!);
      for (const url of urls) expect(url, `${item.link}: ${url}`).toMatch(/^https?:\/\//);
      checked += urls.length;
    }
    expect(checked).toBeGreaterThan(5);
    const html = (slug: string) => rss.channel.item.find((item) => item.link.endsWith(`/posts/${slug}/`))!['content:encoded'];
    const garden = parseHTML(`<html><body>${html('garden-trip')}</body></html>`).document;
    expect(garden.querySelector('img')!.getAttribute('src')).toBe('https://example.org/blog/posts/garden-trip/photo.svg');
    const gfm = parseHTML(`<html><body>${html('gfm-showcase')}</body></html>`).document;
    const hrefs = [...gfm.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toContain('https://example.org/blog/posts/hello-world/');
    expect(hrefs).toContain('https://example.org/blog/');
    expect(hrefs).toContain('https://example.org/blog/posts/gfm-showcase/#user-content-fn-1');
    expect(hrefs).toContain('https://example.com/autolink');
    expect(hrefs.some((h) => h?.includes('/blog/blog/'))).toBe(false);
    expect(gfm.querySelector('table')).not.toBeNull();
  });
});

describe('sitemap.xml and robots.txt (subpath-blog)', () => {
  let out: FixtureBuild;
  let urls: { loc: string; lastmod?: string }[];
  beforeAll(async () => {
    out = await buildFixture('subpath-blog');
    const sitemap = parser.parse(out.read('sitemap.xml'), true).urlset;
    expect(sitemap['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    urls = sitemap.url;
  });

  it('lists every published page once, with an absolute loc and a W3C lastmod', () => {
    const expected = [
      '', 'page/2/', 'page/3/',
      ...order.map((slug) => `posts/${slug}/`),
      'tags/',
      ...['a-b-testing', 'c-plus-plus', 'c-sharp', 'cafe', 'node-js', 'trigger-point-therapy', '日本語'].map((slug) => `tags/${encodeURIComponent(slug)}/`),
      'tags/trigger-point-therapy/page/2/',
      // The blog has two authors, so each has pages.
      'authors/ada-author/', 'authors/ada-author/page/2/', 'authors/ada-author/page/3/', 'authors/guest-writer/',
    ].map((p) => `https://example.org/blog/${p}`);
    expect(urls.map((u) => u.loc).sort()).toEqual(expected.sort());
    for (const url of urls) expect(url.lastmod, url.loc).toMatch(w3c);
    const lastmod = (p: string) => urls.find((u) => u.loc === `https://example.org/blog/${p}`)!.lastmod;
    expect(lastmod('posts/raw-html/')).toBe('2024-12-01');
    expect(lastmod('')).toBe('2025-06-01');
  });

  it('matches the HTML pages of the output exactly (404 aside)', () => {
    const pages = [...out.writer.files.keys()].filter((f) => f.endsWith('.html') && f !== '404.html');
    const fromSitemap = urls.map((u) => `${decodeURIComponent(u.loc.slice('https://example.org/blog/'.length))}index.html`);
    expect(fromSitemap.sort()).toEqual(pages.sort());
  });

  it('robots.txt points to the absolute sitemap URL', () => {
    const lines = out.read('robots.txt').split('\n');
    expect(lines).toContain('Sitemap: https://example.org/blog/sitemap.xml');
    expect(lines).toContain('User-agent: *');
  });
});

describe('feed and sitemap without url (no-url)', () => {
  it('keeps links root-relative and still valid XML', async () => {
    const out = await buildFixture('no-url');
    const rss = parser.parse(out.read('rss.xml'), true).rss;
    expect(rss.channel.item.map((item: Item) => item.link)).toEqual(['/posts/bundle-post/', '/posts/second/', '/posts/first/']);
    const bundle = rss.channel.item[0] as Item;
    expect(bundle['content:encoded']).toContain('src="/posts/bundle-post/picture.svg"');
    const second = rss.channel.item[1] as Item;
    expect(second['content:encoded']).toContain('href="/posts/second/#user-content-fn-a"');
    const first = rss.channel.item[2] as Item;
    expect(first['content:encoded']).toContain('href="/posts/second/"');
    expect(first['content:encoded']).toContain('href="http://localhost/admin/"');
    const sitemap = parser.parse(out.read('sitemap.xml'), true).urlset;
    for (const url of sitemap.url) expect(url.loc).toMatch(/^\//);
  });
});
