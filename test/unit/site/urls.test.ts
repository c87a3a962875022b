import { describe, expect, it } from 'vitest';
import { absolutizeHtml } from '../../../src/site/absolute-urls.js';
import { absoluteUrl, outputPath, postPath, siteUrl, tagPath } from '../../../src/site/urls.js';

const blog = { url: 'https://example.org/blog/', basePath: '/blog/' };
const bare = { url: '', basePath: '/' };

describe('site URLs', () => {
  it('prefixes the base path once', () => {
    expect(siteUrl(blog, postPath('hello'))).toBe('/blog/posts/hello/');
    expect(siteUrl(blog, '/rss.xml')).toBe('/blog/rss.xml');
    expect(siteUrl(blog, '')).toBe('/blog/');
    expect(siteUrl(blog, 'https://other.example/')).toBe('https://other.example/');
    expect(siteUrl(bare, tagPath('c-plus-plus'))).toBe('/tags/c-plus-plus/');
  });

  it('makes absolute URLs only when the site has a url', () => {
    expect(absoluteUrl(blog, 'sitemap.xml')).toBe('https://example.org/blog/sitemap.xml');
    expect(absoluteUrl(bare, 'sitemap.xml')).toBe('/sitemap.xml');
  });

  it('maps site paths to output files, decoding non-ASCII slugs', () => {
    expect(outputPath('')).toBe('index.html');
    expect(outputPath('posts/x/')).toBe('posts/x/index.html');
    expect(outputPath(tagPath('日本語'))).toBe('tags/日本語/index.html');
    expect(outputPath('rss.xml')).toBe('rss.xml');
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
