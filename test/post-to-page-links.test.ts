/**
 * A post links to a standalone page by its markdown file (`[About](../pages/about.md)`), as it links to another
 * post: the link becomes the page's URL under the base path; a link to a draft page warns, and a link to neither a
 * post nor a page is still the located error.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture } from './helpers/build-fixture.js';

let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-page-links-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

async function blog(name: string, post: string) {
  const root = path.join(scratch, name);
  await fs.mkdir(path.join(root, 'posts'), { recursive: true });
  await fs.mkdir(path.join(root, 'pages', 'company'), { recursive: true });
  await fs.writeFile(path.join(root, 'blogbuild.config.json'), JSON.stringify({ title: 'T', url: 'https://example.org/blog/' }));
  await fs.writeFile(path.join(root, 'pages', 'about.md'), '---\ntitle: About us\n---\nWe bake.\n\n## Opening hours\n\nDaily.\n');
  await fs.writeFile(path.join(root, 'pages', 'company', 'jobs.md'), '---\ntitle: Jobs\ndraft: true\n---\nSoon.\n');
  await fs.writeFile(path.join(root, 'posts', '2025-03-01-sale.md'), `---\ntitle: Sale\ndate: 2025-03-01\n---\n${post}`);
  return buildFixture(root, { cache: false });
}

describe('links from a post to a page by its markdown file', () => {
  it('become the page URL, with its anchor, in the post and in the feed', async () => {
    const site = await blog('ok', 'Read [our story](../pages/about.md#opening-hours) and [more][about].\n\n[about]: <../pages/about.md>\n');
    expect(site.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const { document } = parseHTML(site.read('posts/sale/index.html'));
    const hrefs = [...document.querySelectorAll('.post-content a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['/blog/about/#opening-hours', '/blog/about/']);
    expect(site.read('about/index.html')).toContain('id="opening-hours"');
    expect(site.read('rss.xml')).toContain('href="https://example.org/blog/about/#opening-hours"');
  });

  it('warns for a draft page and fails, located, for a file that is neither post nor page', async () => {
    const draft = await blog('draft', 'See [jobs](../pages/company/jobs.md).\n');
    expect(draft.diagnostics.map((d) => [d.severity, d.code, d.loc?.line, d.loc?.column])).toContainEqual(['warning', 'PostLinkBroken', 5, 12]);
    const missing = await blog('missing', 'See [team](../pages/team.md).\n');
    const errors = missing.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.loc?.line, d.loc?.column])).toEqual([['PostLinkBroken', 5, 12]]);
    expect(errors[0].message).toContain('links to no post or page');
  });
});
