import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, copyFixture, fixturePath, type FixtureBuild } from './helpers/build-fixture.js';

type Doc = ReturnType<typeof parseHTML>['document'];

const doc = (html: string): Doc => parseHTML(html).document;
const text = (d: Doc, selector: string): string => (d.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
const all = (d: Doc, selector: string): Element[] => [...d.querySelectorAll(selector)] as Element[];
const hrefs = (d: Doc, selector: string): string[] => all(d, selector).map((a) => a.getAttribute('href') ?? '');

/** Published posts of the subpath-blog fixture, newest first; same-date posts ordered by slug. */
const order = ['garden-trip', 'gfm-showcase', 'no-description', 'aardvark-day', 'zebra-day', 'tags-galore', 'unicode-and-emoji', 'raw-html', 'hello-world'];
const titles: Record<string, string> = {
  'garden-trip': 'A trip to the garden',
  'gfm-showcase': 'GFM showcase',
  'no-description': 'No description',
  'aardvark-day': 'Aardvark day',
  'zebra-day': 'Zebra day',
  'tags-galore': 'Tags galore',
  'unicode-and-emoji': 'Ünïcödé ☕ and emoji 🎉',
  'raw-html': 'Raw HTML',
  'hello-world': 'Hello, world',
};
const dates: Record<string, [iso: string, text: string]> = {
  'garden-trip': ['2025-06-01', 'June 1, 2025'],
  'gfm-showcase': ['2025-05-01', 'May 1, 2025'],
  'no-description': ['2025-04-01', 'April 1, 2025'],
  'aardvark-day': ['2025-03-15', 'March 15, 2025'],
  'zebra-day': ['2025-03-15', 'March 15, 2025'],
  'tags-galore': ['2025-02-01', 'February 1, 2025'],
  'unicode-and-emoji': ['2025-01-10', 'January 10, 2025'],
  'raw-html': ['2024-12-01', 'December 1, 2024'],
  'hello-world': ['2024-11-01', 'November 1, 2024'],
};
/** Tag slug → [display name (lowercased for comparison), published posts newest first]. */
const tags: Record<string, [string, string[]]> = {
  'a-b-testing': ['a/b testing', ['tags-galore']],
  'c-plus-plus': ['c++', ['zebra-day', 'tags-galore']],
  'c-sharp': ['c#', ['aardvark-day', 'tags-galore']],
  cafe: ['café', ['no-description', 'tags-galore', 'unicode-and-emoji']],
  'node-js': ['node.js', ['gfm-showcase', 'tags-galore']],
  'trigger-point-therapy': ['trigger point therapy', ['garden-trip', 'gfm-showcase', 'no-description', 'aardvark-day', 'raw-html']],
  日本語: ['日本語', ['unicode-and-emoji']],
};
const postTags: Record<string, string[]> = {
  'garden-trip': ['trigger-point-therapy'],
  'gfm-showcase': ['trigger-point-therapy', 'node-js'],
  'no-description': ['cafe', 'trigger-point-therapy'],
  'aardvark-day': ['c-sharp', 'trigger-point-therapy'],
  'zebra-day': ['c-plus-plus'],
  'tags-galore': ['c-plus-plus', 'c-sharp', 'node-js', 'cafe', 'a-b-testing'],
  'unicode-and-emoji': ['cafe', '日本語'],
  'raw-html': ['trigger-point-therapy'],
  'hello-world': [],
};
const slugOf = (href: string) => /\/posts\/([^/]+)\/$/.exec(href)?.[1];

/**
 * Checks every internal link of every HTML page: it resolves to a file of the output (fragments to an
 * element with that id), and root-relative or template links start with the base path.
 */
function checkLinks(out: FixtureBuild, origin: string, basePath: string): { problems: string[]; checked: number } {
  const problems: string[] = [];
  let checked = 0;
  const pages = [...out.writer.files.keys()].filter((file) => file.endsWith('.html'));
  const ids = new Map<string, Set<string>>();
  const idsOf = (file: string) => {
    if (!ids.has(file)) ids.set(file, new Set(all(doc(out.read(file)), '[id]').map((el) => el.getAttribute('id')!)));
    return ids.get(file)!;
  };
  for (const page of pages) {
    const d = doc(out.read(page));
    const pageUrl = new URL(basePath + (page === '404.html' ? page : page.replace(/index\.html$/, '')), origin);
    for (const [selector, attribute] of [['a[href]', 'href'], ['link[href]', 'href'], ['img[src]', 'src'], ['script[src]', 'src']] as const) {
      for (const el of all(d, selector)) {
        const value = el.getAttribute(attribute)!;
        if (/^(mailto|tel|data):/i.test(value)) continue;
        const url = new URL(value, pageUrl);
        if (url.origin !== origin) continue; // external
        checked++;
        const where = `${page}: ${selector} ${JSON.stringify(value)}`;
        if (!value.startsWith('#') && !/^https?:/.test(value)) {
          const isAuthored = el.closest('.post-content') !== null;
          if (!value.startsWith(basePath) && !(isAuthored && !value.startsWith('/'))) problems.push(`${where} does not start with ${basePath}`);
          if (page === '404.html' && !value.startsWith(basePath)) problems.push(`${where}: the 404 page is served at any URL, so links must be root-relative`);
        }
        if (!url.pathname.startsWith(basePath)) {
          problems.push(`${where} leaves the base path`);
          continue;
        }
        let target = decodeURIComponent(url.pathname.slice(basePath.length));
        if (target === '' || target.endsWith('/')) target += 'index.html';
        if (!out.has(target)) problems.push(`${where} → ${target} is not in the output`);
        else if (url.hash && target.endsWith('.html') && !idsOf(target).has(decodeURIComponent(url.hash.slice(1)))) {
          problems.push(`${where} → no id ${url.hash} in ${target}`);
        }
      }
    }
  }
  return { problems, checked };
}

describe('a blog with a sub-path url (subpath-blog)', () => {
  let out: FixtureBuild;
  beforeAll(async () => {
    out = await buildFixture('subpath-blog');
  });

  it('builds without diagnostics', () => {
    expect(out.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    expect(out.ok).toBe(true);
  });

  it('resolves every internal link to an output file, under the base path', () => {
    const { problems, checked } = checkLinks(out, 'https://example.org', '/blog/');
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(250);
  });

  it('writes the expected pages and nothing at unsafe paths', () => {
    const files = [...out.writer.files.keys()];
    for (const slug of order) expect(files).toContain(`posts/${slug}/index.html`);
    for (const slug of Object.keys(tags)) expect(files).toContain(`tags/${slug}/index.html`);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'page/2/index.html', 'page/3/index.html', 'tags/index.html',
      'tags/trigger-point-therapy/page/2/index.html', 'rss.xml', 'sitemap.xml', 'robots.txt', '404.html', 'assets/style.css']));
    expect(files).not.toContain('page/4/index.html');
    expect(files).not.toContain('page/1/index.html');
    expect(files.filter((f) => f.startsWith('tags/') && f.endsWith('index.html')).length).toBe(Object.keys(tags).length + 2);
    for (const file of files) expect(file).toMatch(/^[\p{Ll}\p{Lo}0-9][\p{Ll}\p{Lo}0-9._/-]*$/u);
    expect(files).toContain('tags/日本語/index.html');
  });

  it('post pages show title, author, date, read time, tags and newer/older links', () => {
    order.forEach((slug, i) => {
      const d = doc(out.read(`posts/${slug}/index.html`));
      expect(all(d, 'h1').map((h) => h.textContent!.trim())).toEqual([titles[slug]]);
      expect(text(d, '.post-author')).toBe(slug === 'hello-world' ? 'By Guest Writer' : 'By Ada Author');
      const time = d.querySelector('.post-meta time')!;
      expect(time.getAttribute('datetime')).toBe(dates[slug][0]);
      expect(time.textContent).toBe(dates[slug][1]);
      expect(text(d, '.post-read-time')).toMatch(/^\d+ min read$/);
      expect(hrefs(d, '.tag-list a')).toEqual(postTags[slug].map((tag) => `/blog/tags/${encodeURIComponent(tag)}/`));
      for (const a of all(d, '.tag-list a')) {
        const tagPage = doc(out.read(`${decodeURIComponent(a.getAttribute('href')!.slice('/blog/'.length))}index.html`));
        expect(text(tagPage, 'h1')).toBe(`Posts tagged “${a.textContent!.trim()}”`);
      }
      const newer = hrefs(d, '.post-nav-newer a').map(slugOf);
      const older = hrefs(d, '.post-nav-older a').map(slugOf);
      expect(newer).toEqual(i > 0 ? [order[i - 1]] : []);
      expect(older).toEqual(i < order.length - 1 ? [order[i + 1]] : []);
      if (i > 0) expect(text(d, '.post-nav-newer a')).toContain(titles[order[i - 1]]);
    });
  });

  it('computes read time from the words when absent (words / readingSpeed, rounded, at least 1)', () => {
    // no-description has 420 words at readingSpeed 100 → 4; hello-world has 1 word → 1; tags-galore sets readTime: 7.
    expect(text(doc(out.read('posts/no-description/index.html')), '.post-read-time')).toBe('4 min read');
    expect(text(doc(out.read('posts/hello-world/index.html')), '.post-read-time')).toBe('1 min read');
    expect(text(doc(out.read('posts/tags-galore/index.html')), '.post-read-time')).toBe('7 min read');
  });

  it('paginates the home page newest first with rel=prev/next links and page counts', () => {
    const pages = ['index.html', 'page/2/index.html', 'page/3/index.html'];
    const urls = ['/blog/', '/blog/page/2/', '/blog/page/3/'];
    pages.forEach((file, i) => {
      const d = doc(out.read(file));
      expect(hrefs(d, '.post-summary-title a').map(slugOf)).toEqual(order.slice(i * 3, i * 3 + 3));
      expect(hrefs(d, 'a[rel="prev"]')).toEqual(i > 0 ? [urls[i - 1]] : []);
      expect(hrefs(d, 'a[rel="next"]')).toEqual(i < 2 ? [urls[i + 1]] : []);
      expect(text(d, '.pagination-status')).toBe(`Page ${i + 1} of 3`);
    });
  });

  it('paginates tag pages newest first', () => {
    const [, posts] = tags['trigger-point-therapy'];
    const first = doc(out.read('tags/trigger-point-therapy/index.html'));
    const second = doc(out.read('tags/trigger-point-therapy/page/2/index.html'));
    expect(hrefs(first, '.post-summary-title a').map(slugOf)).toEqual(posts.slice(0, 3));
    expect(hrefs(second, '.post-summary-title a').map(slugOf)).toEqual(posts.slice(3));
    expect(hrefs(first, 'a[rel="next"]')).toEqual(['/blog/tags/trigger-point-therapy/page/2/']);
    expect(hrefs(first, 'a[rel="prev"]')).toEqual([]);
    expect(hrefs(second, 'a[rel="prev"]')).toEqual(['/blog/tags/trigger-point-therapy/']);
    expect(hrefs(second, 'a[rel="next"]')).toEqual([]);
    expect(text(second, '.pagination-status')).toBe('Page 2 of 2');
    expect(text(first, '.page-lede')).toMatch(/^5 posts\b/);
    for (const [slug, [, tagged]] of Object.entries(tags)) {
      if (tagged.length > 3) continue;
      const d = doc(out.read(`tags/${slug}/index.html`));
      expect(hrefs(d, '.post-summary-title a').map(slugOf)).toEqual(tagged);
      expect(all(d, '.pagination')).toHaveLength(0);
    }
  });

  it('lists every tag with its merged count; tags that differ only in case are one tag', () => {
    const d = doc(out.read('tags/index.html'));
    const listed = all(d, '.tag-index a').map((a) => ({
      slug: decodeURIComponent(/\/blog\/tags\/([^/]+)\/$/.exec(a.getAttribute('href')!)![1]),
      name: a.childNodes[0].textContent!.trim().toLowerCase(),
      count: Number(/\((\d+)/.exec(a.querySelector('.tag-count')!.textContent!)?.[1]),
    }));
    expect(listed.map((t) => t.slug).sort()).toEqual(Object.keys(tags).sort());
    for (const tag of listed) {
      expect(tag.name).toBe(tags[tag.slug!][0]);
      expect(tag.count).toBe(tags[tag.slug!][1].length);
    }
  });

  it('leaves no trace of drafts and scheduled posts', () => {
    for (const [file, bytes] of out.writer.files) {
      const content = new TextDecoder().decode(bytes);
      for (const needle of ['Secret draft', 'secret-draft', 'Secret Tag', 'secret-tag', 'From the future', 'from-the-future', 'Future Tag', 'future-tag']) {
        expect(content.includes(needle), `${file} mentions ${needle}`).toBe(false);
      }
    }
    expect(out.stats.drafts).toBe(1);
    expect(out.stats.scheduled).toBe(1);
  });

  it('publishes drafts and future posts with drafts: true and future: true', async () => {
    const both = await buildFixture('subpath-blog', { drafts: true, future: true });
    expect(both.ok).toBe(true);
    expect(both.has('posts/secret-draft/index.html')).toBe(true);
    expect(both.has('posts/from-the-future/index.html')).toBe(true);
    expect(both.has('tags/secret-tag/index.html')).toBe(true);
    expect(both.has('tags/future-tag/index.html')).toBe(true);
    const index = doc(both.read('tags/index.html'));
    const count = (slug: string) => Number(/\((\d+)/.exec(all(index, '.tag-index a').find((a) => a.getAttribute('href') === `/blog/tags/${slug}/`)!.textContent!)?.[1]);
    expect(count('c-plus-plus')).toBe(3);
    expect(count('c-sharp')).toBe(3);
    expect(hrefs(doc(both.read('index.html')), '.post-summary-title a').map(slugOf)).toEqual(['from-the-future', 'garden-trip', 'secret-draft']);
    const gfm = doc(both.read('posts/gfm-showcase/index.html'));
    expect(hrefs(gfm, '.post-nav-newer a').map(slugOf)).toEqual(['secret-draft']);
    expect(both.read('rss.xml')).toContain('<link>https://example.org/blog/posts/secret-draft/</link>');
    expect(both.read('rss.xml')).toContain('<link>https://example.org/blog/posts/from-the-future/</link>');
    expect(both.read('sitemap.xml')).toContain('<loc>https://example.org/blog/posts/secret-draft/</loc>');
    expect(both.read('sitemap.xml')).toContain('<loc>https://example.org/blog/tags/future-tag/</loc>');

    const draftsOnly = await buildFixture('subpath-blog', { drafts: true });
    expect(draftsOnly.has('posts/secret-draft/index.html')).toBe(true);
    expect(draftsOnly.has('posts/from-the-future/index.html')).toBe(false);
    const futureOnly = await buildFixture('subpath-blog', { future: true });
    expect(futureOnly.has('posts/secret-draft/index.html')).toBe(false);
    expect(futureOnly.has('posts/from-the-future/index.html')).toBe(true);
  });

  it('copies page-bundle files next to the post page and public/ as is', async () => {
    const root = fixturePath('subpath-blog');
    const same = async (output: string, source: string) => {
      expect(Buffer.from(out.writer.files.get(output)!).equals(await fs.readFile(path.join(root, source)))).toBe(true);
    };
    await same('posts/garden-trip/photo.svg', 'posts/2025-06-01-garden-trip/photo.svg');
    await same('favicon.svg', 'public/favicon.svg');
    await same('files/notes.txt', 'public/files/notes.txt');
    expect(out.has('posts/garden-trip/index.md')).toBe(false);
    const d = doc(out.read('posts/garden-trip/index.html'));
    const srcs = all(d, '.post-content img').map((img) => new URL(img.getAttribute('src')!, 'https://example.org/blog/posts/garden-trip/').pathname);
    expect(srcs).toEqual(['/blog/posts/garden-trip/photo.svg']);
    expect(d.querySelector('img.post-cover')!.getAttribute('src')).toBe('/blog/posts/garden-trip/photo.svg');
    expect(d.querySelector('meta[property="og:image"]')!.getAttribute('content')).toBe('https://example.org/blog/posts/garden-trip/photo.svg');
    // A root-relative cover image gets the base path, like root-relative links in the body.
    const hello = doc(out.read('posts/hello-world/index.html'));
    expect(hello.querySelector('img.post-cover')!.getAttribute('src')).toBe('/blog/files/cover.svg');
    expect(hello.querySelector('meta[property="og:image"]')!.getAttribute('content')).toBe('https://example.org/blog/files/cover.svg');
  });

  it('orders posts with the same date by slug, whatever their file names', () => {
    // 2025-03-15-a-second-file.md has slug zebra-day, 2025-03-15-b-first-file.md has slug aardvark-day.
    const home = doc(out.read('page/2/index.html'));
    expect(hrefs(home, '.post-summary-title a').map(slugOf).slice(0, 2)).toEqual(['aardvark-day', 'zebra-day']);
  });

  it('uses the text before <!-- more --> as the excerpt and removes the marker', () => {
    const home = doc(out.read('index.html'));
    const summary = all(home, '.post-summary').find((s) => s.querySelector('a')!.getAttribute('href') === '/blog/posts/gfm-showcase/')!;
    // The list shows the part before the marker as HTML (its link with the base path), in place of the description.
    const excerpt = summary.querySelector('.post-summary-excerpt')!;
    expect(excerpt.textContent!.trim()).toBe('This intro is the excerpt, written before the marker. It links home too.');
    expect(excerpt.querySelector('a')!.getAttribute('href')).toBe('/blog/');
    expect(summary.querySelector('.post-summary-description')).toBeNull();
    const page = out.read('posts/gfm-showcase/index.html');
    // The meta description is the same text, plain.
    expect(doc(page).querySelector('meta[name="description"]')!.getAttribute('content')).toBe('This intro is the excerpt, written before the marker. It links home too.');
    expect(page).not.toMatch(/<!--\s*more\s*-->/);
    expect(text(doc(page), '.post-content')).toContain('Tables and lists');
  });

  it('cuts the excerpt of a post without description at a word boundary near 160 characters', async () => {
    const source = await fs.readFile(path.join(fixturePath('subpath-blog'), 'posts/2025-04-01-no-description.md'), 'utf8');
    const paragraph = source.split('---\n')[2].trim().split('\n\n')[0];
    const home = doc(out.read('index.html'));
    const summary = all(home, '.post-summary').find((s) => s.querySelector('a')!.getAttribute('href') === '/blog/posts/no-description/')!;
    const excerpt = summary.querySelector('.post-summary-description')!.textContent!;
    expect(excerpt.endsWith('…')).toBe(true);
    const kept = excerpt.slice(0, -1);
    expect(kept.length).toBeGreaterThanOrEqual(120);
    expect(kept.length).toBeLessThanOrEqual(160);
    expect(paragraph.startsWith(kept)).toBe(true);
    expect(paragraph[kept.length]).toMatch(/[\s,.;:!?]/);
    const page = doc(out.read('posts/no-description/index.html'));
    expect(page.querySelector('meta[name="description"]')!.getAttribute('content')).toBe(excerpt);
  });

  it('renders GFM: tables, task lists, strikethrough, footnotes, autolinks, heading ids', () => {
    const d = doc(out.read('posts/gfm-showcase/index.html'));
    expect(all(d, '.post-content table th').map((th) => th.textContent)).toEqual(['Fruit', 'Count']);
    expect(all(d, '.post-content table tbody tr')).toHaveLength(2);
    const boxes = all(d, '.post-content li input[type="checkbox"]');
    expect(boxes.map((box) => box.hasAttribute('checked'))).toEqual([true, false]);
    expect(text(d, '.post-content del')).toBe('struck out');
    expect(hrefs(d, '.post-content a').filter((h) => h.startsWith('http'))).toEqual(['https://example.com/autolink']);
    const ref = d.querySelector('.post-content sup a')!;
    const note = d.getElementById(ref.getAttribute('href')!.slice(1))!;
    expect(note.textContent).toContain('The footnote text.');
    // The heading's text, then its `#` link to itself.
    const tables = d.querySelector('.post-content h2#tables-and-lists')!;
    expect(tables.firstChild!.textContent).toBe('Tables and lists');
    expect(tables.querySelector('a.heading-anchor')!.getAttribute('href')).toBe('#tables-and-lists');
  });

  it('passes raw HTML through', () => {
    const gfm = doc(out.read('posts/gfm-showcase/index.html'));
    expect(text(gfm, '.post-content div.raw-callout strong')).toBe('Raw');
    expect(text(gfm, '.post-content kbd')).toBe('Ctrl');
    const raw = doc(out.read('posts/raw-html/index.html'));
    expect(text(raw, '.post-content aside.raw-aside em')).toBe('Raw');
    expect(text(raw, '.post-content mark')).toBe('inline raw html');
  });

  it('keeps emoji and Unicode intact and gives non-ASCII headings an id', () => {
    const d = doc(out.read('posts/unicode-and-emoji/index.html'));
    expect(text(d, 'h1')).toBe('Ünïcödé ☕ and emoji 🎉');
    expect(text(d, '.post-content p')).toBe('日本語のテキスト and emoji 🎉🚀 stay intact: naïve façade, Ελληνικά, עברית.');
    const heading = d.querySelector('.post-content h2')!;
    expect(heading.firstChild!.textContent).toBe('Café ☕ crème brûlée');
    expect(heading.getAttribute('id')).toMatch(/^caf/);
    expect(d.querySelector('title')!.textContent).toBe('Ünïcödé ☕ and emoji 🎉 – Fixture Blog');
  });

  it('prefixes root-relative links written in posts with the base path', () => {
    const d = doc(out.read('posts/gfm-showcase/index.html'));
    const link = (label: string) => all(d, '.post-content a').find((a) => a.textContent === label)!.getAttribute('href');
    expect(link('first post')).toBe('/blog/posts/hello-world/');
    expect(link('notes')).toBe('/blog/files/notes.txt');
    expect(link('home')).toBe('/blog/');
    const raw = doc(out.read('posts/raw-html/index.html'));
    expect(raw.querySelector('.post-content a.raw-link')!.getAttribute('href')).toBe('/blog/tags/');
  });

  it('writes a 404 page whose links use the base path', () => {
    const d = doc(out.read('404.html'));
    const links = [...hrefs(d, 'a[href]'), ...hrefs(d, 'link[href]')].filter((h) => !h.startsWith('#'));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) expect(href.startsWith('/blog/') || href.startsWith('https://example.org/blog/'), href).toBe(true);
    expect(d.querySelector('meta[name="robots"]')!.getAttribute('content')).toBe('noindex');
  });
});

describe('a blog without url (no-url)', () => {
  let out: FixtureBuild;
  beforeAll(async () => {
    out = await buildFixture('no-url');
  });

  it('builds, warning that feed and sitemap links cannot be absolute', () => {
    expect(out.ok).toBe(true);
    expect(out.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning FeedWithoutUrl']);
  });

  it('resolves every internal link from the site root', () => {
    const { problems, checked } = checkLinks(out, 'https://no-url.invalid', '/');
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
    const d = doc(out.read('posts/first/index.html'));
    expect(all(d, '.post-content a').map((a) => a.getAttribute('href'))).toEqual(['/posts/second/', 'http://localhost/admin/']);
    expect(d.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? '/posts/first/').toBe('/posts/first/');
  });

  it('paginates and merges tags', () => {
    expect(hrefs(doc(out.read('index.html')), '.post-summary-title a')).toEqual(['/posts/bundle-post/', '/posts/second/']);
    expect(hrefs(doc(out.read('page/2/index.html')), '.post-summary-title a')).toEqual(['/posts/first/']);
    expect(hrefs(doc(out.read('tags/news/page/2/index.html')), '.post-summary-title a')).toEqual(['/posts/first/']);
    expect(out.has('posts/bundle-post/picture.svg')).toBe(true);
    expect(out.has('favicon.svg')).toBe(true);
  });

  it('writes robots.txt without a Sitemap line (it needs an absolute URL)', () => {
    expect(out.read('robots.txt')).not.toMatch(/Sitemap:/i);
  });
});

describe('markdown.rawHtml: false (raw-html-off)', () => {
  it('drops raw HTML and keeps the markdown text', async () => {
    const out = await buildFixture('raw-html-off');
    expect(out.ok).toBe(true);
    const page = out.read('posts/raw-html/index.html');
    const d = doc(page);
    expect(all(d, '.post-content aside, .post-content mark, .post-content em')).toHaveLength(0);
    expect(page).not.toContain('&lt;aside');
    expect(page).not.toContain('&lt;mark');
    expect(text(d, '.post-content')).toContain('Some text before.');
    expect(text(d, '.post-content')).toContain('Some text after with');
  });
});

describe('determinism', () => {
  const temps: string[] = [];
  afterAll(async () => {
    for (const dir of temps) await fs.rm(dir, { recursive: true, force: true });
  });

  const bytes = (out: FixtureBuild) => new Map([...out.writer.files].map(([file, data]) => [file, Buffer.from(data).toString('base64')]));
  /** A cache folder of its own for each build, so no build serves another one's results. */
  const ownCache = async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-determinism-cache-'));
    temps.push(dir);
    return { cacheDir: dir };
  };

  it('gives byte-identical output for two builds of the same fixture', async () => {
    const first = await buildFixture('subpath-blog', await ownCache());
    const second = await buildFixture('subpath-blog', await ownCache());
    expect(second.stats.markdownCached).toBe(0);
    expect([...first.writer.files.keys()].length).toBeGreaterThan(20);
    expect(bytes(second)).toEqual(bytes(first));
  });

  it('gives identical output for copies whose files were created in a different order', async () => {
    const original = await buildFixture('subpath-blog', await ownCache());
    for (const orderOfCreation of ['forward', 'reverse'] as const) {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), `blogbuild-order-${orderOfCreation}-`));
      temps.push(dir);
      await copyFixture('subpath-blog', dir, orderOfCreation);
      const copy = await buildFixture(dir, await ownCache());
      expect(copy.ok).toBe(true);
      expect(copy.stats.markdownCached).toBe(0);
      expect(bytes(copy)).toEqual(bytes(original));
    }
  });
});

describe('a post whose body repeats its title as # heading', () => {
  it('shows the title once, as the page h1, and keeps the rest of the body', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-dup-title-'));
    try {
      await fs.mkdir(path.join(root, 'posts'));
      await fs.writeFile(path.join(root, 'posts', '2024-03-01-menu.md'), '---\ntitle: Spring Menu\ndate: 2024-03-01\n---\n\n# Spring menu\n\nFresh *bread*.\n\n# Prices\n\nCheap.\n');
      const built = await buildFixture(root);
      expect(built.ok).toBe(true);
      const page = doc(built.read('posts/menu/index.html'));
      expect(all(page, 'h1').map((h) => h.firstChild!.textContent?.trim())).toEqual(['Spring Menu', 'Prices']);
      expect(text(page, 'article')).toContain('Fresh bread.');
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
