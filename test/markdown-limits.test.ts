/**
 * Issue 14: a post too deep, too large or too slow fails alone with a located MarkdownTooComplex, in a worker pool
 * and in a build too small for one, and the dev server answers with the last good build while a slow post renders.
 * The slow post is `![` × 3,000 … `](y)` × 3,000 (micromark takes tens of seconds), with small limits set here.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../src/build.js';
import { loadConfig } from '../src/config/load.js';
import { serve, type ServeHandle } from '../src/dev/serve.js';
import { renderInPool, startPool } from '../src/markdown/pool.js';
import { markdownError, renderMarkdown } from '../src/markdown/render-markdown.js';
import { createMarkdownProcessor } from '../src/markdown/processor.js';
import { buildFixture } from './helpers/build-fixture.js';
import type { Post } from '../src/site/model.js';
import { rememberedTooComplex } from '../src/incremental/stored.js';
import { memoryStore } from '../src/incremental/store.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const slowBody = `Nested images:\n\n${'!['.repeat(3000)}x${'](y)'.repeat(3000)}\n`;
const markdown = { rawHtml: true, tagfilter: 'safe' as const, basePath: '/', remarkPlugins: [], rehypePlugins: [] };

function post(name: string, body: string): Post {
  return { sourcePath: `/blog/posts/${name}.md`, relPath: `${name}.md`, slug: name, title: name, dropsTitleHeading: false, author: '', tags: [], isDraft: false,
    data: {}, body, bodyStartLine: 5, assets: [], date: undefined as unknown as Post['date'] };
}

describe('markdown.limits in the config', () => {
  it('fills the limits not given with the defaults, and refuses a misspelt one with a suggestion', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-limits-config-'));
    await fs.mkdir(path.join(dir, 'posts'));
    await fs.writeFile(path.join(dir, 'blogbuild.config.json'), '{ "markdown": { "limits": { "timeBudgetMs": 500 } } }');
    expect((await loadConfig(dir)).config?.markdown.limits).toEqual({ maxDepth: 100, maxBytes: 2_000_000, timeBudgetMs: 500 });
    await fs.writeFile(path.join(dir, 'blogbuild.config.json'), '{ "markdown": { "limits": { "maxDepht": 5 } } }');
    const { diagnostics } = await loadConfig(dir);
    expect(diagnostics).toMatchObject([{ code: 'ConfigUnknownKey', hint: 'did you mean `markdown.limits.maxDepth`?', loc: { line: 1, column: 29 } }]);
    await fs.rm(dir, { recursive: true, force: true });
  });
});

describe('renderMarkdown within the limits', () => {
  it('in a worker pool: stops the slow post at the time budget, replaces its worker, and renders every other post', async () => {
    const posts = Array.from({ length: 12 }, (_, i) => post(`post-${i}`, `Post number ${i}, with [a link](/x/).\n`));
    posts.splice(3, 0, post('slow', slowBody));
    // A limit found in the worker comes back located, as in this thread.
    posts.splice(8, 0, post('large', `Intro\n\n${'word '.repeat(120_000)}`));
    // One worker: the posts sent to it with the slow one are rendered by its replacement.
    const out = await renderMarkdown(posts, { markdown, readingSpeed: 230, workers: 1, limits: { maxDepth: 100_000, maxBytes: 500_000, timeBudgetMs: 800 } });
    expect(out.stats.workers).toBe(1);
    expect(out.posts.map((p) => p.slug)).toEqual(posts.map((p) => p.slug).filter((slug) => slug !== 'slow' && slug !== 'large'));
    for (const [i, rendered] of out.posts.entries()) expect(parseHTML(rendered.html).document.querySelector('p')?.textContent).toBe(`Post number ${i}, with a link.`);
    expect(out.diagnostics).toHaveLength(2);
    expect(out.diagnostics[0]).toMatchObject({ severity: 'error', code: 'MarkdownTooComplex', loc: { file: '/blog/posts/slow.md', line: 5, column: 1 } });
    expect(out.diagnostics[0].message).toBe('rendering took longer than the time budget of 800 ms (`markdown.limits.timeBudgetMs`) and was stopped');
    expect(out.diagnostics[1]).toMatchObject({ severity: 'error', code: 'MarkdownTooComplex', loc: { file: '/blog/posts/large.md', line: 5, column: 1 } });
    expect(out.diagnostics[1].message).toBe('the post\'s body is 600,007 bytes, beyond the limit of 500,000 (`markdown.limits.maxBytes`)');
  });

  it('without a pool: renders plain posts here, while a deep and a large post each fail alone, located', async () => {
    const posts = [
      post('plain', '# Hello\n\n> quoted\n\n- a\n  - b\n'),
      post('deep', `Intro\n\n${Array.from({ length: 30 }, (_, i) => `${'  '.repeat(i)}- item`).join('\n')}\n`),
      post('large', 'word '.repeat(4000)),
      post('last', 'The last post.\n'),
    ];
    const out = await renderMarkdown(posts, { markdown, readingSpeed: 230, workers: 0, limits: { maxDepth: 20, maxBytes: 19_000, timeBudgetMs: 2000 } });
    expect(out.stats.workers).toBe(0);
    expect(out.posts.map((p) => p.slug)).toEqual(['plain', 'last']);
    expect(out.posts[0].html).toContain('<blockquote>');
    const byFile = Object.fromEntries(out.diagnostics.map((d) => [path.basename(d.loc!.file, '.md'), d]));
    expect(Object.keys(byFile).sort()).toEqual(['deep', 'large']);
    expect(byFile.deep).toMatchObject({ code: 'MarkdownTooComplex', loc: { line: 5 + 2 + 20, column: 41 } });
    expect(byFile.deep.message).toBe('blockquotes and lists are nested 30 deep, beyond the limit of 20 (`markdown.limits.maxDepth`)');
    expect(byFile.large).toMatchObject({ code: 'MarkdownTooComplex', loc: { line: 5, column: 1 } });
    expect(byFile.large.message).toBe('the post\'s body is 20,000 bytes, beyond the limit of 19,000 (`markdown.limits.maxBytes`)');
  });

  it('without a pool: renders a post the scan finds deep in a worker, under the time budget', async () => {
    const posts = [post('plain', 'Plain.\n'), post('slow', slowBody), post('last', 'The last post.\n')];
    const out = await renderMarkdown(posts, { markdown, readingSpeed: 230, workers: 0, limits: { maxDepth: 100_000, maxBytes: 1_000_000, timeBudgetMs: 2000 } });
    expect(out.posts.map((p) => p.slug)).toEqual(['plain', 'last']);
    expect(out.diagnostics).toMatchObject([{ code: 'MarkdownTooComplex', loc: { file: '/blog/posts/slow.md', line: 5, column: 1 } }]);
    expect(out.diagnostics[0].message).toContain('the time budget of 2,000 ms');
  });

  it('reports raw HTML nested beyond the parser\'s stack as MarkdownTooComplex, not a crash', async () => {
    // The scan does not count raw HTML as nesting, but sends it to a worker, where the HTML parser's stack overflows.
    const posts = [post('divs', `${'<div>'.repeat(30_000)}x${'</div>'.repeat(30_000)}\n`), post('last', 'The last post.\n')];
    const out = await renderMarkdown(posts, { markdown, readingSpeed: 230, workers: 0 });
    expect(out.posts.map((p) => p.slug)).toEqual(['last']);
    expect(out.diagnostics).toMatchObject([{ code: 'MarkdownTooComplex', loc: { file: '/blog/posts/divs.md', line: 5, column: 1 } }]);
    expect(out.diagnostics[0].message).toBe('the post is nested too deeply to render: the parser ran out of stack');
  });
});

describe('every post within the time budget (issue 14)', () => {
  const invalid = (name: string) => path.join(repo, 'test/fixtures/invalid', name);

  it('sends a shallow post of links too large for a small budget to a worker, which stops it; the rest builds', async () => {
    // 32 KB of links: shallow and below 50 KB, so it used to render in the build's own thread, for seconds.
    const result = await buildFixture(invalid('markdown-links-slow'), { cache: false });
    expect(result.diagnostics).toMatchObject([{ severity: 'error', code: 'MarkdownTooComplex', loc: { file: expect.stringMatching(/posts[/\\]links\.md$/), line: 5, column: 1 } }]);
    expect(result.diagnostics[0].message).toBe('rendering took longer than the time budget of 1,000 ms (`markdown.limits.timeBudgetMs`) and was stopped');
    expect(result.stats.markdownRendered).toBe(2);
  });

  it('fails a post rendered in the build\'s own thread that overran the budget (a slow plugin), after it; the rest builds', async () => {
    const result = await buildFixture(invalid('markdown-plugin-slow'), { cache: false });
    expect(result.diagnostics).toMatchObject([{ severity: 'error', code: 'MarkdownTooComplex', loc: { file: expect.stringMatching(/2024-05-02-spin\.md$/), line: 5, column: 1 } }]);
    expect(result.diagnostics[0].message).toMatch(/^rendering took [\d,]+ ms, longer than the time budget of 1,000 ms \(`markdown\.limits\.timeBudgetMs`\)$/);
  });

  it('when no worker can start: renders plain posts here and refuses, located, those that could overrun the budget', async () => {
    const bodies = ['Small one.\n', '[a](b)\n'.repeat(3000), `Intro\n\n${'> '.repeat(30)}deep\n`, 'Small two.\n'];
    const jobs = bodies.map((body, i) => ({ path: `/blog/posts/p${i}.md`, body, stripTitleHeading: false }));
    const outcomes: (string | unknown)[] = [];
    // A heap of 1 MB: each worker runs out of memory while it loads the parser, before any post.
    await renderInPool(jobs, { size: 1, markdown, limits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 },
      markdownLimits: { maxDepth: 100, maxBytes: 1_000_000, timeBudgetMs: 2000 }, loadProcessor: () => createMarkdownProcessor(markdown),
      onResult: (i, result, cause) => (outcomes[i] = result ? result.html : cause) });
    expect(outcomes[0]).toBe('<p>Small one.</p>');
    expect(outcomes[3]).toBe('<p>Small two.</p>');
    const [large, deep] = [1, 2].map((i) => markdownError(post(`p${i}`, bodies[i]), outcomes[i]));
    expect(large).toMatchObject({ code: 'MarkdownTooComplex', loc: { line: 5, column: 1 } });
    expect(large.message).toBe('the post was not rendered: no worker thread could start to stop it at the time budget of 2,000 ms (`markdown.limits.timeBudgetMs`), and at up to ~2,100 ms it may overrun it');
    expect(deep).toMatchObject({ code: 'MarkdownTooComplex', loc: { line: 5 + 2, column: 59 } });
    expect(deep.message).toContain('and with blockquotes and lists nested 30 deep it may overrun it');
    // Why the worker failed stays the cause, for --debug.
    expect(((outcomes[1] as Error).cause as NodeJS.ErrnoException).code).toBe('ERR_WORKER_OUT_OF_MEMORY');
  });

  it('does not remember a post refused for want of a worker as too complex: the next build tries it again', async () => {
    const limits = { maxDepth: 100, maxBytes: 1_000_000, timeBudgetMs: 2000 };
    const pool = startPool({ size: 1, markdown, limits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 }, markdownLimits: limits });
    const tooComplexMemo = rememberedTooComplex(memoryStore());
    const posts = [post('small', 'Small.\n'), post('large', '[a](b)\n'.repeat(3000))];
    try {
      const out = await renderMarkdown(posts, { markdown, readingSpeed: 230, limits, pool, tooComplexMemo });
      expect(out.posts.map((p) => p.slug)).toEqual(['small']);
      expect(out.diagnostics).toMatchObject([{ code: 'MarkdownTooComplex', loc: { file: '/blog/posts/large.md', line: 5, column: 1 } }]);
      expect(out.diagnostics[0].message).toMatch(/^the post was not rendered: no worker thread could start/);
      expect(tooComplexMemo.recall(posts[1].body)).toBeUndefined();
    } finally {
      await pool.close();
    }
  });
});

describe('a worker pool', () => {
  it('fails the post that runs its worker out of memory, and renders the others in a new worker', async () => {
    const table = `| a | b |\n|---|---|\n${'| x *y* | [z](w) |\n'.repeat(60_000)}`;
    const jobs = ['Small one.', table, 'Small two.'].map((body, i) => ({ path: `/blog/posts/p${i}.md`, body, stripTitleHeading: false }));
    const results: [number, string][] = [];
    // A small heap, so a 1 MB table exhausts it; this thread must not render anything. The time budget is out of
    // the way: on a loaded machine the table may take longer than the default 10 s to run out of memory.
    await renderInPool(jobs, { size: 1, markdown, limits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
      markdownLimits: { maxDepth: 100, maxBytes: 2_000_000, timeBudgetMs: 600_000 },
      loadProcessor: () => Promise.reject(new Error('rendered in the main thread')),
      onResult: (i, result, cause) => results.push([i, result ? result.html : `${(cause as Error).name}: ${(cause as Error).message}`]) });
    expect(results.sort()).toEqual([[0, '<p>Small one.</p>'], [1, 'MarkdownTooComplexError: memory 48 beyond 48'], [2, '<p>Small two.</p>']]);
  }, 180_000);
});

describe('the dev server during a long rebuild', () => {
  let tmp: string | undefined;
  let handle: ServeHandle | undefined;
  afterEach(async () => {
    await handle?.close();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
    handle = tmp = undefined;
  });

  it('answers every request with the last good build while a slow post renders, then shows its error', async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-long-rebuild-'));
    await fs.cp(path.join(repo, 'test/fixtures/sites/serve-basic'), tmp, { recursive: true });
    const configFile = path.join(tmp, 'blogbuild.config.json');
    const config = JSON.parse(await fs.readFile(configFile, 'utf8'));
    await fs.writeFile(configFile, JSON.stringify({ ...config, markdown: { limits: { maxDepth: 100_000, timeBudgetMs: 4000 } } }));
    let isBuilding = false;
    const watcher = Object.assign(new EventEmitter(), { add() {}, unwatch() {}, close: async () => {} });
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 10, watcher, build: async (options: BuildOptions) => {
      isBuilding = true;
      try {
        return await build(options);
      } finally {
        isBuilding = false;
      }
    } });
    const h = handle;
    const lastGood = h.session.state.files;
    const page = async () => {
      const res = await fetch(`${h.url}posts/first-loaf/`);
      return { status: res.status, body: (await res.text()).replace(/<script src="\/__blogbuild\/client\.js"[^>]*><\/script>\n/, '') };
    };
    const before = await page();
    expect(before.status).toBe(200);
    expect(before.body).toContain('came out flat');

    // An edit to a post and a new post that renders for tens of seconds, in one rebuild.
    const first = path.join(tmp, 'posts/2024-01-10-first-loaf.md');
    await fs.writeFile(first, (await fs.readFile(first, 'utf8')).replace('came out flat', 'came out fine'));
    await fs.writeFile(path.join(tmp, 'posts/2024-05-01-slow.md'), `---\ntitle: Slow\ndate: 2024-05-01\n---\n${slowBody}`);
    watcher.emit('all', 'add', path.join(tmp, 'posts/2024-05-01-slow.md'));
    while (!isBuilding) await new Promise((resolve) => setTimeout(resolve, 10));

    // Requests made while the rebuild runs are answered, from the last good build.
    let answered = 0;
    while (isBuilding) {
      const during = await page();
      if (!isBuilding) break;
      expect(during).toEqual(before);
      answered++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answered).toBeGreaterThan(0);
    await h.idle();
    expect(h.session.state.files).toBe(lastGood);
    expect(h.session.state.errorText).toMatch(/^posts\/2024-05-01-slow\.md:5:1: error: rendering took longer than the time budget of 4,000 ms/);
    expect(await page()).toEqual(before);

    // The next rebuild does not spend the time budget on the unchanged slow post again: it fails at once.
    await fs.writeFile(first, (await fs.readFile(first, 'utf8')).replace('came out fine', 'came out great'));
    const again = await h.session.rebuild();
    expect(again.result.stats.markdownRendered).toBe(1);
    expect(again.state.errorText).toMatch(/^posts\/2024-05-01-slow\.md:5:1: error: rendering took longer than the time budget of 4,000 ms/);
  }, 60_000);
});
