/**
 * Issue 9, item 6: the site URL is checked (http(s), no credentials, query, fragment or whitespace) and its
 * normal form is what robots.txt, the feed, the sitemap and every canonical link use; the config file, `--url`
 * and a JS config reading the environment all go through the same check.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFixture, copyFixture } from '../helpers/build-fixture.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-url-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let count = 0;

/** The no-url fixture with `url` set in its config file. */
async function siteWithUrl(url: string): Promise<string> {
  const root = await copyFixture('no-url', path.join(scratch, `site-${++count}`));
  fs.writeFileSync(path.join(root, 'blogbuild.config.json'), JSON.stringify({ title: 'URL test', url }));
  return root;
}

const bad: [url: string, why: RegExp][] = [
  ['https://example.org/blog/\nDisallow: /\n', /whitespace or a control character/],
  ['https://example.org/ blog/', /whitespace or a control character/],
  ['https://user:pass@example.org/', /credentials/],
  ['https://user@example.org/', /credentials/],
  ['https://@example.org/', /credentials/],
  ['https://example.org/blog?x=1', /query/],
  ['https://example.org/blog?', /query/],
  ['https://example.org/blog#top', /fragment/],
  ['ftp://example.org/', /not an absolute http\(s\) URL/],
];

describe('a site URL that would inject text or break links is a config error', () => {
  it.each(bad)('%j in the config file', async (url, why) => {
    const result = await buildFixture(await siteWithUrl(url));
    expect(result.ok).toBe(false);
    expect(result.writer.files.size).toBe(0);
    const d = result.diagnostics.find((x) => x.code === 'ConfigInvalid');
    expect(d?.message).toMatch(why);
    expect(d?.loc?.file).toMatch(/blogbuild\.config\.json$/);
    expect(d?.loc?.line).toBe(1);
    expect(d?.hint).toMatch(/https:\/\/example\.org\/blog\//);
  });

  it.each(bad)('%j as --url', async (url, why) => {
    const result = await buildFixture('no-url', { url });
    expect(result.ok).toBe(false);
    expect(result.writer.files.size).toBe(0);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'UsageInvalid', message: expect.stringMatching(why) })]);
  });

  it('from the environment, through a JS config', async () => {
    const root = await copyFixture('no-url', path.join(scratch, `site-${++count}`));
    fs.rmSync(path.join(root, 'blogbuild.config.json'));
    fs.writeFileSync(path.join(root, 'blogbuild.config.mjs'), 'export default { url: process.env.BLOGBUILD_TEST_SITE_URL };\n');
    process.env.BLOGBUILD_TEST_SITE_URL = 'https://example.org/\nDisallow: /';
    try {
      const result = await buildFixture(root);
      expect(result.ok).toBe(false);
      expect(result.diagnostics[0]).toMatchObject({ code: 'ConfigInvalid', message: expect.stringMatching(/whitespace/) });
    } finally {
      delete process.env.BLOGBUILD_TEST_SITE_URL;
    }
  });
});

describe('the normalized URL is what every output uses', () => {
  it('HTTPS://Example.ORG:443/blog becomes https://example.org/blog/ in robots.txt, the feed, the sitemap and canonical links', async () => {
    const result = await buildFixture(await siteWithUrl('HTTPS://Example.ORG:443/blog'));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.config?.url).toBe('https://example.org/blog/');
    expect(result.read('robots.txt')).toBe('User-agent: *\nAllow: /\n\nSitemap: https://example.org/blog/sitemap.xml\n');
    const everything = [...result.writer.files.keys()].filter((f) => /\.(html|xml|txt)$/.test(f)).map((f) => result.read(f)).join('\n');
    expect(everything).not.toMatch(/Example\.ORG|HTTPS:|:443/);
    expect(result.read('rss.xml')).toContain('<link>https://example.org/blog/</link>');
    expect(result.read('posts/first/index.html')).toContain('<link rel="canonical" href="https://example.org/blog/posts/first/">');
    expect(result.read('sitemap.xml')).toContain('<loc>https://example.org/blog/posts/first/</loc>');
  });

  it('an @ in the path is not taken for credentials', async () => {
    const result = await buildFixture('no-url', { url: 'https://EXAMPLE.org/~me/@blog' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.config?.url).toBe('https://example.org/~me/@blog/');
  });

  it('--url is normalized the same way', async () => {
    const result = await buildFixture('no-url', { url: 'https://EXAMPLE.org' });
    expect(result.config?.url).toBe('https://example.org/');
    expect(result.read('robots.txt')).toContain('Sitemap: https://example.org/sitemap.xml\n');
  });
});
