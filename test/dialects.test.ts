/**
 * Other generators' posts build as they are (issue 13, items 1–3). Each fixture site in test/fixtures/dialects/ is
 * written in one generator's conventions (Jekyll, Hugo with PaperMod's cover, Eleventy, Astro) and built as it is:
 * every post is on the site with the title, date, tags, description, author and cover its front matter gives in that
 * dialect; links written as `.md` paths reach the posts' pages (and feeds); Liquid tags and Hugo shortcodes warn at
 * their line, highlight blocks become code, and raw HTML inside them never reaches the page or the feed. The
 * warnings are exactly the ones listed: files that look like posts but are not markdown, and foreign template tags.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type FixtureBuild } from './helpers/build-fixture.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(repo, 'test', 'fixtures', 'dialects');
const bin = path.join(repo, 'bin', 'blogbuild.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-dialects-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function page(site: FixtureBuild, slug: string): Document {
  return parseHTML(site.read(`posts/${slug}/index.html`)).document;
}

/** The post's article: title, byline, date, cover, content and tags. */
function article(site: FixtureBuild, slug: string) {
  const doc = page(site, slug);
  const content = doc.querySelector('.post-content')!;
  return {
    doc,
    content,
    title: doc.querySelector('.post-title')?.textContent?.trim(),
    datetime: doc.querySelector('.post-meta time')?.getAttribute('datetime'),
    updated: doc.querySelector('.post-updated time')?.getAttribute('datetime'),
    author: doc.querySelector('.post-author')?.textContent?.trim(),
    description: doc.querySelector('meta[name="description"]')?.getAttribute('content'),
    cover: doc.querySelector('img.post-cover'),
    links: [...content.querySelectorAll('a')].map((a) => a.getAttribute('href')),
  };
}

/** `severity code file:line:column` of each diagnostic, relative to the site. */
function diagnostics(site: FixtureBuild, root: string): string[] {
  return site.diagnostics.map((d) => `${d.severity} ${d.code} ${path.relative(root, d.loc?.file ?? '')}:${d.loc?.line ?? ''}:${d.loc?.column ?? ''}`).sort();
}

/** The HTML of a post's item in the JSON feed, parsed. */
function feedContent(site: FixtureBuild, slug: string): DocumentFragment {
  const feed = JSON.parse(site.read('feed.json')) as { items: { url: string; content_html: string }[] };
  const item = feed.items.find((i) => i.url.endsWith(`/posts/${slug}/`));
  expect(item, `feed item for ${slug}`).toBeDefined();
  return parseHTML(`<!doctype html><html><body>${item!.content_html}</body></html>`).document.body as unknown as DocumentFragment;
}

const sites = new Map<string, FixtureBuild>();
beforeAll(async () => {
  for (const name of ['jekyll', 'hugo', 'eleventy', 'astro']) sites.set(name, await buildFixture(path.join(fixtures, name), { cache: false }));
}, 120_000);

describe('a Jekyll blog builds as it is', () => {
  const root = path.join(fixtures, 'jekyll');
  it('builds every published post: .markdown files and file-name dates included, published: false left out', () => {
    const site = sites.get('jekyll')!;
    expect(site.ok).toBe(true);
    expect(site.site!.posts.map((p) => p.slug).sort()).toEqual(['pi-day-loaves', 'rye-starter']);
    expect(site.site!.drafts.map((p) => p.slug)).toEqual(['summer-menu']);
    expect(site.has('posts/summer-menu/index.html')).toBe(false);
    const pi = article(site, 'pi-day-loaves');
    expect(pi.title).toBe('Pi day loaves');
    expect(pi.datetime).toBe('2021-03-14');
  });

  it('reads space-separated tags and categories as tags, an author list, an image object and excerpt', () => {
    const site = sites.get('jekyll')!;
    for (const tag of ['bread', 'baking', 'kitchen']) expect(site.has(`tags/${tag}/index.html`), tag).toBe(true);
    const kitchen = parseHTML(site.read('tags/kitchen/index.html')).document;
    expect(kitchen.querySelectorAll('main article, main li').length).toBeGreaterThan(0);
    expect(site.read('tags/kitchen/index.html')).toContain('posts/rye-starter/');
    const rye = article(site, 'rye-starter');
    expect(rye.datetime).toBe('2021-04-02T01:30:00-07:00');
    expect(rye.author).toBe('By Ann Baker and Bo Crust');
    expect(rye.cover?.getAttribute('src')).toBe('/blog/assets/oven.png');
    expect(rye.cover?.getAttribute('alt')).toBe('A cold oven, waiting');
    expect(rye.description).toBe('Flour, water and a week of patience.');
  });

  it('turns a highlight block into code, and a link to a .md file with an anchor into the post\'s URL, in the page and the feed', () => {
    const site = sites.get('jekyll')!;
    const pi = article(site, 'pi-day-loaves');
    const code = pi.content.querySelector('pre code.language-ruby');
    expect(code?.textContent).toContain('puts loaves.join(", ")');
    expect(pi.content.textContent).not.toContain('highlight');
    expect(pi.links).toEqual(['/blog/posts/rye-starter/#feeding']);
    expect(article(site, 'rye-starter').doc.getElementById('feeding')).not.toBeNull();
    const feedLinks = [...feedContent(site, 'pi-day-loaves').querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(feedLinks).toEqual(['https://example.org/blog/posts/rye-starter/#feeding']);
  });

  it('warns about the Textile post and each Liquid tag, at its line', () => {
    expect(diagnostics(sites.get('jekyll')!, root)).toEqual([
      'warning ForeignTemplateSyntax posts/2021-03-14-pi-day-loaves.markdown:9:1',
      'warning ForeignTemplateSyntax posts/2021-04-02-rye-starter.md:14:39',
      'warning PostSkipped posts/2020-12-24-old-format.textile::',
    ]);
  });
});

describe('a Hugo blog (TOML front matter, PaperMod cover, bundles) builds as it is', () => {
  const root = path.join(fixtures, 'hugo');
  it('builds every post; _index.md is section metadata, not a post', () => {
    const site = sites.get('hugo')!;
    expect(site.ok).toBe(true);
    expect(site.site!.posts.map((p) => p.slug).sort()).toEqual(['first-frost', 'garden-beds', 'seed-list']);
    expect([...site.writer.files.keys()].filter((f) => /index\/index\.html$|_index/.test(f))).toEqual([]);
  });

  it('reads TOML front matter: date with offset, lastmod, summary, tags and categories', () => {
    const site = sites.get('hugo')!;
    const frost = article(site, 'first-frost');
    expect(frost.title).toBe('First frost');
    expect(frost.datetime).toBe('2023-10-10T23:00:00-07:00');
    expect(frost.updated).toBe('2023-10-12');
    expect(frost.description).toBe('The dahlias did not make it.');
    for (const tag of ['frost', 'dahlias', 'garden']) expect(site.has(`tags/${tag}/index.html`), tag).toBe(true);
    expect(site.read('sitemap.xml')).toContain('<loc>https://example.org/blog/posts/first-frost/</loc><lastmod>2023-10-12</lastmod>');
  });

  it('shows a highlight shortcode\'s HTML as code: no <meta> or <title> in the page or the feed', () => {
    const site = sites.get('hugo')!;
    const frost = article(site, 'first-frost');
    expect(frost.content.querySelector('meta, title')).toBeNull();
    expect(frost.content.querySelector('pre code.language-html')?.textContent).toContain('<title>Frost log</title>');
    expect(frost.doc.querySelectorAll('title').length).toBe(1);
    const feed = feedContent(site, 'first-frost');
    expect(feed.querySelector('meta, title')).toBeNull();
    expect(feed.querySelector('pre code')?.textContent).toContain('<meta charset="utf-8">');
    expect(frost.links).toEqual(['/blog/posts/garden-beds/', '/blog/posts/seed-list/']);
  });

  it('reads PaperMod\'s cover.image and cover.alt, and a folder/folder.md bundle with its image', () => {
    const site = sites.get('hugo')!;
    const beds = article(site, 'garden-beds');
    expect(beds.cover?.getAttribute('src')).toBe('/blog/posts/garden-beds/cover.png');
    expect(beds.cover?.getAttribute('alt')).toBe('Four raised beds in a row');
    expect(site.has('posts/garden-beds/cover.png')).toBe(true);
    expect(site.site!.posts.find((p) => p.slug === 'garden-beds')!.data.ShowToc).toBe(true);
    const seeds = article(site, 'seed-list');
    expect(seeds.datetime).toBe('2024-12-06');
    expect(seeds.content.querySelector('img')?.getAttribute('src')).toBe('packets.png');
    expect(site.has('posts/seed-list/packets.png')).toBe(true);
  });

  it('warns about each shortcode at its line', () => {
    expect(diagnostics(sites.get('hugo')!, root)).toEqual([
      'warning ForeignTemplateSyntax posts/first-frost.md:11:1',
      'warning ForeignTemplateSyntax posts/first-frost.md:15:1',
    ]);
  });
});

describe('an Eleventy blog builds as it is', () => {
  const root = path.join(fixtures, 'eleventy');
  it('builds every post with month-name dates, author objects and links by file', () => {
    const site = sites.get('eleventy')!;
    expect(site.ok).toBe(true);
    expect(site.site!.posts.map((p) => p.slug).sort()).toEqual(['dawn-chorus', 'night-walk', 'tidal']);
    const dawn = article(site, 'dawn-chorus');
    expect(dawn.author).toBe('By Ivy Wren');
    expect(dawn.links).toEqual(['/blog/posts/tidal/']);
    const tidal = article(site, 'tidal');
    expect(tidal.datetime).toBe('2024-12-06');
    expect(tidal.links).toEqual(['/blog/posts/dawn-chorus/']);
    expect(tidal.content.querySelector('pre code')?.textContent).toContain('{% for post in collections.post %}');
    expect(site.has('posts/night-walk/lantern.png')).toBe(true);
  });

  it('warns about the shortcode in text, not the ones in code', () => {
    expect(diagnostics(sites.get('eleventy')!, root)).toEqual(['warning ForeignTemplateSyntax posts/dawn-chorus.md:13:1']);
  });
});

describe('an Astro blog builds as it is', () => {
  const root = path.join(fixtures, 'astro');
  it('reads pubDate, updatedDate, heroImage, pubDatetime and image objects', () => {
    const site = sites.get('astro')!;
    expect(site.ok).toBe(true);
    expect(site.site!.posts.map((p) => p.slug).sort()).toEqual(['led-matrix', 'soldering-station']);
    const station = article(site, 'soldering-station');
    expect(station.datetime).toBe('2022-07-08');
    expect(station.updated).toBe('2022-07-10');
    expect(station.cover?.getAttribute('src')).toBe('/blog/hero.png');
    const matrix = article(site, 'led-matrix');
    expect(matrix.datetime).toBe('2023-01-05T02:00:00-08:00');
    expect(matrix.author).toBe('By Sam Volt');
    expect(matrix.cover?.getAttribute('alt')).toBe('Sixty-four LEDs showing 10:42');
    expect(matrix.links).toEqual(['/blog/posts/soldering-station/#parts']);
    expect(station.doc.getElementById('parts')).not.toBeNull();
    expect(site.site!.posts.find((p) => p.slug === 'led-matrix')!.data.featured).toBe(true);
  });

  it('warns that the .mdx post is not read', () => {
    expect(diagnostics(sites.get('astro')!, root)).toEqual(['warning PostSkipped posts/wiring.mdx::']);
  });
});

describe('blogbuild build on each site', () => {
  it.each(['jekyll', 'hugo', 'eleventy', 'astro'])('%s: exit 0, no errors', (name) => {
    const out = path.join(scratch, name);
    const run = spawnSync(process.execPath, [bin, 'build', '--no-cache', '--out', out], { cwd: path.join(fixtures, name), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' } });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.status).toBe(0);
    // Printed like a compiler: `posts/…:9:1: warning: … [ForeignTemplateSyntax]`, `posts/wiring.mdx: warning: … [PostSkipped]`.
    if (name !== 'astro') expect(run.stderr).toMatch(/^posts\/\S+:\d+:\d+: warning: .* \[ForeignTemplateSyntax\]$/m);
    if (name === 'jekyll' || name === 'astro') expect(run.stderr).toMatch(/^posts\/\S+: warning: \.\w+ files are not read as posts.* \[PostSkipped\]$/m);
    expect(fs.existsSync(path.join(out, 'index.html'))).toBe(true);
  });
});
