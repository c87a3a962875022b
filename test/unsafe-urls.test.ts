/**
 * Issue 14: with `markdown.rawHtml: false`, markdown cannot write a link or image whose URL runs script
 * (`javascript:`, `vbscript:`, `data:` pages), however it spells the scheme; safe schemes and relative URLs stay.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { isUnsafeUrl } from '../src/markdown/safe-urls.js';
import { buildFixture, fixturePath } from './helpers/build-fixture.js';
import { formatVnuMessages, isVnuError, runVnu } from './helpers/vnu.js';

/** Every URL attribute in an HTML fragment or page, as `name=value`. */
function urls(html: string): string[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return [...document.querySelectorAll('[href], [src], [cite], [poster], [action]')].flatMap((el) =>
    ['href', 'src', 'cite', 'poster', 'action'].filter((name) => el.hasAttribute(name)).map((name) => `${name}=${el.getAttribute(name)}`));
}

describe('markdown.rawHtml: false drops unsafe URLs (raw-html-off)', () => {
  it('keeps no script URL in the post page or its feed item, and keeps safe links, raster data images and alt text', async () => {
    const out = await buildFixture('raw-html-off');
    expect(out.ok).toBe(true);
    const page = out.read('posts/unsafe-links/index.html');
    const content = parseHTML(page).document.querySelector('.post-content')!;
    const found = urls(content.innerHTML);
    expect(found.filter((url) => /^\w+=\s*(javascript|vbscript|data:(?!image\/png))/i.test(url))).toEqual([]);
    expect(found).toEqual([
      // The tab and the leading space are percent-encoded by the markdown parser: no scheme, so relative paths.
      'href=java%09script:alert(1)',
      'href=%20javascript:alert(1)',
      'src=data:image/png;base64,iVBORw0KGgo=',
      'src=https://example.org/photo.jpg',
      'href=https://example.org/',
      'href=mailto:ada@example.org',
      'href=tel:+15550100',
      'href=../first/',
      'href=#unsafe-links',
      'href=/notes/a:b/',
      'href=?q=a:b',
    ]);
    // The link texts stay (as links without href); images that lost their source become their alt text.
    expect(content.textContent).toContain('Links that would run script: script, upper case,');
    expect(content.textContent).toContain('an SVG');
    expect(content.textContent).toContain('a script');
    expect(content.querySelectorAll('img')).toHaveLength(2);
    const feed = out.read('rss.xml');
    expect(feed).toContain('colon in the path');
    expect(feed).not.toMatch(/(href|src)=("|&quot;)\s*(javascript|vbscript|data:text)/i);
  });

  it('leaves URLs alone when raw HTML is on (the author is trusted with script anyway)', async () => {
    const site = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-raw-html-on-'));
    fs.cpSync(fixturePath('raw-html-off'), site, { recursive: true });
    const config = path.join(site, 'blogbuild.config.json');
    fs.writeFileSync(config, JSON.stringify({ ...JSON.parse(fs.readFileSync(config, 'utf8')), markdown: { rawHtml: true } }));
    const out = await buildFixture(site);
    fs.rmSync(site, { recursive: true, force: true });
    const found = urls(parseHTML(out.read('posts/unsafe-links/index.html')).document.querySelector('.post-content')!.innerHTML);
    expect(found).toContain('href=javascript:alert(1)');
    expect(out.diagnostics.filter((d) => d.code === 'UnsafeUrlDropped')).toEqual([]);
  });
});

describe('a warning for each dropped URL (raw-html-off)', () => {
  /** The UnsafeUrlDropped warnings as `line:column scheme (link|image)`. */
  const dropped = (out: { diagnostics: { code: string; severity: string; loc?: { line?: number; column?: number }; message: string }[] }) =>
    out.diagnostics.filter((d) => d.code === 'UnsafeUrlDropped').map((d) => {
      expect(d.severity).toBe('warning');
      return `${d.loc?.line}:${d.loc?.column} ${/`(\w+):`/.exec(d.message)?.[1]} ${/^the (\w+)/.exec(d.message)?.[1]}`;
    });
  const expected = [
    '6:30 javascript link', '6:61 javascript link', '7:1 vbscript link', '8:1 data link', '8:86 javascript link',
    // A reference link is reported where it is used, not at its definition.
    '9:7 javascript link', '13:56 data image', '14:1 javascript image',
  ];

  it('says where, which scheme and what to do, and replays the warnings from the cache on a build with no change', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-unsafe-url-cache-'));
    const first = await buildFixture('raw-html-off', { cacheDir });
    expect(first.ok).toBe(true);
    expect(dropped(first)).toEqual(expected);
    const warning = first.diagnostics.find((d) => d.code === 'UnsafeUrlDropped')!;
    expect(warning.loc?.file).toMatch(/2024-12-02-unsafe-links\.md$/);
    expect(warning.message).toBe('the link\'s `javascript:` URL was dropped: `markdown.rawHtml` is false, and a `javascript:` URL could run script in the page');
    expect(warning.hint).toBe('use an http(s), mailto: or tel: URL, or a relative one; for posts you trust, set `markdown.rawHtml` to true to keep URLs as written');
    expect(first.diagnostics.find((d) => d.message.startsWith('the image'))?.message).toContain('(its alt text is shown)');

    const again = await buildFixture('raw-html-off', { cacheDir });
    fs.rmSync(cacheDir, { recursive: true, force: true });
    expect(again.stats.markdownRendered).toBe(0);
    expect(dropped(again)).toEqual(expected);
  });

  it('warns for a page (pages/) as for a post', async () => {
    const site = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-unsafe-url-page-'));
    fs.cpSync(fixturePath('raw-html-off'), site, { recursive: true });
    fs.mkdirSync(path.join(site, 'pages'));
    fs.writeFileSync(path.join(site, 'pages', 'about.md'), '---\ntitle: About\n---\nWrite to [us](mailto:us@example.org), not [here](vbscript:x).\n');
    const out = await buildFixture(site, { cache: false });
    fs.rmSync(site, { recursive: true, force: true });
    const forPage = out.diagnostics.filter((d) => d.code === 'UnsafeUrlDropped' && d.loc?.file?.endsWith('about.md'));
    expect(forPage).toMatchObject([{ severity: 'warning', loc: { line: 4, column: 43 } }]);
    expect(forPage[0].message).toContain('`vbscript:` URL was dropped');
    expect(out.read('about/index.html')).not.toContain('vbscript');
  });
});

describe('raw-html-off pages with unsafe URLs dropped', { tags: ['java'] }, () => {
  it('pass the Nu Html Checker (links without href, alt text for lost images)', async () => {
    const out = await buildFixture('raw-html-off');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-unsafe-urls-'));
    fs.writeFileSync(path.join(dir, 'unsafe-links.html'), out.read('posts/unsafe-links/index.html'));
    const errors = (await runVnu([dir])).filter(isVnuError);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(errors, formatVnuMessages(errors)).toEqual([]);
  }, 60_000);
});

describe('isUnsafeUrl', () => {
  it('reads the scheme as a browser does', () => {
    for (const url of ['javascript:alert(1)', 'JAVASCRIPT:x', ' \u0001javascript:x', 'java\tscript:x', 'jav\nascript:x', 'vbscript:x', 'data:text/html,x', 'file:///etc/passwd']) {
      expect(isUnsafeUrl('href', url), url).toBe(true);
    }
    for (const url of ['https://x', 'HTTP://x', 'mailto:a@b', '/a:b', '#a:b', '?a:b', 'a/b:c', '1:2', '', 'page.html']) expect(isUnsafeUrl('href', url), url).toBe(false);
    expect(isUnsafeUrl('src', 'data:image/png;base64,AA==')).toBe(false);
    expect(isUnsafeUrl('src', 'data:image/svg+xml,<svg/>')).toBe(true);
    expect(isUnsafeUrl('href', 'data:image/png;base64,AA==')).toBe(true);
    expect(isUnsafeUrl('src', 'mailto:a@b')).toBe(true);
  });
});
