/**
 * `blogbuild import`: each fixture site (written in its generator's conventions, test/fixtures/import/<generator>/)
 * is imported into a temp folder and the result is built in memory: no warnings or errors, every post with its
 * title, date and tags, converted constructs rendered as markdown, old URLs kept as aliases, the constructs that
 * have no markdown form reported at file:line, and the source folder unchanged.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { parseHTML } from 'linkedom';
import { afterAll, describe, expect, it } from 'vitest';
import { BlogbuildError } from '../src/diagnostics/error.js';
import { importSite } from '../src/import/import-site.js';
import type { ImportReport } from '../src/import/model.js';
import { buildFixture, listFiles, type FixtureBuild } from './helpers/build-fixture.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(repo, 'test', 'fixtures', 'import');
const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-import-'));
afterAll(() => fs.rm(scratch, { recursive: true, force: true }));
let outCount = 0;
const freshOut = () => path.join(scratch, `blog-${++outCount}`);

/** A digest of every file's path and bytes under `dir`. */
async function hashTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const rel of await listFiles(dir)) hash.update(rel).update('\0').update(await fs.readFile(path.join(dir, rel))).update('\0');
  return hash.digest('hex');
}

interface ExpectedPost {
  slug: string;
  title: string;
  /** `<time datetime>` of the post (for Eleventy's `Last Modified`, the file's mtime the test sets). */
  datetime: string;
  tags: string[];
  /** The post's old URL, kept as an alias (none when it equals the new one). */
  alias?: string;
}

interface Case {
  generator: 'jekyll' | 'hugo' | 'eleventy' | 'astro';
  /** Base path of the site's URL, as the source config gave it. */
  base: string;
  posts: ExpectedPost[];
  /** Posts imported as drafts: in posts/ with `draft: true`, not built. */
  drafts: string[];
  /** `file:line` and text of constructs the report must list as not converted. */
  unconverted: [string, string][];
  /** Checks of the rendered posts. */
  check(site: FixtureBuild, page: (slug: string) => Document): void;
}

const cases: Case[] = [
  {
    generator: 'jekyll',
    base: '/journal/',
    posts: [
      { slug: 'pi-day-loaves', title: 'Pi day loaves', datetime: '2021-03-14', tags: ['sourdough', 'rye', 'baking'], alias: '/baking/2021/03/14/pi-day-loaves.html' },
      { slug: 'rye-starter', title: 'Keeping a rye starter', datetime: '2021-04-02T08:30:00+02:00', tags: ['starter', 'rye'], alias: '/2021/04/02/rye-starter.html' },
      { slug: 'summer-crust', title: 'A crust for summer', datetime: '2021-06-20', tags: [], alias: '/baking/2021/06/20/summer-crust.html' },
    ],
    drafts: ['unpublished', 'winter-menu'],
    unconverted: [
      ['_posts/2021-04-02-rye-starter.md:15', '{% include card.html text="Feed twice a day" %}'],
      ['_posts/2021-04-02-rye-starter.md:17', '{% tweet 1234567890 %}'],
      ['_posts/2020-12-24-old-format.html', 'not markdown'],
    ],
    check(site, page) {
      const pi = page('pi-day-loaves');
      expect(pi.querySelector('pre code.language-ruby')?.textContent).toContain('def proof(hours)');
      expect(pi.querySelector('.post-content')!.textContent).toContain('Write {{ page.title }} to show the title.');
      expect(pi.querySelector('.post-content')!.textContent).toContain('Baked and written by Ines.');
      expect(pi.querySelector('a[href="/journal/posts/rye-starter/"]')?.textContent).toBe('the rye starter');
      expect(pi.querySelector('.post-content img')?.getAttribute('src')).toBe('/journal/assets/oven.png');
      expect(site.has('assets/oven.png')).toBe(true);
      expect(pi.querySelector('.post-content')!.innerHTML).not.toMatch(/\{%/);
      const starter = page('rye-starter');
      expect(starter.querySelector('.post-author')?.textContent).toBe('By Ines Vogel, Tomas Berg');
      expect(starter.querySelector('.post-updated time')?.getAttribute('datetime')).toBe('2021-05-01');
      expect(starter.querySelector('img.post-cover')?.getAttribute('alt')).toBe('A warm oven');
      expect(starter.querySelector('a[href="/journal/posts/pi-day-loaves/"]')).not.toBeNull();
    },
  },
  {
    generator: 'hugo',
    base: '/notes/',
    posts: [
      { slug: 'first-frost', title: 'First frost', datetime: '2023-11-02T07:15:00-04:00', tags: ['weather', 'winter', 'garden'], alias: '/2023/11/first-frost/' },
      { slug: 'garden-beds', title: 'Building raised beds', datetime: '2023-04-15', tags: ['build'], alias: '/2023/04/building-raised-beds/' },
    ],
    drafts: ['seed-list'],
    unconverted: [['content/posts/first-frost.md:32', '{{< tweet user="allotment" id="1700000000" >}}'], ['content/about.md', 'not a post']],
    check(site, page) {
      const frost = page('first-frost');
      // The highlighted HTML is code, not markup in the page: one <title>, the theme's.
      expect(frost.querySelector('pre code.language-html')?.textContent).toContain('<title>Frost log</title>');
      expect(frost.querySelectorAll('title')).toHaveLength(1);
      expect(frost.querySelector('iframe[src="https://www.youtube-nocookie.com/embed/ZJthWmvUzzc"]')?.getAttribute('title')).toBe('YouTube video');
      expect(frost.querySelector('iframe[src="https://player.vimeo.com/video/146022717"]')).not.toBeNull();
      expect(frost.querySelector('a[href="https://gist.github.com/samokafor/4f1c2d#file-frost-csv"]')).not.toBeNull();
      expect(frost.querySelector('blockquote strong')?.textContent).toBe('Warning');
      expect(frost.querySelector('blockquote')!.textContent).toContain('Lift the dahlia tubers');
      expect(frost.querySelector('a[href="/notes/posts/garden-beds/"]')).not.toBeNull();
      expect(frost.querySelector('.post-content')!.textContent).toContain('write {{< youtube ID >}}.');
      expect(frost.querySelector('meta[charset]')?.parentElement?.tagName).toBe('HEAD');
      const beds = page('garden-beds');
      expect(beds.querySelector('.post-content img')?.getAttribute('alt')).toBe('A raised bed of larch boards');
      expect(beds.querySelector('.post-content em')?.textContent).toBe('Larch lasts longer than pine.');
      expect(beds.querySelector('img.post-cover')?.getAttribute('alt')).toBe('Four empty beds');
      expect(beds.querySelector('a[href="/notes/posts/first-frost/#frost-dates"]')).not.toBeNull();
      expect(site.has('posts/garden-beds/raised-bed.png') && site.has('posts/garden-beds/cover.png')).toBe(true);
      expect(site.has('images/frost.png')).toBe(true);
      expect(site.has('posts/about/index.html') || site.has('posts/index/index.html')).toBe(false);
    },
  },
  {
    generator: 'eleventy',
    base: '/',
    posts: [
      { slug: 'dawn-chorus', title: 'Dawn chorus', datetime: '2023-05-06', tags: ['birds'] },
      { slug: 'night-walk', title: 'Night walk', datetime: '2023-06-10T20:00:00+00:00', tags: ['night'], alias: '/recordings/night-walk/' },
      { slug: 'tidal', title: 'Tidal flats', datetime: '2023-08-01', tags: [] },
    ],
    drafts: [],
    unconverted: [
      ['src/posts/night-walk/night-walk.md:13', '{% renderTemplate "webc" %}'],
      ['src/posts/tidal.md:1', 'Last Modified'],
    ],
    check(site, page) {
      const dawn = page('dawn-chorus');
      expect(dawn.querySelector('pre code.language-js')?.textContent).toContain('sunrise - 40 * 60_000');
      expect(dawn.querySelector('.post-content')!.textContent).toContain('Recorder: a handheld with two cardioid capsules.');
      expect(dawn.querySelector('blockquote strong')?.textContent).toBe('Tip');
      expect(dawn.querySelector('a[href="/posts/night-walk/"]')?.textContent).toBe('a walk at night');
      expect(site.has('img/map.png')).toBe(true);
      const night = page('night-walk');
      expect(night.querySelector('.post-content img')?.getAttribute('src')).toBe('lantern.png');
      expect(site.has('posts/night-walk/lantern.png')).toBe(true);
      expect(night.querySelector('a[href="/posts/dawn-chorus/#the-first-bird"]')).not.toBeNull();
      expect(site.has('tags/posts/index.html')).toBe(false);
    },
  },
  {
    generator: 'astro',
    base: '/log/',
    posts: [
      { slug: 'soldering-station', title: 'A soldering station on a budget', datetime: '2022-07-08', tags: [], alias: '/blog/soldering-station/' },
      { slug: 'led-matrix', title: 'An 8×8 LED matrix', datetime: '2022-09-15', tags: ['leds', 'arduino'], alias: '/blog/led-matrix/' },
    ],
    drafts: [],
    unconverted: [['src/content/blog/led-matrix.mdx:11', '<Chart data="current" />']],
    check(site, page) {
      const station = page('soldering-station');
      expect(station.querySelector('img.post-cover')?.getAttribute('src')).toMatch(/hero\.png$/);
      expect(site.has('posts/soldering-station/hero.png')).toBe(true);
      expect(station.querySelector('blockquote strong')?.textContent).toBe('Tip');
      expect(station.querySelector('blockquote')!.textContent).not.toContain('[!TIP]');
      expect(station.querySelector('.post-updated time')?.getAttribute('datetime')).toBe('2022-08-01');
      expect(station.querySelector('a[href="/log/posts/led-matrix/"]')).not.toBeNull();
      const matrix = page('led-matrix');
      expect(matrix.querySelector('.post-content')!.textContent).not.toContain('import Chart');
      expect(matrix.querySelector('blockquote strong')?.textContent).toBe('Note');
      expect(site.has('favicon.png')).toBe(true);
    },
  },
];

describe.each(cases)('import $generator', (c) => {
  // A copy, so the file dates Eleventy's `date: Last Modified` reads can be fixed.
  const source = path.join(scratch, `source-${c.generator}`);
  const out = freshOut();
  let report: ImportReport;
  let site: FixtureBuild;
  let sourceHashBefore: string;

  it('imports and builds with no warnings or errors, leaving the source unchanged', async () => {
    await fs.cp(path.join(fixtures, c.generator), source, { recursive: true });
    const modified = new Date('2023-08-01T12:00:00Z');
    if (c.generator === 'eleventy') await fs.utimes(path.join(source, 'src/posts/tidal.md'), modified, modified);
    sourceHashBefore = await hashTree(source);
    report = await importSite({ generator: c.generator, source, out });
    expect(await hashTree(source)).toBe(sourceHashBefore);
    site = await buildFixture(out);
    expect(site.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual([]);
    expect(report.posts).toHaveLength(c.posts.length + c.drafts.length);
  });

  it('builds every post with its title, date and tags, and keeps its old URL as an alias that redirects to it', async () => {
    const config = JSON.parse(await fs.readFile(path.join(out, 'blogbuild.config.json'), 'utf8')) as { url: string };
    expect(new URL(config.url).pathname).toBe(c.base);
    const sources = new Map<string, Record<string, unknown>>();
    for (const rel of (await listFiles(path.join(out, 'posts'))).filter((file) => file.endsWith('.md'))) {
      const text = await fs.readFile(path.join(out, 'posts', rel), 'utf8');
      const slug = rel.replace(/\/index\.md$|\.md$/, '').replace(/^\d{4}-\d{2}-\d{2}-/, '');
      sources.set(slug, yaml.load(text.split('---\n')[1]!) as Record<string, unknown>);
    }
    for (const post of c.posts) {
      const { document } = parseHTML(site.read(`posts/${post.slug}/index.html`));
      expect(document.querySelector('h1.post-title')?.textContent).toBe(post.title);
      expect(document.querySelector('.post-meta > time')?.getAttribute('datetime')).toBe(post.datetime);
      const tags = [...document.querySelectorAll('.tag-list a')].map((a) => a.textContent);
      expect(tags).toEqual(post.tags);
      expect(sources.get(post.slug)?.aliases).toEqual(post.alias ? [post.alias] : undefined);
      if (post.alias) {
        // The old URL answers with a redirect page to the post.
        const file = post.alias.replace(/^\//, '') + (post.alias.endsWith('/') ? 'index.html' : '');
        const redirect = parseHTML(site.read(file)).document;
        expect(redirect.querySelector('meta[http-equiv="refresh"]')?.getAttribute('content')).toMatch(new RegExp(`^0; url=.*/posts/${post.slug}/$`));
        expect(redirect.querySelector('link[rel="canonical"]')?.getAttribute('href')).toMatch(new RegExp(`/posts/${post.slug}/$`));
      }
    }
    for (const draft of c.drafts) {
      expect(sources.get(draft)?.draft).toBe(true);
      expect(site.has(`posts/${draft}/index.html`)).toBe(false);
    }
  });

  it('renders the converted constructs as markdown', () => {
    c.check(site, (slug) => parseHTML(site.read(`posts/${slug}/index.html`)).document as unknown as Document);
  });

  it('reports each construct it could not convert at file:line', () => {
    const listed = report.unconverted.map((item) => `${item.line ? `${item.file}:${item.line}` : item.file} ${item.detail}`);
    for (const [where, what] of c.unconverted) {
      expect(listed.some((line) => line.startsWith(`${where} `) && line.includes(what)), `${where} ${what} in\n${listed.join('\n')}`).toBe(true);
    }
  });
});

describe('import safety', () => {
  const source = path.join(fixtures, 'jekyll');

  it('refuses a folder that is not empty unless forced, and --dry-run writes nothing', async () => {
    const out = freshOut();
    await fs.mkdir(out);
    // Where blogbuild was just installed counts as empty.
    await fs.writeFile(path.join(out, 'package.json'), '{}\n');
    await importSite({ generator: 'jekyll', source, out });
    await fs.rm(path.join(out, 'posts'), { recursive: true });
    await fs.writeFile(path.join(out, 'notes.txt'), 'mine\n');
    const refused = await importSite({ generator: 'jekyll', source, out }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BlogbuildError);
    expect((refused as BlogbuildError).code).toBe('UsageInvalid');
    expect(await listFiles(out)).toEqual(['blogbuild.config.json', 'notes.txt', 'package.json', 'public/assets/oven.png']);
    await importSite({ generator: 'jekyll', source, out, force: true });
    expect(await listFiles(out)).toContain('posts/2021-03-14-pi-day-loaves.md');
    expect(await fs.readFile(path.join(out, 'notes.txt'), 'utf8')).toBe('mine\n');

    const dry = freshOut();
    const report = await importSite({ generator: 'jekyll', source, out: dry, dryRun: true });
    expect(report.posts).toHaveLength(5);
    await expect(fs.stat(dry)).rejects.toThrow();
  });

  it('stops at a post whose front matter cannot be read, with its file and line', async () => {
    const broken = path.join(scratch, 'broken-hugo');
    await fs.cp(path.join(fixtures, 'hugo'), broken, { recursive: true });
    await fs.writeFile(path.join(broken, 'content/posts/bad.md'), '+++\ntitle = "Bad"\ndate = \n+++\nBody.\n');
    const out = freshOut();
    const failed = await importSite({ generator: 'hugo', source: broken, out }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(BlogbuildError);
    expect((failed as BlogbuildError).code).toBe('FrontMatterSyntax');
    expect((failed as BlogbuildError).loc).toMatchObject({ file: path.join(broken, 'content/posts/bad.md'), line: 3 });
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('never writes into the source folder', async () => {
    const before = await hashTree(source);
    const inside = await importSite({ generator: 'jekyll', source, out: path.join(source, 'blog') }).catch((e: unknown) => e);
    expect((inside as BlogbuildError).code).toBe('UsageInvalid');
    expect(await hashTree(source)).toBe(before);
  });

  it('the CLI prints the report, and exits 2 on an unknown generator', () => {
    const bin = path.join(repo, 'bin', 'blogbuild.js');
    const env = { ...process.env, NO_COLOR: '1', CI: '1' };
    const dry = spawnSync(process.execPath, [bin, 'import', 'hugo', source.replace('jekyll', 'hugo'), '--out', freshOut(), '--dry-run'], { encoding: 'utf8', env, cwd: scratch });
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^Would import 3 posts from the hugo site /);
    expect(dry.stdout).toContain('{{< highlight >}} → fenced code: 1');
    expect(dry.stdout).toContain('content/posts/first-frost.md:32: shortcode: {{< tweet');
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    const bad = spawnSync(process.execPath, [bin, 'import', 'wordpress', source], { encoding: 'utf8', env, cwd: scratch });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('`wordpress` is not a generator blogbuild imports from');
    expect(bad.stderr).toContain('jekyll, hugo, eleventy, astro');
  });
});
