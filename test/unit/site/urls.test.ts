import { describe, expect, it } from 'vitest';
import { absolutizeHtml } from '../../../src/site/absolute-urls.js';
import { absoluteUrl, outputPath, pagePath, postPath, siteUrl, tagPath } from '../../../src/site/urls.js';

const blog = { url: 'https://example.org/blog/', basePath: '/blog/' };
const bare = { url: '', basePath: '/' };
const day = { instant: new Date('2024-12-31T00:00:00Z'), isDateOnly: true, iso: '2024-12-31' };
const hello = { slug: 'hello', date: day };

describe('site URLs', () => {
  it('prefixes the base path once', () => {
    expect(siteUrl(blog, postPath(hello, blog))).toBe('/blog/posts/hello/');
    expect(siteUrl(blog, '/rss.xml')).toBe('/blog/rss.xml');
    expect(siteUrl(blog, '')).toBe('/blog/');
    expect(siteUrl(blog, 'https://other.example/')).toBe('https://other.example/');
    expect(siteUrl(bare, tagPath('c-plus-plus', bare))).toBe('/tags/c-plus-plus/');
  });

  it('makes absolute URLs only when the site has a url', () => {
    expect(absoluteUrl(blog, 'sitemap.xml')).toBe('https://example.org/blog/sitemap.xml');
    expect(absoluteUrl(bare, 'sitemap.xml')).toBe('/sitemap.xml');
  });

  it('maps site paths to output files, decoding non-ASCII slugs', () => {
    expect(outputPath('')).toBe('index.html');
    expect(outputPath('posts/x/')).toBe('posts/x/index.html');
    expect(outputPath(tagPath('日本語', bare))).toBe('tags/日本語/index.html');
    expect(outputPath('rss.xml')).toBe('rss.xml');
  });
});

describe('permalinks', () => {
  const permalinks = { post: '/:year/:month/:day/:slug/', tag: '/topics/:slug/', page: '/p/:slug/' };

  it('fills a post pattern with the date\'s calendar day in the site\'s zone and the encoded slug', () => {
    expect(postPath(hello, { permalinks })).toBe('2024/12/31/hello/');
    // A date-time's iso is already in the site's time zone: 23:30 in Los Angeles on the 1st is the 1st there.
    const late = { instant: new Date('2025-03-02T07:30:00Z'), isDateOnly: false, iso: '2025-03-01T23:30:00-08:00' };
    expect(postPath({ slug: 'late', date: late }, { permalinks })).toBe('2025/03/01/late/');
    expect(postPath({ slug: 'café au lait', date: day }, { permalinks: { ...permalinks, post: '/:slug/' } })).toBe('caf%C3%A9%20au%20lait/');
  });

  it('fills tag and page patterns', () => {
    expect(tagPath('c-plus-plus', { permalinks })).toBe('topics/c-plus-plus/');
    expect(pagePath(['docs', 'faq'])).toBe('docs/faq/');
    expect(pagePath(['docs', 'faq'], '/p/:slug/')).toBe('p/faq/');
    expect(pagePath([], '/:path/')).toBe('');
  });
});

describe('absolutizeHtml', () => {
  it('resolves relative, root-relative and fragment URLs against the page', () => {
    const html = '<p><img src="photo.svg" alt=""><a href="/blog/posts/a/">a</a><a href="#fn-1">1</a><a href="https://x.example/">x</a></p>';
    const out = absolutizeHtml(html, 'https://example.org/blog/posts/b/');
    expect(out).toContain('src="https://example.org/blog/posts/b/photo.svg"');
    expect(out).toContain('href="https://example.org/blog/posts/a/"');
    expect(out).toContain('href="https://example.org/blog/posts/b/#fn-1"');
    expect(out).toContain('href="https://x.example/"');
  });
});
