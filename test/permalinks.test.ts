// permalinks.post / .tag / .page on a copy of the pages-blog fixture: every file moves, and every link, feed
// entry, sitemap URL and alias follows. Bad patterns are located config errors.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, copyFixture, type FixtureBuild } from './helpers/build-fixture.js';

async function siteWith(config: Record<string, unknown>): Promise<string> {
  const dir = await copyFixture('pages-blog', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-permalinks-')));
  await fs.writeFile(path.join(dir, 'blogbuild.config.json'), `${JSON.stringify({ title: 'Pages Blog', url: 'https://example.org/site/', postsPerPage: 2, ...config }, null, 2)}\n`);
  return dir;
}

const permalinks = { post: '/:year/:month/:day/:slug/', tag: '/topics/:slug/', page: '/info/:path/' };

describe('permalinks', () => {
  let out: FixtureBuild;
  beforeAll(async () => {
    const root = await siteWith({ permalinks, timezone: 'America/Los_Angeles', postsPerPage: 1 });
    // A date-time late in the evening in the site's zone is already the next day in UTC: its URL uses the site's day.
    await fs.writeFile(path.join(root, 'posts/late.md'), '---\ntitle: Late night\ndate: 2025-03-01T23:30:00-08:00\ntags: [news]\n---\nLate.\n');
    out = await buildFixture(root);
  });

  it('writes posts, tag pages, tag feeds and pages at their patterns', () => {
    expect(out.ok).toBe(true);
    for (const file of ['2025/01/05/moved-post/index.html', '2025/02/01/second/index.html', '2025/03/01/late/index.html', 'topics/news/index.html',
      'topics/news/page/2/index.html', 'topics/news/rss.xml', 'topics/news/atom.xml', 'info/about/index.html', 'info/docs/faq/index.html']) {
      expect(out.has(file), file).toBe(true);
    }
    expect(out.files.filter((file) => /^(posts|tags\/news|about|docs)\//.test(file))).toEqual([]);
  });

  it('leaves no link of the theme in any page pointing at a file the site does not have', () => {
    const files = new Set(out.files);
    const broken: string[] = [];
    for (const file of out.files.filter((f) => f.endsWith('.html'))) {
      // Links the authors wrote in the fixture's markdown keep the URLs they wrote (that is what aliases are for).
      const { document } = parseHTML(out.read(file));
      for (const content of document.querySelectorAll('.post-content')) content.remove();
      for (const el of document.querySelectorAll('[href], [src]')) {
        const ref = el.getAttribute('href') ?? el.getAttribute('src')!;
        const url = new URL(ref, `https://example.org/site/${file}`);
        if (url.origin !== 'https://example.org' || url.pathname.endsWith('.html') && !url.pathname.startsWith('/site/')) continue;
        const rel = decodeURIComponent(url.pathname.slice('/site/'.length));
        if (!files.has(rel.endsWith('/') || rel === '' ? `${rel}index.html` : rel)) broken.push(`${file} → ${ref}`);
      }
    }
    expect(broken).toEqual([]);
    const post = parseHTML(out.read('2025/01/05/moved-post/index.html')).document;
    expect(post.querySelector('link[rel=canonical]')?.getAttribute('href')).toBe('https://example.org/site/2025/01/05/moved-post/');
    expect([...post.querySelectorAll('.site-nav a')].map((a) => a.getAttribute('href'))).toContain('/site/info/about/');
  });

  it('puts the new URLs in the feeds and the sitemap', () => {
    const xml = new XMLParser({ ignoreAttributes: false });
    const rss = xml.parse(out.read('rss.xml')).rss.channel.item;
    expect(rss.map((item: { link: string }) => item.link)).toEqual([
      'https://example.org/site/2025/03/01/late/', 'https://example.org/site/2025/02/01/second/', 'https://example.org/site/2025/01/05/moved-post/',
    ]);
    expect(JSON.parse(out.read('feed.json')).items[0].url).toBe('https://example.org/site/2025/03/01/late/');
    expect(out.read('topics/news/atom.xml')).toContain('<link rel="alternate" type="text/html" href="https://example.org/site/2025/01/05/moved-post/"/>');
    const locs = xml.parse(out.read('sitemap.xml')).urlset.url.map((u: { loc: string }) => u.loc);
    expect(locs).toEqual(expect.arrayContaining(['https://example.org/site/topics/news/', 'https://example.org/site/topics/news/page/2/', 'https://example.org/site/info/docs/faq/', 'https://example.org/site/2025/02/01/second/']));
    expect(locs.filter((loc: string) => /\/posts\/|\/tags\/news/.test(loc))).toEqual([]);
  });

  it('points aliases at the new URLs', () => {
    const refresh = (file: string) => parseHTML(out.read(file)).document.querySelector('meta[http-equiv=refresh]')?.getAttribute('content');
    expect(refresh('old/moved-post/index.html')).toBe('0; url=/site/2025/01/05/moved-post/');
    expect(refresh('about-us/index.html')).toBe('0; url=/site/info/about/');
  });

  it('with /:slug/ posts, a page of the same name is a located clash', async () => {
    const root = await siteWith({ permalinks: { post: '/:slug/' } });
    await fs.writeFile(path.join(root, 'pages/second.md'), '---\ntitle: Second page\n---\nText.\n');
    const result = await buildFixture(root);
    const [d] = result.diagnostics.filter((x) => x.code === 'DuplicateOutputPath');
    expect([path.relative(root, d.loc!.file), d.message]).toEqual(['pages/second.md', 'the page pages/second.md would be written to second/index.html, where the post posts/2025-02-01-second.md is written too']);
  });
});

describe('permalinks: config errors', () => {
  const cases: [string, Record<string, string>, string, number, string][] = [
    ['an unknown token', { post: '/:year/:mnth/:slug/' }, 'permalinks.post', 4, '"/:year/:mnth/:slug/" has an unknown token `:mnth`; the tokens are :year, :month, :day, :slug'],
    ['a pattern without :slug', { post: '/:year/:month/' }, 'permalinks.post', 4, '"/:year/:month/" has no :slug, so every one would be written to the same path'],
    ['tags on the paths of posts', { post: '/:slug/', tag: '/:slug/' }, 'permalinks.tag', 5, '"/:slug/" gives tags the URLs of posts ("/:slug/" takes the same places): a tag and a post with the same slug would be written to one path'],
    ['a path that is not between slashes', { page: 'pages/:slug' }, 'permalinks.page', 4, '"pages/:slug" must start and end with "/", e.g. "/posts/:slug/"'],
  ];
  it.each(cases)('reports %s at its line in the config (exit 2)', async (_, value, key, line, message) => {
    const root = await siteWith({});
    await fs.writeFile(path.join(root, 'blogbuild.config.json'), `{\n  "title": "Pages Blog",\n  "permalinks": {\n${Object.entries(value).map(([k, v]) => `    "${k}": "${v}"`).join(',\n')}\n  }\n}\n`);
    const result = await buildFixture(root);
    expect(result.ok).toBe(false);
    const [d] = result.diagnostics;
    expect([d.code, path.basename(d.loc!.file), d.loc!.line, d.message]).toEqual(['ConfigInvalid', 'blogbuild.config.json', line, `\`${key}\` ${message}`]);
    expect(d.hint).toBeTruthy();
  });
});
