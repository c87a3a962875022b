import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { SaxesParser } from 'saxes';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type FixtureBuild } from './helpers/build-fixture.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['item', 'entry', 'link', 'category', 'author'].includes(name),
});

/** RFC 3339 date-time (section 5.6), with a numeric offset or Z. */
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses with saxes, a strict XML 1.0 parser: throws on any well-formedness error. */
function assertWellFormed(xml: string): void {
  const sax = new SaxesParser({ xmlns: true });
  sax.on('error', (error) => {
    throw error;
  });
  sax.write(xml).close();
}

type Node = Record<string, any>;
const text = (node: unknown) => (typeof node === 'string' ? node : (node as Node)['#text']);

function feeds(out: FixtureBuild) {
  const atom = parser.parse(out.read('atom.xml'), true).feed as Node;
  const json = JSON.parse(out.read('feed.json')) as Node;
  const rss = parser.parse(out.read('rss.xml'), true).rss.channel as Node;
  return { atom, json, rss };
}

describe('atom.xml and feed.json (kitchen-sink)', () => {
  let out: FixtureBuild;
  let atom: Node;
  let json: Node;
  let rss: Node;
  beforeAll(async () => {
    out = await buildFixture('kitchen-sink');
    ({ atom, json, rss } = feeds(out));
  });

  it('atom.xml is well-formed Atom 1.0 with the feed elements RFC 4287 requires', () => {
    assertWellFormed(out.read('atom.xml'));
    expect(atom['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(atom.id).toBe('https://example.org/blog/');
    expect(text(atom.title)).toBe('Kitchen Sink');
    expect(atom.updated).toMatch(rfc3339);
    expect(atom.author[0].name).toBe('Kit Chen');
    const links = atom.link as Node[];
    expect(links.find((l) => l['@_rel'] === 'alternate')?.['@_href']).toBe('https://example.org/blog/');
    expect(links.find((l) => l['@_rel'] === 'self')?.['@_href']).toBe('https://example.org/blog/atom.xml');
  });

  it('every Atom entry has id, title, updated, an alternate link, a summary and HTML content', () => {
    expect(atom.entry.length).toBeGreaterThan(3);
    const latest = Math.max(...atom.entry.map((e: Node) => Date.parse(e.updated)));
    expect(Date.parse(atom.updated)).toBe(latest);
    for (const entry of atom.entry as Node[]) {
      expect(entry.id).toMatch(/^https:\/\/example\.org\/blog\/posts\/[^/]+\/$/);
      expect(text(entry.title)).toBeTruthy();
      expect(entry.updated).toMatch(rfc3339);
      expect(entry.published).toMatch(rfc3339);
      expect(Date.parse(entry.updated)).toBeGreaterThanOrEqual(Date.parse(entry.published));
      const alternate = (entry.link as Node[]).find((l) => l['@_rel'] === 'alternate');
      expect(alternate?.['@_href']).toBe(entry.id);
      expect(entry.content['@_type']).toBe('html');
      expect(text(entry.content)).toMatch(/<\w/);
      expect(entry.summary).toBeTruthy();
    }
  });

  it('feed.json has the fields JSON Feed 1.1 requires', () => {
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.title).toBe('Kitchen Sink');
    expect(json.home_page_url).toBe('https://example.org/blog/');
    expect(json.feed_url).toBe('https://example.org/blog/feed.json');
    expect(json.authors).toEqual([{ name: 'Kit Chen' }]);
    for (const item of json.items as Node[]) {
      expect(typeof item.id).toBe('string');
      expect(item.url).toBe(item.id);
      expect(item.content_html).toMatch(/<\w/);
      expect(item.date_published).toMatch(rfc3339);
      if (item.date_modified !== undefined) expect(item.date_modified).toMatch(rfc3339);
    }
  });

  it('the three feeds list the same items in the same order, with the same ids, dates and tags', () => {
    const guids = (rss.item as Node[]).map((item) => text(item.guid));
    expect(guids.length).toBeGreaterThan(3);
    expect((atom.entry as Node[]).map((e) => e.id)).toEqual(guids);
    expect((json.items as Node[]).map((i) => i.id)).toEqual(guids);
    (rss.item as Node[]).forEach((item, i) => {
      const published = Date.parse(item.pubDate);
      expect(Date.parse(atom.entry[i].published)).toBe(published);
      expect(Date.parse(json.items[i].date_published)).toBe(published);
      expect(text(atom.entry[i].title)).toBe(item.title);
      expect(json.items[i].title).toBe(item.title);
      expect((atom.entry[i].category ?? []).map((c: Node) => c['@_term'])).toEqual(item.category ?? []);
      expect(json.items[i].tags ?? []).toEqual(item.category ?? []);
    });
  });

  it('the content is the same absolute HTML as content:encoded', () => {
    (rss.item as Node[]).forEach((item, i) => {
      expect(text(atom.entry[i].content)).toBe(item['content:encoded']);
      expect(json.items[i].content_html).toBe(item['content:encoded']);
    });
    const all = (json.items as Node[]).map((i) => i.content_html).join('\n');
    expect(all).not.toMatch(/(?:href|src|poster)="\/(?!\/)/);
  });

  it('ids and content are the same on a second build', async () => {
    const again = await buildFixture('kitchen-sink', { cache: false });
    expect(again.read('atom.xml')).toBe(out.read('atom.xml'));
    expect(again.read('feed.json')).toBe(out.read('feed.json'));
  });

  it('every page links the RSS, Atom and JSON feeds in its head', () => {
    const post = (json.items[0].url as string).replace('https://example.org/blog/', '');
    for (const page of ['index.html', `${post}index.html`, 'tags/index.html', '404.html']) {
      const { document } = parseHTML(out.read(page));
      const links = [...document.head.querySelectorAll('link[rel="alternate"]')].map((l) => [l.getAttribute('type'), l.getAttribute('href')]);
      expect(links, page).toEqual(
        expect.arrayContaining([
          ['application/rss+xml', '/blog/rss.xml'],
          ['application/atom+xml', '/blog/atom.xml'],
          ['application/feed+json', '/blog/feed.json'],
        ]),
      );
    }
  });
});

describe('per-tag feeds (kitchen-sink)', () => {
  let out: FixtureBuild;
  let site: ReturnType<typeof feeds>;
  beforeAll(async () => {
    out = await buildFixture('kitchen-sink');
    site = feeds(out);
  });

  /** The tag pages' first pages, from the tag index. */
  const tagPages = () => {
    const { document } = parseHTML(out.read('tags/index.html'));
    const hrefs = [...document.querySelectorAll('main a[href^="/blog/tags/"]')].map((a) => a.getAttribute('href')!);
    return [...new Set(hrefs)].filter((href) => href !== '/blog/tags/');
  };

  it('each tag page links its RSS and Atom feeds, and each lists the posts with that tag, newest first', () => {
    const pages = tagPages();
    expect(pages.length).toBeGreaterThan(3);
    // The fixture has fewer posts than feed.items, so a tag's feed is the site feed's items with its tag.
    expect(site.atom.entry.length).toBeLessThan(20);
    for (const href of pages) {
      const folder = decodeURIComponent(href.replace('/blog/', ''));
      const { document } = parseHTML(out.read(`${folder}index.html`));
      const name = document.querySelector('h1')!.textContent!.replace(/^Posts tagged “|”$/g, '');
      const alternates = [...document.head.querySelectorAll('link[rel="alternate"]')].map((l) => [l.getAttribute('type'), l.getAttribute('href')]);
      expect(alternates, href).toEqual(expect.arrayContaining([
        ['application/rss+xml', `${href}rss.xml`],
        ['application/atom+xml', `${href}atom.xml`],
      ]));
      const expected = (site.atom.entry as Node[]).filter((e) => (e.category ?? []).some((c: Node) => c['@_term'] === name)).map((e) => e.id);
      expect(expected.length, href).toBeGreaterThan(0);
      const atomXml = out.read(`${folder}atom.xml`);
      const rssXml = out.read(`${folder}rss.xml`);
      assertWellFormed(atomXml);
      assertWellFormed(rssXml);
      const atom = parser.parse(atomXml, true).feed as Node;
      const rss = parser.parse(rssXml, true).rss.channel as Node;
      expect(atom.entry.map((e: Node) => e.id), href).toEqual(expected);
      expect(rss.item.map((i: Node) => text(i.guid)), href).toEqual(expected);
      const self = `https://example.org${href}`;
      expect(atom.id).toBe(self);
      expect(atom.link.find((l: Node) => l['@_rel'] === 'self')['@_href']).toBe(`${self}atom.xml`);
      expect(rss.link).toEqual([self]);
      expect(text(atom.title)).toBe(`Kitchen Sink: ${name}`);
      expect(atom.updated).toMatch(rfc3339);
    }
  });

  it('a tag feed has its newest posts even when they are not among the site feed\'s (feed.items applies to each)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-tag-feeds-'));
    fs.mkdirSync(path.join(root, 'posts'));
    fs.writeFileSync(path.join(root, 'blogbuild.config.json'), JSON.stringify({ title: 'T', url: 'https://example.org/', feed: { items: 1 } }));
    fs.writeFileSync(path.join(root, 'posts/new.md'), '---\ntitle: New\ndate: 2024-06-01\ntags: [both]\n---\n\nNew.\n');
    fs.writeFileSync(path.join(root, 'posts/old.md'), '---\ntitle: Old\ndate: 2024-01-01\ntags: [both, old]\n---\n\n[Home](/) and ![x](pic.png)\n');
    const built = await buildFixture(root);
    expect(feeds(built).atom.entry.map((e: Node) => e.id)).toEqual(['https://example.org/posts/new/']);
    const old = parser.parse(built.read('tags/old/atom.xml'), true).feed as Node;
    expect(old.entry.map((e: Node) => e.id)).toEqual(['https://example.org/posts/old/']);
    expect(text(old.entry[0].content)).toContain('src="https://example.org/posts/old/pic.png"');
    const both = parser.parse(built.read('tags/both/rss.xml'), true).rss.channel as Node;
    expect(both.item.map((i: Node) => text(i.guid))).toEqual(['https://example.org/posts/new/']);
  });

  it('only tag pages link tag feeds', () => {
    const { document } = parseHTML(out.read('index.html'));
    const hrefs = [...document.head.querySelectorAll('link[rel="alternate"]')].map((l) => l.getAttribute('href'));
    expect(hrefs).toEqual(['/blog/rss.xml', '/blog/atom.xml', '/blog/feed.json']);
  });
});

describe('characters XML forbids (control-characters)', () => {
  it('a title with \\u0001 still gives a well-formed Atom feed and a JSON feed without it', async () => {
    const out = await buildFixture('control-characters');
    const xml = out.read('atom.xml');
    assertWellFormed(xml);
    const { atom, json } = feeds(out);
    // The XML parser trims the text; the characters between words are gone, the words are kept.
    expect(text(atom.entry[0].title)).toMatch(/^Bell {2}and start of heading ?$/);
    expect(json.items[0].title).toMatch(/^Bell {2}and start of heading ?$/);
    expect(json.items[0].tags).toEqual(['tag']);
    expect(out.read('feed.json')).not.toMatch(/\\u000[1-7]/);
  });
});

describe('RFC 3339 dates carry the site time zone', () => {
  it('a date-time is shown in the site zone with its offset (timezone-tokyo)', async () => {
    const { atom, json } = feeds(await buildFixture('timezone-tokyo'));
    expect(atom.entry[0].published).toBe('2025-01-01T05:00:00+09:00');
    expect(json.items[0].date_published).toBe('2025-01-01T05:00:00+09:00');
  });

  it('a calendar date stays that day west of UTC', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-feeds-'));
    fs.mkdirSync(path.join(root, 'posts'));
    fs.writeFileSync(path.join(root, 'blogbuild.config.json'), JSON.stringify({ title: 'West', url: 'https://example.org/', timezone: 'America/Los_Angeles' }));
    fs.writeFileSync(path.join(root, 'posts/summer.md'), '---\ntitle: Summer\ndate: 2024-06-01\n---\n\nHello.\n');
    fs.writeFileSync(path.join(root, 'posts/winter.md'), '---\ntitle: Winter\ndate: 2024-01-01\nupdated: 2024-02-29\n---\n\nHello.\n');
    const { atom, json } = feeds(await buildFixture(root));
    expect(atom.entry.map((e: Node) => e.published)).toEqual(['2024-06-01T00:00:00-07:00', '2024-01-01T00:00:00-08:00']);
    expect(atom.entry[1].updated).toBe('2024-02-29T00:00:00-08:00');
    expect(json.items[1].date_modified).toBe('2024-02-29T00:00:00-08:00');
    expect(atom.updated).toBe('2024-06-01T00:00:00-07:00');
  });
});
