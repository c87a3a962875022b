// Standalone pages (pages/ → /<path>/), the navigation, and aliases (redirect pages), on the pages-blog fixture.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBuildState } from '../src/build-state.js';
import { build } from '../src/build.js';
import { memoryWriter } from '../src/output/writer.js';
import { buildFixture, copyFixture, FIXED_NOW, type FixtureBuild } from './helpers/build-fixture.js';

const doc = (html: string) => parseHTML(html).document;
const navOf = (html: string) => [...doc(html).querySelectorAll('.site-nav a')].map((a) => [a.textContent, a.getAttribute('href')]);

async function tempCopy(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-pages-'));
  return copyFixture('pages-blog', dir);
}

describe('pages (pages-blog)', () => {
  let out: FixtureBuild;
  beforeAll(async () => {
    out = await buildFixture('pages-blog');
  });

  it('builds each page to its path, nested folders kept, drafts left out', () => {
    expect(out.ok).toBe(true);
    const about = doc(out.read('about/index.html'));
    expect(about.querySelector('h1')?.textContent).toBe('About us');
    expect(about.querySelector('title')?.textContent).toBe('About us – Pages Blog');
    expect(about.querySelector('meta[name=description]')?.getAttribute('content')).toBe('Who writes this blog.');
    // Root-relative links in a page get the sub-path, as in posts.
    expect(about.querySelector('.post-content a')?.getAttribute('href')).toBe('/site/posts/moved-post/');
    expect(doc(out.read('docs/faq/index.html')).querySelector('.post-content h2')?.firstChild?.textContent).toBe('Why?');
    expect(out.has('now/index.html')).toBe(false);
  });

  it('takes a title from the first heading and shows it once', () => {
    const contact = doc(out.read('contact/index.html'));
    expect([...contact.querySelectorAll('h1')].map((h) => h.textContent)).toEqual(['Contact']);
    expect(contact.querySelector('.post-content')?.textContent?.trim()).toBe('Write to us.');
  });

  it('lists pages in the navigation of every page by weight, then title, the current one marked', () => {
    const expected = [['Home', '/site/'], ['Tags', '/site/tags/'], ['Frequently asked questions', '/site/docs/faq/'], ['About us', '/site/about/'], ['Contact', '/site/contact/'], ['RSS', '/site/rss.xml']];
    for (const file of ['index.html', 'posts/second/index.html', 'tags/index.html', 'about/index.html', '404.html']) expect(navOf(out.read(file)), file).toEqual(expected);
    expect(doc(out.read('about/index.html')).querySelector('.site-nav [aria-current=page]')?.textContent).toBe('About us');
  });

  it('puts pages in the sitemap, and never in the home list, tag pages or feeds', () => {
    const urls = new XMLParser().parse(out.read('sitemap.xml')).urlset.url.map((u: { loc: string }) => u.loc);
    for (const page of ['about/', 'docs/faq/', 'contact/']) expect(urls).toContain(`https://example.org/site/${page}`);
    expect(urls.some((u: string) => u.includes('now/'))).toBe(false);
    for (const file of ['index.html', 'tags/news/index.html']) {
      const listed = [...doc(out.read(file)).querySelectorAll('main a')].map((a) => a.getAttribute('href'));
      expect(listed.filter((href) => /about|faq|contact/.test(href ?? '')), file).toEqual([]);
    }
    for (const feed of ['rss.xml', 'atom.xml', 'feed.json', 'tags/news/rss.xml']) expect(out.read(feed), feed).not.toMatch(/About us|Frequently asked|site\/contact\//);
  });

  it('publishes draft pages with drafts on', async () => {
    const withDrafts = await buildFixture('pages-blog', { drafts: true });
    expect(doc(withDrafts.read('now/index.html')).querySelector('h1')?.textContent).toBe('Now');
  });
});

describe('aliases (pages-blog)', () => {
  let out: FixtureBuild;
  beforeAll(async () => {
    out = await buildFixture('pages-blog');
  });

  it('writes a redirect page at every alias of a post or page', () => {
    for (const [file, target, title] of [
      ['old/moved-post/index.html', '/site/posts/moved-post/', 'A post that moved'],
      ['2025/01/05/moved.html', '/site/posts/moved-post/', 'A post that moved'],
      ['about-us/index.html', '/site/about/', 'About us'],
    ]) {
      const page = doc(out.read(file));
      expect(page.querySelector('meta[http-equiv=refresh]')?.getAttribute('content'), file).toBe(`0; url=${target}`);
      expect(page.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe(`https://example.org${target}`);
      expect(page.querySelector('meta[name=robots]')?.getAttribute('content')).toBe('noindex');
      const link = page.querySelector('body a');
      expect([link?.getAttribute('href'), link?.textContent]).toEqual([target, title]);
    }
  });

  it('leaves aliases out of the sitemap and the feeds', () => {
    for (const file of ['sitemap.xml', 'rss.xml', 'atom.xml', 'feed.json']) expect(out.read(file), file).not.toMatch(/old\/moved-post|moved\.html|about-us/);
  });

  it('reports an alias that is not a site path at its line', async () => {
    const root = await tempCopy();
    await fs.writeFile(path.join(root, 'posts/2025-02-01-second.md'), '---\ntitle: Second post\ndate: 2025-02-01\naliases: [https://old.example/x]\n---\nBody.\n');
    const result = await build({ root, writer: memoryWriter(), cache: false, now: FIXED_NOW });
    expect(result.ok).toBe(false);
    const [d] = result.diagnostics.filter((x) => x.severity === 'error');
    expect([d.code, path.basename(d.loc!.file), d.loc!.line]).toEqual(['FrontMatterInvalid', '2025-02-01-second.md', 4]);
    expect(d.message).toContain('absolute URL');
  });
});

describe('pages: config and clashes', () => {
  it('orders the navigation by the config\'s nav, showing only the pages it lists', async () => {
    const root = await tempCopy();
    await fs.writeFile(path.join(root, 'blogbuild.config.json'), JSON.stringify({ title: 'Pages Blog', nav: ['contact', '/about/', 'now'] }));
    const result = await buildFixture(root);
    expect(result.ok).toBe(true);
    expect(navOf(result.read('index.html')).slice(2, -1)).toEqual([['Contact', '/contact/'], ['About us', '/about/']]);
    // A page left out of the navigation is still built.
    expect(result.has('docs/faq/index.html')).toBe(true);
  });

  it('reports a nav entry that names no page on the config file', async () => {
    const root = await tempCopy();
    await fs.writeFile(path.join(root, 'blogbuild.config.json'), JSON.stringify({ nav: ['about', 'abuot'] }));
    const result = await buildFixture(root);
    expect(result.ok).toBe(false);
    const [d] = result.diagnostics;
    expect([d.code, path.basename(d.loc!.file)]).toEqual(['ConfigInvalid', 'blogbuild.config.json']);
    expect(d.message).toContain('"abuot"');
    expect(d.hint).toContain('"about"');
  });

  it('reports a page on the path of a generated page, and an alias on a feed, at their files', async () => {
    const root = await tempCopy();
    await fs.writeFile(path.join(root, 'pages/tags.md'), '---\ntitle: Tags\n---\nMine.\n');
    await fs.writeFile(path.join(root, 'pages/contact.md'), '---\ntitle: Contact\naliases: [/rss.xml]\n---\nWrite.\n');
    const result = await buildFixture(root);
    expect(result.ok).toBe(false);
    const clashes = result.diagnostics.filter((d) => d.code === 'DuplicateOutputPath').map((d) => [path.relative(root, d.loc!.file), d.message]);
    expect(clashes).toEqual([
      ['pages/tags.md', 'the page pages/tags.md would be written to tags/index.html, where the tag index is written too'],
      ['pages/contact.md', 'an alias of pages/contact.md would be written to rss.xml, where a feed is written too'],
    ]);
  });

  it('reports a page on a post\'s path at the page', async () => {
    const root = await tempCopy();
    await fs.mkdir(path.join(root, 'pages/posts'));
    await fs.writeFile(path.join(root, 'pages/posts/second.md'), '---\ntitle: Not a post\n---\nText.\n');
    const result = await buildFixture(root);
    const [d] = result.diagnostics.filter((x) => x.code === 'DuplicateOutputPath');
    expect([path.relative(root, d.loc!.file), d.message]).toEqual(['pages/posts/second.md', 'the page pages/posts/second.md would be written to posts/second/index.html, where the post posts/2025-02-01-second.md is written too']);
  });

  it('needs only a title: a page without one is a located error', async () => {
    const root = await tempCopy();
    await fs.writeFile(path.join(root, 'pages/empty.md'), '---\nweight: 2\n---\nNo heading here.\n');
    const result = await buildFixture(root);
    const [d] = result.diagnostics;
    expect([d.code, path.relative(root, d.loc!.file), d.loc!.line]).toEqual(['TitleMissing', 'pages/empty.md', 1]);
  });
});

describe('pages: incremental builds', () => {
  it('reports a bad page on every build, though good pages come from the build cache', async () => {
    const root = await tempCopy();
    const cacheDir = path.join(root, '.cache');
    await fs.writeFile(path.join(root, 'pages/bad.md'), '---\ntitle: Bad\nweight: heavy\n---\nText.\n');
    for (const run of [1, 2]) {
      const result = await build({ root, cacheDir, writer: memoryWriter(), now: FIXED_NOW });
      expect(result.diagnostics.map((d) => [d.code, path.relative(root, d.loc!.file), d.loc!.line]), `build ${run}`).toEqual([['FrontMatterInvalid', 'pages/bad.md', 3]]);
    }
    await fs.rm(path.join(root, 'pages/bad.md'));
    const writer = memoryWriter();
    expect((await build({ root, cacheDir, writer, now: FIXED_NOW })).ok).toBe(true);
    expect(doc(writer.read('about/index.html')!).querySelector('h1')?.textContent).toBe('About us');
  });

  it('re-renders an edited page, with the build cache on disk and with a build state', async () => {
    const root = await tempCopy();
    const cacheDir = path.join(root, '.cache');
    const first = await build({ root, cacheDir, now: FIXED_NOW });
    expect(first.ok).toBe(true);
    await fs.writeFile(path.join(root, 'pages/about.md'), '---\ntitle: About them\n---\nNew text.\n');
    const second = await build({ root, cacheDir, now: FIXED_NOW });
    expect(second.ok).toBe(true);
    const about = await fs.readFile(path.join(root, 'dist/about/index.html'), 'utf8');
    expect(doc(about).querySelector('.post-content')?.textContent?.trim()).toBe('New text.');
    // The navigation on every other page follows the new title.
    expect(navOf(await fs.readFile(path.join(root, 'dist/index.html'), 'utf8'))).toContainEqual(['About them', '/site/about/']);

    const state = createBuildState();
    const writer = memoryWriter();
    await build({ root, cache: false, state, writer, now: FIXED_NOW });
    await fs.writeFile(path.join(root, 'pages/docs/faq.md'), '---\ntitle: FAQ\n---\nShorter.\n');
    await build({ root, cache: false, state, writer, now: FIXED_NOW });
    expect(doc(writer.read('docs/faq/index.html')!).querySelector('h1')?.textContent).toBe('FAQ');
    expect(navOf(writer.read('posts/second/index.html')!)).toContainEqual(['FAQ', '/site/docs/faq/']);
  });
});
