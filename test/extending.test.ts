// Extending a blog from its config: markdown plugins from npm (remark-math + rehype-katex, rehype-external-links
// with options) in this thread and in the worker threads, plugins in the markdown cache's key, Handlebars helpers
// and partials, data files, and themes from a folder or an installed package.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { serve } from '../src/dev/serve.js';
import { poolThreshold } from '../src/markdown/render-markdown.js';
import { memoryWriter } from '../src/output/writer.js';
import { buildFixture, cleanMemoryBuild, copyFixture, FIXED_NOW, outputDifferences } from './helpers/build-fixture.js';
import { servedFiles } from './helpers/served-files.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-extending-'));
afterAll(() => fs.rm(scratch, { recursive: true, force: true }));

const documentOf = (html: string) => parseHTML(html).document;
const errorsOf = (result: { diagnostics: { severity: string; code: string; message: string }[] }) =>
  result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);

/** What the math and link plugins must have made of the pi-day post. */
function expectMathAndLinks(html: string) {
  const document = documentOf(html);
  const inline = document.querySelector('article .katex:not(.katex-display .katex)');
  expect(inline?.querySelector('annotation[encoding="application/x-tex"]')?.textContent).toBe('A = \\pi r^2');
  expect(inline?.querySelector('math')).not.toBeNull();
  const display = document.querySelector('article .katex-display');
  expect(display?.querySelector('annotation')?.textContent?.trim()).toBe('e^{i\\pi} + 1 = 0');
  // No dollar signs are left as text: remark-math took them.
  expect(document.querySelector('article')?.textContent).not.toContain('$');
  const external = document.querySelector('article a[href="https://en.wikipedia.org/wiki/Pi"]');
  expect(external?.getAttribute('target')).toBe('_blank');
  expect(external?.getAttribute('rel')).toBe('noopener nofollow');
  const internal = document.querySelector('article a[href="/posts/sums/"]');
  expect(internal?.hasAttribute('target')).toBe(false);
}

describe('markdown plugins in a JS config', () => {
  it('renders math with remark-math + rehype-katex and marks external links with rehype-external-links options, in this thread', async () => {
    const result = await buildFixture('math-plugins', { workers: 0, cache: false });
    expect(errorsOf(result)).toEqual([]);
    expectMathAndLinks(result.read('posts/pi-day/index.html'));
    // The feed item carries the same rendered body.
    expect(result.read('rss.xml')).toContain('katex');
  });

  it('renders the same HTML in worker threads that load the config module', async () => {
    const single = await buildFixture('math-plugins', { workers: 0, cache: false });
    const pooled = await buildFixture('math-plugins', { workers: 2, cache: false });
    expect(errorsOf(pooled)).toEqual([]);
    expect(pooled.read('posts/pi-day/index.html')).toBe(single.read('posts/pi-day/index.html'));
    expect(pooled.read('posts/sums/index.html')).toBe(single.read('posts/sums/index.html'));
  });

  it(`uses the worker pool by default for ${poolThreshold}+ posts, and the plugins run there`, async () => {
    const root = path.join(scratch, 'many-posts');
    await fs.mkdir(path.join(root, 'posts'), { recursive: true });
    await fs.symlink(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const marker = new URL('./fixtures/markdown-plugins/rehype-mark-paragraphs.js', import.meta.url).href;
    await fs.writeFile(path.join(root, 'blogbuild.config.mjs'), `
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import rehypeMarkParagraphs from ${JSON.stringify(marker)};
export default { title: 'Many', url: 'https://many.example/', markdown: { remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex, [rehypeMarkParagraphs, { mark: 'm' }]] } };
`);
    const count = poolThreshold + 6;
    for (let i = 1; i <= count; i++) {
      await fs.writeFile(path.join(root, 'posts', `2024-01-${String((i % 28) + 1).padStart(2, '0')}-sum-${i}.md`),
        `---\ntitle: Sum ${i}\ndate: 2024-01-${String((i % 28) + 1).padStart(2, '0')}\n---\n\nWe know $${i} + ${i} = ${2 * i}$ here.\n`);
    }
    const writer = memoryWriter();
    // Two or more cores pick the pool by default; on one core, ask for it.
    const result = await build({ root, writer, now: FIXED_NOW, cacheDir: path.join(root, '.cache'), workers: os.availableParallelism() >= 2 ? undefined : 2 });
    expect(errorsOf(result)).toEqual([]);
    expect(result.stats.markdownRendered).toBe(count);
    for (const i of [1, 37, count]) {
      const p = documentOf(writer.read(`posts/sum-${i}/index.html`)!).querySelector('article p[data-mark]');
      expect(p?.getAttribute('data-thread')).toBe('worker');
      expect(p?.querySelector('.katex annotation')?.textContent).toBe(`${i} + ${i} = ${2 * i}`);
    }
  });

  it('reports a plugin that fails as MarkdownFailed at its line in the post, naming the plugin, in both modes', async () => {
    const root = path.join(repo, 'test/fixtures/invalid/markdown-plugin-throws');
    for (const workers of [0, 2]) {
      const result = await build({ root, writer: memoryWriter(), cache: false, workers });
      expect(result.ok).toBe(false);
      const failures = result.diagnostics.filter((d) => d.severity === 'error');
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({
        code: 'MarkdownFailed',
        // The node the plugin failed at, in file lines: a worker sends the place back too.
        loc: { file: path.join(root, 'posts/2024-05-02-chart.md'), line: 8, column: 16 },
        message: 'markdown could not be rendered: the plugin rehypeRequireAlt (markdown.rehypePlugins[0]) failed: an image has no alt text',
      });
      expect(failures[0]!.hint).toContain('markdown.rehypePlugins[0]');
    }
  });
});

describe('markdown plugins and themes named in a JSON config', () => {
  it('imports plugins by package name from the blog, with options, and uses a theme package from its node_modules', async () => {
    const result = await buildFixture('json-config', { cache: false });
    expect(errorsOf(result)).toEqual([]);
    const document = documentOf(result.read('posts/squares/index.html'));
    expect(document.querySelector('article .katex annotation')?.textContent).toBe('1 + 3 + 5 = 3^2');
    expect(document.querySelector('a[href="https://oeis.org/A000290"]')?.getAttribute('target')).toBe('_blank');
    expect(document.querySelector('a[href="https://oeis.org/A000290"]')?.getAttribute('rel')).toBe('noopener');
    // The theme's header replaces the built-in one; the built-in footer stays.
    expect(document.querySelector('header.ink-header .site-title')?.textContent).toBe('Ink and Sums');
    expect(document.querySelector('footer.site-footer')).not.toBeNull();
    expect(result.read('assets/ink.css')).toContain('.ink-header');
    expect(result.read('ink-theme.txt')).toBe('Ink theme\n');
    // The built-in theme's assets are still there.
    expect(result.has('assets/style.css')).toBe(true);
  });
});

/** A package in a blog's node_modules: a rehype plugin stamping paragraphs with its option. */
async function writeStampPackage(root: string, version: string) {
  const dir = path.join(root, 'node_modules', 'rehype-stamp');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'rehype-stamp', version, type: 'module', exports: { '.': { import: './index.js' } } }));
  await fs.writeFile(path.join(dir, 'index.js'), `export default function rehypeStamp(options) {
  const visit = (node) => { if (node.tagName === 'p') node.properties = { ...node.properties, dataStamp: options.stamp }; (node.children ?? []).forEach(visit); };
  return (tree) => visit(tree);
}\n`);
}

describe('plugins in the markdown cache key', () => {
  for (const kind of ['js', 'json'] as const) {
    it(`re-renders every post when a plugin's options change or its package is upgraded (${kind} config)`, async () => {
      const root = path.join(scratch, `stamp-${kind}`);
      await fs.mkdir(path.join(root, 'posts'), { recursive: true });
      for (const n of [1, 2, 3]) await fs.writeFile(path.join(root, 'posts', `2024-02-0${n}-note-${n}.md`), `---\ntitle: Note ${n}\ndate: 2024-02-0${n}\n---\n\nNote ${n}.\n`);
      await writeStampPackage(root, '1.0.0');
      const writeConfig = (stamp: string) => kind === 'js'
        ? fs.writeFile(path.join(root, 'blogbuild.config.mjs'), `import rehypeStamp from 'rehype-stamp';\nexport default { url: 'https://stamp.example/', markdown: { rehypePlugins: [[rehypeStamp, { stamp: ${JSON.stringify(stamp)} }]] } };\n`)
        : fs.writeFile(path.join(root, 'blogbuild.config.json'), JSON.stringify({ url: 'https://stamp.example/', markdown: { rehypePlugins: [['rehype-stamp', { stamp }]] } }));
      const run = async () => {
        const writer = memoryWriter();
        const result = await build({ root, writer, now: FIXED_NOW, cacheDir: path.join(root, '.cache'), workers: 0 });
        expect(errorsOf(result)).toEqual([]);
        const stamp = documentOf(writer.read('posts/note-2/index.html')!).querySelector('.post-content p')?.getAttribute('data-stamp');
        return { rendered: result.stats.markdownRendered, cached: result.stats.markdownCached, stamp };
      };
      await writeConfig('a');
      expect(await run()).toEqual({ rendered: 3, cached: 0, stamp: 'a' });
      expect(await run()).toEqual({ rendered: 0, cached: 3, stamp: 'a' });
      await writeConfig('b');
      expect(await run()).toEqual({ rendered: 3, cached: 0, stamp: 'b' });
      // The same code under a new version number: an upgrade must not be served from the old plugin's cache.
      await writeStampPackage(root, '1.1.0');
      expect(await run()).toEqual({ rendered: 3, cached: 0, stamp: 'b' });
      expect(await run()).toEqual({ rendered: 0, cached: 3, stamp: 'b' });
    });
  }
});

describe('helpers, partials, data files and a theme folder', () => {
  it('renders the theme folder under the blog\'s own templates, with config helpers and partials and data.<name>', async () => {
    const result = await buildFixture('extending', { cache: false });
    expect(errorsOf(result)).toEqual([]);
    const document = documentOf(result.read('posts/first-walk/index.html'));
    // The theme's header (the blog has none), the blog's footer over the theme's.
    expect(document.querySelector('header.paper-header .site-title')?.textContent).toBe('Field Notes');
    expect(document.querySelector('.paper-footer')).toBeNull();
    const footer = document.querySelector('footer.blog-footer');
    // data/nav.yaml, in order, through the url helper.
    expect([...footer!.querySelectorAll('.footer-nav a')].map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Archive', '/tags/'],
      ['Now', 'https://now.example/'],
    ]);
    // A config helper with an argument, a config partial reading data/site.json and calling a helper that reads `this`.
    expect(footer!.querySelector('.motto')?.textContent).toBe('FIELD NOTES!');
    expect(footer!.querySelector('.colophon')?.textContent).toBe('Set in Iowan Old Style by M');
    expect(footer!.textContent).toContain('Writing since 2019');
    // Every page kind gets the data: the home page and the 404 page too.
    expect(documentOf(result.read('index.html')).querySelectorAll('.footer-nav a')).toHaveLength(2);
    expect(documentOf(result.read('404.html')).querySelectorAll('.footer-nav a')).toHaveLength(2);
    // The theme's assets and public files are copied; the blog's public/ wins file by file.
    expect(result.read('assets/paper.css')).toContain('Iowan Old Style');
    expect(result.read('humans.txt')).toContain('from the paper theme');
    expect(result.read('badge.txt')).toBe('the blog badge wins\n');
  });

  it('reports a config partial that does not compile at the config file, by name', async () => {
    const root = path.join(scratch, 'broken-partial');
    await fs.mkdir(path.join(root, 'posts'), { recursive: true });
    await fs.writeFile(path.join(root, 'posts', '2024-01-01-hello.md'), '---\ntitle: Hello\ndate: 2024-01-01\n---\n\nHello.\n');
    await fs.writeFile(path.join(root, 'blogbuild.config.mjs'), "export default { partials: { byline: '<p>{{#if post.author}}{{post.author}}</p>' } };\n");
    const result = await build({ root, writer: memoryWriter(), cache: false });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toMatchObject([
      { code: 'TemplateSyntax', loc: { file: path.join(root, 'blogbuild.config.mjs') }, message: expect.stringMatching(/^partial `byline` of the config: template syntax error/) },
    ]);
  });

  it('re-renders pages when a data file changes, also from the page cache of a previous output', async () => {
    const root = await copyFixture('extending', path.join(scratch, 'data-edit'));
    const out = path.join(root, 'dist');
    const cacheDir = path.join(root, '.cache');
    const first = await build({ root, now: FIXED_NOW, cacheDir, out });
    expect(errorsOf(first)).toEqual([]);
    await fs.writeFile(path.join(root, 'data', 'site.json'), '{ "font": "Charter", "since": 2021 }\n');
    const second = await build({ root, now: FIXED_NOW, cacheDir, out });
    expect(errorsOf(second)).toEqual([]);
    const html = await fs.readFile(path.join(out, 'posts/first-walk/index.html'), 'utf8');
    expect(documentOf(html).querySelector('.colophon')?.textContent).toBe('Set in Charter by M');
    expect(html).toContain('Writing since 2021');
  });
});

describe('serve and data files', () => {
  it('rebuilds when a data file or a theme file is edited, and serves what a clean build makes', async () => {
    const root = await copyFixture('extending', path.join(scratch, 'serve-data'));
    const handle = await serve({ root, port: 0, host: '127.0.0.1', debounce: 30 });
    try {
      // serve answers before its first build ends; the files of a build are read here.
      await handle.idle();
      const page = async () => Buffer.from((await servedFiles(handle.session.state.files)).get('posts/first-walk/index.html') ?? new Uint8Array()).toString('utf8');
      const waitFor = async (check: () => Promise<boolean>, what: string) => {
        const deadline = Date.now() + 20_000;
        while (!(await check())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      expect(await page()).toContain('Writing since 2019');
      await fs.writeFile(path.join(root, 'data', 'site.json'), '{ "font": "Charter", "since": 2022 }\n');
      await waitFor(async () => (await page()).includes('Writing since 2022'), 'the edited data/site.json');
      await fs.writeFile(path.join(root, 'data', 'nav.yaml'), '- label: Only\n  href: tags/\n');
      await waitFor(async () => (await page()).includes('>Only</a>'), 'the edited data/nav.yaml');
      // The theme folder is watched too.
      const header = path.join(root, 'themes/paper/templates/partials/header.hbs');
      await fs.writeFile(header, (await fs.readFile(header, 'utf8')).replace('paper-header', 'paper-header edited-theme'));
      await waitFor(async () => (await page()).includes('edited-theme'), 'the edited theme partial');
      await handle.idle();
      expect(outputDifferences(await servedFiles(handle.session.state.files), await cleanMemoryBuild(root))).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
