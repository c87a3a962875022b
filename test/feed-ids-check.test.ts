/**
 * Feed ids of a blog without `url` (absolute and stable: `urn:uuid:` name-based UUIDs), and `blogbuild check`
 * following the links of every feed format: RSS, Atom (its escaped `<content type="html">`) and JSON Feed.
 * Built fixtures, parsed with a real XML parser and JSON.parse.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutput } from '../src/check/check-output.js';
import { buildFixture, fixturePath, type FixtureBuild } from './helpers/build-fixture.js';

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'item'].includes(name) });
const uuidUrn = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-feed-ids-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

/** Every id of a build's feeds: Atom's feed and entry ids, RSS guids, JSON Feed item ids. */
function ids(build: FixtureBuild) {
  const atom = xml.parse(build.read('atom.xml')).feed;
  const rss = xml.parse(build.read('rss.xml')).rss.channel.item;
  return {
    feed: atom.id as string,
    entries: atom.entry.map((e: { id: string }) => e.id) as string[],
    guids: rss.map((i: { guid: { '#text': string; '@_isPermaLink': string } }) => [i.guid['#text'], i.guid['@_isPermaLink']]),
    json: JSON.parse(build.read('feed.json')).items.map((i: { id: string }) => i.id) as string[],
  };
}

describe('feed ids without a configured url', () => {
  it('are urn:uuid: URIs, one per post, the same in Atom, RSS and JSON Feed and on every build', async () => {
    const first = ids(await buildFixture('no-url'));
    expect(first.feed).toMatch(uuidUrn);
    expect(first.entries).toHaveLength(3);
    for (const id of first.entries) expect(id).toMatch(uuidUrn);
    expect(new Set([first.feed, ...first.entries]).size).toBe(4);
    // RSS guids are not permalinks then: a root-relative link is not one.
    expect(first.guids).toEqual(first.entries.map((id) => [id, 'false']));
    expect(first.json).toEqual(first.entries);
    expect(ids(await buildFixture('no-url', { cache: false }))).toEqual(first);
  });

  it('differ between two blogs of other titles, and give way to URLs once a url is set', async () => {
    const root = path.join(scratch, 'renamed');
    await fs.cp(fixturePath('no-url'), root, { recursive: true });
    await fs.writeFile(path.join(root, 'blogbuild.config.json'), JSON.stringify({ title: 'Another Blog', postsPerPage: 2 }));
    const original = ids(await buildFixture('no-url'));
    const renamed = ids(await buildFixture(root));
    expect(renamed.entries.filter((id) => original.entries.includes(id))).toEqual([]);
    const withUrl = ids(await buildFixture('no-url', { url: 'https://example.org/' }));
    expect(withUrl.feed).toBe('https://example.org/');
    expect(withUrl.entries).toEqual(['https://example.org/posts/bundle-post/', 'https://example.org/posts/second/', 'https://example.org/posts/first/']);
  });
});

describe('check follows the links of every feed format', () => {
  it('finds a broken link that only Atom content or only feed.json holds, naming the file', async () => {
    const site = await buildFixture('kitchen-sink');
    const files = new Map(site.writer.files);
    const clean = checkOutput({ files, basePath: '/blog/', url: 'https://example.org/blog/' });
    expect(clean.diagnostics).toEqual([]);
    const edit = (file: string, change: (text: string) => string) => files.set(file, new TextEncoder().encode(change(site.read(file))));
    // Escaped HTML in Atom's content, resolved against the entry's link: ../nowhere/ is /blog/posts/nowhere/.
    edit('atom.xml', (text) => text.replace('<content type="html">', '<content type="html">&lt;a href=&quot;../nowhere/&quot;&gt;x&lt;/a&gt;'));
    edit('feed.json', (text) => {
      const feed = JSON.parse(text);
      feed.items[0].content_html += '<img src="missing.png" alt="">';
      return JSON.stringify(feed);
    });
    const report = checkOutput({ files, basePath: '/blog/', url: 'https://example.org/blog/' });
    const problems = report.diagnostics.map((d) => [d.code, d.message]);
    expect(problems).toContainEqual(['LinkBroken', 'link to ../nowhere/ points to no page or file (in atom.xml)']);
    const first = JSON.parse(site.read('feed.json')).items[0].url.replace('https://example.org', '');
    expect(problems).toContainEqual(['ImageMissing', `image missing.png does not exist (in feed.json)`]);
    expect(first).toMatch(/^\/blog\/posts\//);
    expect(report.feeds).toBe(clean.feeds);
    expect(report.links).toBeGreaterThan(0);
  });

  it('counts feed.json among the feeds it checked', async () => {
    const site = await buildFixture('no-url');
    const report = checkOutput({ files: site.writer.files, basePath: '/', url: '' });
    const xmlFiles = [...site.writer.files.keys()].filter((f) => f.endsWith('.xml')).length;
    expect(report.feeds).toBe(xmlFiles + 1);
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
