/**
 * markdown.tagfilter on a real blog (test/fixtures/sites/tagfilter): a post mentioning `<title>` in prose, an
 * `<iframe>` embed and a page of raw HTML brought from Hugo. Pages and the feed are parsed, the warnings checked
 * at their file positions, and the option followed through the persistent cache, the worker threads, the dev
 * server's build state and the CLI.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuildState } from '../src/build-state.js';
import type { Diagnostic } from '../src/diagnostics/error.js';
import { buildFixture, fixturePath, type FixtureBuild } from './helpers/build-fixture.js';

const titlePost = 'posts/the-title-element/index.html';
const talkPost = 'posts/a-talk/index.html';
const hugoPost = 'posts/from-hugo/index.html';
const paragraphs = [
  'The <title> element names a page; browsers show it in the tab.',
  'A second paragraph, which a stray title tag used to hide.',
  'A third paragraph, with a <textarea> in backticks that stays code.',
];

/** The post's content element of a page. */
function content(html: string): Element {
  const element = parseHTML(html).document.querySelector('.post-content');
  if (!element) throw new Error('page has no .post-content');
  return element as unknown as Element;
}

const paragraphTexts = (element: Element) => [...element.querySelectorAll('p')].map((p) => p.textContent ?? '');

/** Warnings of the tag filter as `file:line:column tag`, file relative to the site. */
function filtered(diagnostics: Diagnostic[], root: string): string[] {
  return diagnostics
    .filter((d) => d.code === 'RawHtmlFiltered')
    .map((d) => `${path.relative(root, d.loc!.file)}:${d.loc!.line}:${d.loc!.column} ${/`([^`]+)`/.exec(d.message)![1]}`);
}

const expectedWarnings = [
  'posts/2024-03-01-the-title-element.md:6:5 <title>',
  'posts/2024-03-03-from-hugo.md:10:1 <title>',
  'posts/2024-03-03-from-hugo.md:10:13 </title>',
];

let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-tagfilter-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

/** A copy of the fixture with `markdown` set in its config (undefined: the fixture's config as it is). */
async function siteWith(name: string, markdown?: Record<string, unknown>): Promise<string> {
  const root = path.join(scratch, name);
  await fs.cp(fixturePath('tagfilter'), root, { recursive: true });
  if (markdown) await setMarkdown(root, markdown);
  return root;
}

async function setMarkdown(root: string, markdown: Record<string, unknown>): Promise<void> {
  const file = path.join(root, 'blogbuild.config.json');
  const config = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
  await fs.writeFile(file, JSON.stringify({ ...config, markdown }, null, 2));
}

describe('markdown.tagfilter: "safe" (the default)', () => {
  let out: FixtureBuild;
  beforeAll(async () => {
    out = await buildFixture('tagfilter', { cache: false, workers: 0 });
  });

  it('renders a stray <title> as text and every paragraph after it', () => {
    expect(out.ok).toBe(true);
    const post = content(out.read(titlePost));
    expect(post.querySelector('title')).toBeNull();
    expect(paragraphTexts(post)).toEqual(paragraphs);
    expect(post.querySelector('code')?.textContent).toBe('<textarea>');
  });

  it('describes the post with the escaped tag as the text it now is', () => {
    const description = parseHTML(out.read(titlePost)).document.querySelector('meta[name="description"]');
    expect(description?.getAttribute('content')).toBe(paragraphs[0]);
  });

  it('keeps an <iframe> embed as an element', () => {
    const iframe = content(out.read(talkPost)).querySelector('iframe');
    expect(iframe?.getAttribute('src')).toBe('https://www.youtube-nocookie.com/embed/abc123');
    expect(iframe?.getAttribute('title')).toBe('The talk, on YouTube');
    expect(paragraphTexts(content(out.read(talkPost)))).toEqual(['Watch the talk:', 'After the video, the slides.']);
  });

  it('shows the raw HTML of a post from Hugo, whose <title> would have hidden the rest', () => {
    const post = content(out.read(hugoPost));
    expect(post.querySelector('title')).toBeNull();
    expect(post.textContent).toContain('<title>Hello</title>');
    expect(paragraphTexts(post).at(-1)).toBe('That is all a page needs.');
  });

  it('warns once per escaped tag, at its line and column in the file, with a hint', () => {
    expect(filtered(out.diagnostics, fixturePath('tagfilter'))).toEqual(expectedWarnings);
    const first = out.diagnostics.find((d) => d.code === 'RawHtmlFiltered')!;
    expect(first.severity).toBe('warning');
    expect(first.loc?.length).toBe('<title'.length);
    expect(first.hint).toContain('backticks: `<title>`');
    expect(first.hint).toContain('`markdown.tagfilter` to false');
  });

  it('gives the feed the same HTML: the paragraphs after <title> and the embed', () => {
    const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'item' });
    const items = (parser.parse(out.read('rss.xml')) as { rss: { channel: { item: { link: string; 'content:encoded': string }[] } } }).rss.channel.item;
    const html = (slug: string) => parseHTML(`<div>${items.find((item) => item.link.endsWith(`/posts/${slug}/`))!['content:encoded']}</div>`).document;
    const title = html('the-title-element');
    expect(title.querySelector('title')).toBeNull();
    expect([...title.querySelectorAll('p')].map((p) => p.textContent)).toEqual(paragraphs);
    expect(html('a-talk').querySelector('iframe')?.getAttribute('src')).toBe('https://www.youtube-nocookie.com/embed/abc123');
  });
});

describe('markdown.tagfilter: "gfm" and false', () => {
  it('"gfm" also escapes <iframe>, with a hint to use "safe"', async () => {
    const root = await siteWith('gfm', { tagfilter: 'gfm' });
    const out = await buildFixture(root, { cache: false });
    expect(content(out.read(talkPost)).querySelector('iframe')).toBeNull();
    expect(content(out.read(talkPost)).textContent).toContain('<iframe src="https://www.youtube-nocookie.com/embed/abc123"');
    expect(filtered(out.diagnostics, root)).toEqual([
      ...expectedWarnings.slice(0, 1),
      'posts/2024-03-02-a-talk.md:8:1 <iframe>',
      'posts/2024-03-02-a-talk.md:8:131 </iframe>',
      ...expectedWarnings.slice(1),
    ]);
    expect(out.diagnostics.find((d) => d.message.includes('`<iframe>`'))?.hint).toContain('`markdown.tagfilter` to "safe"');
  });

  it('false keeps the raw HTML as it is (the <title> takes the paragraph) and warns about nothing', async () => {
    const root = await siteWith('off', { tagfilter: false });
    const out = await buildFixture(root, { cache: false });
    expect(out.ok).toBe(true);
    expect(content(out.read(titlePost)).querySelector('title')).not.toBeNull();
    expect(filtered(out.diagnostics, root)).toEqual([]);
  });

  it('rejects other values with a diagnostic on the config', async () => {
    const root = await siteWith('bad-value', { tagfilter: true });
    const out = await buildFixture(root, { cache: false });
    expect(out.ok).toBe(false);
    const problem = out.diagnostics.find((d) => d.code === 'ConfigInvalid');
    expect(problem?.message).toBe('`markdown.tagfilter` is invalid: must be "safe", "gfm" or false, got true');
    expect(problem?.loc?.line).toBe(6);
    expect(problem?.hint).toContain('"gfm" (GitHub\'s whole list');
  });
});

describe('markdown.tagfilter through the cache, the workers and rebuilds', () => {
  it('re-renders when the option changes, and warns again for posts taken from the cache', async () => {
    const root = await siteWith('cached');
    const cacheDir = path.join(root, 'node_modules', '.cache', 'blogbuild');
    const first = await buildFixture(root, { cacheDir, workers: 0 });
    expect(first.stats.markdownRendered).toBe(3);
    const again = await buildFixture(root, { cacheDir, workers: 0 });
    expect(again.stats).toMatchObject({ markdownRendered: 0, markdownCached: 3 });
    expect(filtered(again.diagnostics, root)).toEqual(expectedWarnings);
    expect(again.read(titlePost)).toBe(first.read(titlePost));

    await setMarkdown(root, { tagfilter: false });
    const off = await buildFixture(root, { cacheDir, workers: 0 });
    expect(off.stats.markdownRendered).toBe(3);
    expect(content(off.read(titlePost)).querySelector('title')).not.toBeNull();
    expect(filtered(off.diagnostics, root)).toEqual([]);

    await setMarkdown(root, { tagfilter: 'gfm' });
    const gfm = await buildFixture(root, { cacheDir, workers: 0 });
    expect(gfm.stats.markdownRendered).toBe(3);
    expect(content(gfm.read(talkPost)).querySelector('iframe')).toBeNull();
    const gfmAgain = await buildFixture(root, { cacheDir, workers: 0 });
    expect(gfmAgain.stats.markdownCached).toBe(3);
    expect(filtered(gfmAgain.diagnostics, root)).toEqual(filtered(gfm.diagnostics, root));
    expect(filtered(gfmAgain.diagnostics, root)).toContain('posts/2024-03-02-a-talk.md:8:1 <iframe>');
  });

  it('gives the same pages and warnings from worker threads as from this thread, for each setting', async () => {
    for (const tagfilter of ['safe', 'gfm', false] as const) {
      const root = await siteWith(`workers-${tagfilter}`, { tagfilter });
      const inThread = await buildFixture(root, { cache: false, workers: 0 });
      const pooled = await buildFixture(root, { cache: false, workers: 2 });
      expect(pooled.stats.markdownRendered).toBe(3);
      expect(filtered(pooled.diagnostics, root)).toEqual(filtered(inThread.diagnostics, root));
      for (const page of [titlePost, talkPost, hugoPost, 'rss.xml']) expect(pooled.read(page), `${tagfilter} ${page}`).toBe(inThread.read(page));
    }
  });

  it('warns on every rebuild of the dev server, where posts come from the build state', async () => {
    const root = await siteWith('state');
    const state = createBuildState();
    const first = await buildFixture(root, { cache: false, state });
    const second = await buildFixture(root, { cache: false, state });
    expect(filtered(first.diagnostics, root)).toEqual(expectedWarnings);
    expect(filtered(second.diagnostics, root)).toEqual(expectedWarnings);
  });
});

describe('blogbuild build', () => {
  it('prints each warning like a compiler, with the code frame and the hint, and succeeds', async () => {
    const root = await siteWith('cli');
    const bin = fileURLToPath(new URL('../bin/blogbuild.js', import.meta.url));
    const run = spawnSync(process.execPath, [bin, 'build', '--no-cache'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' } });
    expect(run.status, run.stderr).toBe(0);
    const output = run.stdout + run.stderr;
    expect(output).toContain([
      'posts/2024-03-01-the-title-element.md:6:5: warning: raw HTML `<title>` is shown as text: a browser would read the rest of the page as the `<title>` element\'s text, up to a closing tag that may never come [RawHtmlFiltered]',
      '   |',
      ' 6 | The <title> element names a page; browsers show it in the tab.',
      '   |     ^^^^^^',
      '  hint: to show the tag, write it as code in backticks: `<title>`; to keep it as HTML, set `markdown.tagfilter` to false',
    ].join('\n'));
    expect(output.match(/\[RawHtmlFiltered\]/g)).toHaveLength(3);
  });
});
