/**
 * What search engines and link previews read from a page's head: title, description, canonical URL, OpenGraph,
 * the Twitter card, rel=prev/next on paginated lists and schema.org JSON-LD, parsed with a DOM parser and
 * JSON.parse from real builds of the kitchen-sink fixture and of small blogs written here.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type FixtureBuild } from './helpers/build-fixture.js';

let site: FixtureBuild;
let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-previews-'));
  site = await buildFixture('kitchen-sink');
  expect(site.ok).toBe(true);
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

/** The head of an output page: meta by property or name (all values), links by rel, and the JSON-LD blocks. */
function head(html: string) {
  const { document } = parseHTML(html);
  const metas = (key: string) =>
    [...document.querySelectorAll(`meta[property="${key}"], meta[name="${key}"]`)].map((m) => m.getAttribute('content'));
  return {
    document,
    meta: (key: string) => metas(key)[0],
    metas,
    link: (rel: string) => document.querySelector(`head link[rel="${rel}"]`)?.getAttribute('href'),
    jsonLd: () => [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent ?? '')),
  };
}

/** Writes a one-folder blog with `blogbuild.config.json` and posts, and builds it in memory. */
async function buildBlog(name: string, config: object, posts: Record<string, string>): Promise<FixtureBuild> {
  const root = path.join(scratch, name);
  await fs.mkdir(path.join(root, 'posts'), { recursive: true });
  await fs.writeFile(path.join(root, 'blogbuild.config.json'), JSON.stringify(config));
  for (const [file, text] of Object.entries(posts)) await fs.writeFile(path.join(root, 'posts', file), text);
  const result = await buildFixture(root, { cache: false });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result;
}

describe('a post with a cover image', () => {
  it('has its title, description, canonical URL, OpenGraph article tags and a large-image Twitter card', () => {
    const h = head(site.read('posts/kitchen-sink/index.html'));
    const url = 'https://example.org/blog/posts/kitchen-sink/';
    expect(h.document.querySelector('title')?.textContent).toBe('Every markdown feature – Kitchen Sink');
    expect(h.meta('description')).toBe("A post that uses every markdown feature, to check the theme's output.");
    expect(h.link('canonical')).toBe(url);
    expect(h.meta('og:type')).toBe('article');
    expect(h.meta('og:title')).toBe('Every markdown feature');
    expect(h.meta('og:description')).toBe(h.meta('description'));
    expect(h.meta('og:url')).toBe(url);
    expect(h.meta('og:image')).toBe(`${url}cover.svg`);
    expect(h.meta('og:image:alt')).toBe('A teal square with a white circle');
    expect(h.meta('article:published_time')).toBe('2025-06-01T00:00:00+00:00');
    expect(h.meta('article:modified_time')).toBe('2025-06-15T00:00:00+00:00');
    expect(h.metas('article:tag')).toEqual(['C++', 'café', 'a/b testing', 'markdown']);
    expect(h.meta('twitter:card')).toBe('summary_large_image');
  });

  it('describes itself as a schema.org BlogPosting in JSON-LD', () => {
    const [data, ...more] = head(site.read('posts/kitchen-sink/index.html')).jsonLd();
    expect(more).toEqual([]);
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'BlogPosting',
      headline: 'Every markdown feature',
      description: "A post that uses every markdown feature, to check the theme's output.",
      author: { '@type': 'Person', name: 'Kit Chen' },
      datePublished: '2025-06-01T00:00:00+00:00',
      dateModified: '2025-06-15T00:00:00+00:00',
      image: 'https://example.org/blog/posts/kitchen-sink/cover.svg',
      keywords: ['C++', 'café', 'a/b testing', 'markdown'],
      url: 'https://example.org/blog/posts/kitchen-sink/',
      mainEntityOfPage: { '@type': 'WebPage', '@id': 'https://example.org/blog/posts/kitchen-sink/' },
      isPartOf: { '@type': 'Blog', name: 'Kitchen Sink', url: 'https://example.org/blog/' },
    });
  });
});

describe('a post without an image', () => {
  it('gets a summary card, no og:image, and its publication date as the modification date', () => {
    const h = head(site.read('posts/cpp-notes/index.html'));
    expect(h.meta('twitter:card')).toBe('summary');
    expect(h.meta('og:image')).toBeUndefined();
    expect(h.meta('article:published_time')).toBe('2025-05-10T00:00:00+00:00');
    expect(h.meta('article:modified_time')).toBe('2025-05-10T00:00:00+00:00');
    const [data] = h.jsonLd();
    expect(data.image).toBeUndefined();
    expect(data.dateModified).toBe(data.datePublished);
    expect(data.keywords).toEqual(['C++', 'markdown']);
  });
});

describe('list pages', () => {
  it('mark the home page as a Blog, later pages and tag pages as CollectionPages, with website OpenGraph', () => {
    const home = head(site.read('index.html'));
    expect(home.meta('og:type')).toBe('website');
    expect(home.jsonLd()).toEqual([
      expect.objectContaining({ '@type': 'Blog', name: 'Kitchen Sink', url: 'https://example.org/blog/', author: { '@type': 'Person', name: 'Kit Chen' } }),
    ]);
    const tag = head(site.read('tags/markdown/index.html'));
    expect(tag.jsonLd()).toEqual([
      expect.objectContaining({ '@type': 'CollectionPage', name: 'Posts tagged “markdown”', url: 'https://example.org/blog/tags/markdown/', isPartOf: expect.objectContaining({ '@type': 'Blog' }) }),
    ]);
    expect(head(site.read('tags/index.html')).jsonLd()[0]['@type']).toBe('CollectionPage');
    expect(head(site.read('page/2/index.html')).jsonLd()[0]['@type']).toBe('CollectionPage');
  });

  it('link the previous and next page of a paginated list in the head', () => {
    const pages = ['index.html', 'page/2/index.html', 'page/3/index.html'].map((file) => head(site.read(file)));
    expect(pages.map((h) => [h.link('prev'), h.link('next')])).toEqual([
      [undefined, '/blog/page/2/'],
      ['/blog/', '/blog/page/3/'],
      ['/blog/page/2/', undefined],
    ]);
    const tag = head(site.read('tags/markdown/index.html'));
    expect(tag.link('next')).toBe('/blog/tags/markdown/page/2/');
    expect(head(site.read('tags/index.html')).link('next')).toBeUndefined();
  });

  it('keeps the 404 page out of search results and previews', () => {
    const h = head(site.read('404.html'));
    expect(h.meta('robots')).toBe('noindex');
    expect(h.jsonLd()).toEqual([]);
    expect(h.meta('og:type')).toBeUndefined();
  });
});

describe('JSON-LD', () => {
  it('cannot be ended or commented out by a title or description, and still parses to the same text', async () => {
    const title = 'Why </script><script>alert(1)</script> and <!-- break & things';
    const description = 'Line\u2028separator, paragraph\u2029separator, ]]> and </SCRIPT >';
    const blog = await buildBlog('injection', { title: 'Inject </script>', url: 'https://example.org/' }, {
      '2025-01-01-x.md': `---\ntitle: ${JSON.stringify(title)}\ndate: 2025-01-01\ndescription: ${JSON.stringify(description)}\ntags: ["<!--"]\n---\n\nBody.\n`,
    });
    const html = blog.read('posts/x/index.html');
    const h = head(html);
    expect(h.document.querySelectorAll('script').length).toBe(1);
    expect(h.document.querySelector('h1')?.textContent).toBe(title);
    const [data] = h.jsonLd();
    expect(data.headline).toBe(title);
    expect(data.description).toBe(description);
    expect(data.keywords).toEqual(['<!--']);
    expect(data.isPartOf.name).toBe('Inject </script>');
    const script = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(script).not.toMatch(/[<>&\u2028\u2029]/);
  });

  it('gives calendar dates with the site time zone offset, the same calendar day east and west of UTC', async () => {
    const post = { '2024-12-31-eve.md': '---\ntitle: Eve\ndate: 2024-12-31\nupdated: 2025-01-01T05:30:00Z\n---\n\nBody.\n' };
    const dates = async (timezone: string) => {
      const blog = await buildBlog(`tz-${timezone.replace(/\W/g, '-')}`, { title: 'TZ', url: 'https://example.org/', timezone }, post);
      const h = head(blog.read('posts/eve/index.html'));
      const [data] = h.jsonLd();
      expect(h.meta('article:published_time')).toBe(data.datePublished);
      expect(h.meta('article:modified_time')).toBe(data.dateModified);
      return [data.datePublished, data.dateModified];
    };
    expect(await dates('Pacific/Kiritimati')).toEqual(['2024-12-31T00:00:00+14:00', '2025-01-01T19:30:00+14:00']);
    expect(await dates('Pacific/Pago_Pago')).toEqual(['2024-12-31T00:00:00-11:00', '2024-12-31T18:30:00-11:00']);
    expect(await dates('Asia/Kolkata')).toEqual(['2024-12-31T00:00:00+05:30', '2025-01-01T11:00:00+05:30']);
  });
});
