/**
 * Related posts and author pages, from real builds of the post-extras fixture (two authors from the config's
 * `authors` map, posts sharing tags) and of small blogs written here; pages parsed with a DOM parser, feeds and the
 * sitemap with a real XML parser.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, fixturePath, type FixtureBuild } from './helpers/build-fixture.js';

let site: FixtureBuild;
let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-related-'));
  site = await buildFixture('post-extras');
  expect(site.ok, JSON.stringify(site.diagnostics)).toBe(true);
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

const page = (build: FixtureBuild, file: string) => parseHTML(build.read(file)).document;

/** The related posts of a post's page: their links and titles, or null when the page has no such section. */
function related(build: FixtureBuild, slug: string): { href: string; title: string }[] | null {
  const document = page(build, `posts/${slug}/index.html`);
  const section = [...document.querySelectorAll('section')].find((s) => s.querySelector('h2')?.textContent === 'Related posts');
  if (!section) return null;
  return [...section.querySelectorAll('li a')].map((a) => ({ href: a.getAttribute('href')!, title: a.textContent!.trim() }));
}

/** A copy of the fixture with its config changed (and optionally more posts), built in memory. */
async function buildVariant(name: string, config: Record<string, unknown>, posts: Record<string, string> = {}): Promise<FixtureBuild> {
  return buildFixture(await copyVariant(name, config, posts));
}

/** A copy of the fixture with its config changed and more posts; its folder. */
async function copyVariant(name: string, config: Record<string, unknown>, posts: Record<string, string> = {}): Promise<string> {
  const root = path.join(scratch, name);
  await fs.cp(fixturePath('post-extras'), root, { recursive: true });
  const file = path.join(root, 'blogbuild.config.json');
  await fs.writeFile(file, JSON.stringify({ ...JSON.parse(await fs.readFile(file, 'utf8')), ...config }));
  for (const [name, text] of Object.entries(posts)) await fs.writeFile(path.join(root, 'posts', name), text);
  return root;
}

describe('related posts', () => {
  it('lists the posts sharing the most tags first, then the newest, three by default', () => {
    // storm-watch (coast, weather, tides): tide-tables shares two tags; no-related and photo-walk one each, newest first.
    expect(related(site, 'storm-watch')).toEqual([
      { href: '/posts/tide-tables/', title: 'Reading tide tables' },
      { href: '/posts/no-related/', title: 'A post without related posts' },
      { href: '/posts/photo-walk/', title: 'A photo walk along the harbour' },
    ]);
    // photo-walk (photography, coast): four posts share one tag; the oldest of them (winter-light) is the one left out.
    expect(related(site, 'photo-walk')?.map((r) => r.href)).toEqual(['/posts/no-related/', '/posts/storm-watch/', '/posts/tide-tables/']);
  });

  it('shows no section for a post sharing no tag, or one whose front matter says `related: 0`', () => {
    expect(related(site, 'lonely')).toBeNull();
    expect(related(site, 'no-related')).toBeNull();
    // A post turning its own list off still appears in the others' lists (above).
  });

  it('follows the config: `related: 0` turns the section off everywhere, `related: 1` keeps the best one', async () => {
    const off = await buildVariant('related-off', { related: 0 });
    expect(off.ok).toBe(true);
    for (const slug of ['storm-watch', 'photo-walk', 'tide-tables']) expect(related(off, slug)).toBeNull();
    const one = await buildVariant('related-one', { related: 1 });
    expect(related(one, 'storm-watch')).toEqual([{ href: '/posts/tide-tables/', title: 'Reading tide tables' }]);
  });

  it('lets a post ask for more than the config gives', async () => {
    const more = await buildVariant('related-more', { related: 1 }, {
      '2025-06-01-more.md': '---\ntitle: More\ndate: 2025-06-01\ntags: [coast]\nrelated: 5\n---\n\nText.\n',
    });
    expect(related(more, 'more')?.map((r) => r.href)).toEqual(['/posts/no-related/', '/posts/photo-walk/', '/posts/storm-watch/', '/posts/tide-tables/']);
  });

  it('reports a `related` that is not a whole number at its line', async () => {
    const bad = await buildVariant('related-bad', {}, { '2025-06-01-bad.md': '---\ntitle: Bad\ndate: 2025-06-01\nrelated: lots\n---\n\nText.\n' });
    expect(bad.ok).toBe(false);
    const diagnostic = bad.diagnostics.find((d) => d.code === 'FrontMatterInvalid')!;
    expect(diagnostic.message).toContain('`related`');
    expect(diagnostic.loc).toMatchObject({ line: 4, column: 10 });
  });
});

describe('author pages', () => {
  it('has a page per author, named and described from the config, listing their posts newest first', () => {
    const alice = page(site, 'authors/alice/index.html');
    expect(alice.querySelector('h1')?.textContent).toBe('Posts by Alice Moreau');
    expect(alice.querySelector('.author-bio')?.textContent).toBe('Walks the coast with a camera.');
    expect([...alice.querySelectorAll('.author-links a')].map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Website', 'https://alice.example/'],
      ['Mastodon', 'https://social.example/@alice'],
    ]);
    const titles = (document: Document) => [...document.querySelectorAll('.post-summary-title a')].map((a) => a.getAttribute('href'));
    // The config's default author wrote the posts that name none.
    expect(titles(alice)).toEqual(['/posts/loose-image/', '/posts/no-related/', '/posts/photo-walk/', '/posts/tide-tables/', '/posts/lonely/']);
    // `author: Bob Okafor` is bob, by his display name; `authors: [bob]` and `author: [alice, bob]` too.
    const bob = page(site, 'authors/bob/index.html');
    expect(bob.querySelector('h1')?.textContent).toBe('Posts by Bob Okafor');
    expect(bob.querySelector('.author-bio')).toBeNull();
    expect(titles(bob)).toEqual(['/posts/storm-watch/', '/posts/tide-tables/', '/posts/winter-light/']);
    expect(site.read('authors/bob/index.html')).toContain('<link rel="canonical" href="https://example.org/authors/bob/">');
  });

  it('links every author named in a byline to their page', () => {
    const byline = (slug: string) => [...page(site, `posts/${slug}/index.html`).querySelectorAll('.post-meta .post-author a')]
      .map((a) => [a.textContent, a.getAttribute('href')]);
    expect(byline('tide-tables')).toEqual([['Alice Moreau', '/authors/alice/'], ['Bob Okafor', '/authors/bob/']]);
    expect(page(site, 'posts/tide-tables/index.html').querySelector('.post-author')?.textContent).toBe('By Alice Moreau and Bob Okafor');
    expect(byline('winter-light')).toEqual([['Bob Okafor', '/authors/bob/']]);
    // On list pages too.
    const home = page(site, 'index.html');
    expect([...home.querySelectorAll('.post-author a')].map((a) => a.getAttribute('href'))).toContain('/authors/bob/');
  });

  it('gives every author in JSON-LD and the feeds', () => {
    const ld = JSON.parse(page(site, 'posts/tide-tables/index.html').querySelector('script[type="application/ld+json"]')!.textContent!);
    expect(ld.author).toEqual([{ '@type': 'Person', name: 'Alice Moreau' }, { '@type': 'Person', name: 'Bob Okafor' }]);
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'author', 'item', 'dc:creator'].includes(name) });
    const entry = xml.parse(site.read('atom.xml')).feed.entry.find((e: { title: string }) => e.title === 'Reading tide tables');
    expect(entry.author.map((a: { name: string }) => a.name)).toEqual(['Alice Moreau', 'Bob Okafor']);
    const item = xml.parse(site.read('rss.xml')).rss.channel.item.find((i: { title: string }) => i.title === 'Reading tide tables');
    expect(item['dc:creator']).toEqual(['Alice Moreau', 'Bob Okafor']);
    const json = JSON.parse(site.read('feed.json')).items.find((i: { title: string }) => i.title === 'Reading tide tables');
    expect(json.authors).toEqual([{ name: 'Alice Moreau' }, { name: 'Bob Okafor' }]);
  });

  it('puts the author pages in the sitemap', () => {
    const xml = new XMLParser({ isArray: (name) => name === 'url' });
    const locs = xml.parse(site.read('sitemap.xml')).urlset.url.map((u: { loc: string }) => u.loc);
    expect(locs).toContain('https://example.org/authors/alice/');
    expect(locs).toContain('https://example.org/authors/bob/');
  });

  it('makes no author pages, and links no byline, when the blog has one author', async () => {
    const root = await copyVariant('one-author', {});
    for (const file of await fs.readdir(path.join(root, 'posts'))) {
      if (file.endsWith('.md')) {
        const text = await fs.readFile(path.join(root, 'posts', file), 'utf8');
        await fs.writeFile(path.join(root, 'posts', file), text.replace(/^authors?:.*\n/m, ''));
      }
    }
    const alone = await buildFixture(root);
    expect(alone.ok).toBe(true);
    expect([...alone.writer.files.keys()].filter((f) => f.startsWith('authors/'))).toEqual([]);
    expect(alone.read('sitemap.xml')).not.toContain('/authors/');
    const meta = page(alone, 'posts/tide-tables/index.html').querySelector('.post-author')!;
    expect(meta.textContent).toBe('By Alice Moreau');
    expect(meta.querySelector('a')).toBeNull();
  });

  it('reads `author` as a name or a list, and refuses both keys at once or a mapping', async () => {
    const bad = await buildVariant('authors-bad', {}, {
      '2025-06-01-both.md': '---\ntitle: Both\ndate: 2025-06-01\nauthor: alice\nauthors: [bob]\n---\n\nText.\n',
      '2025-06-02-map.md': '---\ntitle: Map\ndate: 2025-06-02\nauthor: { twitter: alice }\n---\n\nText.\n',
    });
    expect(bad.ok).toBe(false);
    const messages = bad.diagnostics.filter((d) => d.code === 'FrontMatterInvalid').map((d) => [path.basename(d.loc!.file), d.loc!.line, d.message]);
    expect(messages).toEqual([
      ['2025-06-01-both.md', 5, '`authors` (line 5) and `author` (line 4) both give its author'],
      ['2025-06-02-map.md', 4, '`author` must be a name or a list of names'],
    ]);
  });
});
