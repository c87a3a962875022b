/**
 * Publishing from CI: `blogbuild build --report json` (a report on stdout, people's output on stderr) and the URL's
 * precedence (config < BLOGBUILD_URL < --url). Spawns bin/blogbuild.js (compiled lib/ required) on a copy of the
 * pages-blog fixture with a draft and a scheduled post added.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture } from './helpers/build-fixture.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'blogbuild.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-publishing-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function run(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const merged: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1', BLOGBUILD_URL: undefined, ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: merged });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let count = 0;
async function site(): Promise<string> {
  const dir = await copyFixture('pages-blog', path.join(scratch, `site-${++count}`));
  fs.writeFileSync(path.join(dir, 'posts/2025-03-01-draft.md'), '---\ntitle: Half done\ndate: 2025-03-01\ndraft: true\n---\nLater.\n');
  // Far in the future, so it stays scheduled whenever the test runs.
  fs.writeFileSync(path.join(dir, 'posts/2999-01-01-later.md'), '---\ntitle: From the future\ndate: 2999-01-01T09:30:00+01:00\n---\nSoon.\n');
  return dir;
}

const canonical = (dir: string, file: string) =>
  parseHTML(fs.readFileSync(path.join(dir, 'dist', file), 'utf8')).document.querySelector('link[rel=canonical]')?.getAttribute('href');

describe('blogbuild build --report json', () => {
  let dir: string;
  let out: ReturnType<typeof run>;
  let report: Record<string, any>;
  beforeAll(async () => {
    dir = await site();
    out = run(['build', '--report', 'json'], dir);
    report = JSON.parse(out.stdout);
  });

  it('prints only the JSON report on stdout, the summary on stderr', () => {
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/^Built 2 posts, 3 pages, 1 tag page, /m);
    expect(report.ok).toBe(true);
    expect(report.url).toBe('https://example.org/site/');
    expect(report.outDir).toBe('dist');
  });

  it('lists the pages with their kinds and sources, tags and feeds', () => {
    const byFile = new Map(report.pages.map((p: { file: string }) => [p.file, p]));
    expect(byFile.get('posts/moved-post/index.html')).toEqual({ file: 'posts/moved-post/index.html', url: '/site/posts/moved-post/', kind: 'post', source: 'posts/2025-01-05-moved-post.md' });
    expect(byFile.get('docs/faq/index.html')).toEqual({ file: 'docs/faq/index.html', url: '/site/docs/faq/', kind: 'page', source: 'pages/docs/faq.md' });
    expect(byFile.get('old/moved-post/index.html')).toMatchObject({ kind: 'alias', source: 'posts/2025-01-05-moved-post.md' });
    expect(byFile.get('index.html')).toMatchObject({ kind: 'home', url: '/site/' });
    expect(byFile.get('tags/news/index.html')).toMatchObject({ kind: 'tag' });
    // Every written file is in the report once: pages, feeds or other files.
    const listed = [...report.pages, ...report.feeds, ...report.files].map((f: { file: string }) => f.file).sort();
    const written = fs.readdirSync(path.join(dir, 'dist'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name !== '.blogbuild').map((e) => path.relative(path.join(dir, 'dist'), path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
    expect(listed).toEqual(written);
    expect(report.tags).toEqual([{ name: 'news', slug: 'news', url: '/site/tags/news/', count: 1 }]);
    expect(report.feeds).toContainEqual({ file: 'tags/news/atom.xml', url: '/site/tags/news/atom.xml', format: 'atom', tag: 'news' });
    expect(report.feeds).toContainEqual({ file: 'feed.json', url: '/site/feed.json', format: 'json', tag: null });
  });

  it('gives skipped posts with the reason, and when a scheduled one goes live', () => {
    expect(report.skipped).toEqual([
      { source: 'posts/2025-03-01-draft.md', title: 'Half done', reason: 'draft' },
      { source: 'posts/2999-01-01-later.md', title: 'From the future', reason: 'scheduled', publishAt: '2999-01-01T08:30:00.000Z' },
    ]);
    expect(report.stats).toMatchObject({ posts: 2, pages: 3, drafts: 1, scheduled: 1 });
  });

  it('times each stage', () => {
    expect(Object.keys(report.timings)).toEqual(['config', 'sources', 'frontMatter', 'markdown', 'site', 'routes', 'write', 'total']);
    for (const ms of Object.values(report.timings)) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('reports a failed build with its diagnostics, codes and locations, exit 1', async () => {
    const bad = await site();
    fs.writeFileSync(path.join(bad, 'pages/about.md'), '---\ntitle: About\nweight: heavy\n---\nText.\n');
    const failed = run(['build', '--report', 'json'], bad);
    expect(failed.code).toBe(1);
    const json = JSON.parse(failed.stdout);
    expect(json.ok).toBe(false);
    expect(json.pages).toEqual([]);
    expect(json.diagnostics).toEqual([{ severity: 'error', code: 'FrontMatterInvalid', message: '`weight` must be a number', hint: expect.any(String), file: 'pages/about.md', line: 3, column: 9 }]);
    expect(failed.stderr).toContain('error');
  });
});

describe('the site URL: config < BLOGBUILD_URL < --url', () => {
  it('uses the config\'s url without either', async () => {
    const dir = await site();
    expect(run(['build'], dir).code).toBe(0);
    expect(canonical(dir, 'about/index.html')).toBe('https://example.org/site/about/');
  });

  it('lets BLOGBUILD_URL override the config, and --url override both', async () => {
    const dir = await site();
    expect(run(['build'], dir, { BLOGBUILD_URL: 'https://preview.example.net/pr-7/' }).code).toBe(0);
    expect(canonical(dir, 'about/index.html')).toBe('https://preview.example.net/pr-7/about/');
    expect(fs.readFileSync(path.join(dir, 'dist/robots.txt'), 'utf8')).toContain('Sitemap: https://preview.example.net/pr-7/sitemap.xml');
    expect(run(['build', '--url', 'https://www.example.com/'], dir, { BLOGBUILD_URL: 'https://preview.example.net/pr-7/' }).code).toBe(0);
    expect(canonical(dir, 'about/index.html')).toBe('https://www.example.com/about/');
  });

  it('ignores an empty BLOGBUILD_URL and names a bad one in its error (exit 2)', async () => {
    const dir = await site();
    expect(run(['build'], dir, { BLOGBUILD_URL: '' }).code).toBe(0);
    expect(canonical(dir, 'about/index.html')).toBe('https://example.org/site/about/');
    const bad = run(['build'], dir, { BLOGBUILD_URL: 'example.org/x' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('BLOGBUILD_URL "example.org/x" is not an absolute http(s) URL');
  });
});

describe('README: Publishing', () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Publishing\n'), readme.indexOf('\n## Errors\n'));

  it('has a recipe for each host, each keeping the build cache folder', () => {
    const recipes = section.split('\n### ').slice(1);
    expect(recipes.map((recipe) => recipe.split('\n')[0])).toEqual(['GitHub Pages', 'Netlify', 'Cloudflare Pages', 'Amazon S3 + CloudFront']);
    for (const recipe of recipes) expect(recipe, recipe.split('\n')[0]).toMatch(/node_modules\/\.cache\/blogbuild|cache/);
  });

  it('gives a workflow that parses, restores the cache after npm ci and builds with BLOGBUILD_URL', async () => {
    const yaml = (await import('js-yaml')).default;
    const block = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const workflow = yaml.load(block) as { jobs: Record<string, { steps: { run?: string; uses?: string; with?: { path?: string }; env?: Record<string, string> }[] }> };
    const steps = Object.values(workflow.jobs)[0].steps;
    const at = (find: (step: (typeof steps)[number]) => boolean) => steps.findIndex(find);
    const install = at((step) => step.run === 'npm ci');
    const cache = at((step) => step.uses?.startsWith('actions/cache') === true && step.with?.path === 'node_modules/.cache/blogbuild');
    const buildStep = at((step) => step.run?.startsWith('npx blogbuild build') === true);
    expect(install).toBeGreaterThanOrEqual(0);
    expect(cache).toBeGreaterThan(install);
    expect(buildStep).toBeGreaterThan(cache);
    expect(Object.keys(steps[buildStep].env ?? {})).toEqual(['BLOGBUILD_URL']);
  });
});

describe('blogbuild check on pages', () => {
  it('reports a broken link in a page at its line in the page\'s markdown', async () => {
    const dir = await site();
    fs.writeFileSync(path.join(dir, 'pages/about.md'), '---\ntitle: About us\n---\nFirst line.\n\nSee [the archive](/archive/).\n');
    const checked = run(['check'], dir);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/^pages\/about\.md:6:\d+: error: .*\/site\/archive\/.* \[LinkBroken\]$/m);
  });
});
