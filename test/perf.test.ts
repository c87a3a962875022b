// The performance work must not change what is built: these tests pin the shortcuts (write manifest, pages not
// re-rendered, feed HTML from the cache, pages reused in one process, the merged rehype walk and the autolink
// guard) against the slow paths they replace.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { rehypePostTree } from '../src/markdown/rehype-helpers.js';
import { remarkAutolinkLiteralGuard } from '../src/markdown/remark-autolink-guard.js';
import { memoryWriter } from '../src/output/writer.js';

const fixture = fileURLToPath(new URL('./fixtures/cache-site/', import.meta.url));
const builtInTemplates = fileURLToPath(new URL('../templates/', import.meta.url));
const NOW = new Date('2026-01-01T00:00:00Z');

let root: string;
let dist: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-perf-'));
  await fs.cp(fixture, root, { recursive: true });
  dist = path.join(root, 'dist');
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function buildToDisk(options: { cache?: boolean } = {}) {
  const result = await build({ root, now: NOW, ...options });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok).toBe(true);
  return result;
}

/** Output path → contents, inode and mtime of every file under dist/ but the file writer's marker (.blogbuild). */
async function snapshot(): Promise<Map<string, { text: string; stamp: string }>> {
  const files = new Map<string, { text: string; stamp: string }>();
  const walk = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (dir === dist && entry.name === '.blogbuild') continue;
      if (entry.isDirectory()) await walk(full);
      else {
        const stat = await fs.stat(full, { bigint: true });
        files.set(path.relative(dist, full).split(path.sep).join('/'), { text: await fs.readFile(full, 'utf8'), stamp: `${stat.ino}:${stat.mtimeNs}` });
      }
    }
  };
  await walk(dist);
  return files;
}

async function memoryBuild(options: { cache?: boolean } = {}) {
  const writer = memoryWriter();
  const result = await build({ root, now: NOW, writer, ...options });
  expect(result.ok).toBe(true);
  return new Map([...writer.files].map(([file, bytes]) => [file, Buffer.from(bytes).toString('utf8')]));
}

function changedFiles(before: Map<string, { stamp: string }>, after: Map<string, { stamp: string }>): string[] {
  return [...after].filter(([file, { stamp }]) => before.get(file)?.stamp !== stamp).map(([file]) => file).sort();
}

describe('writing only what changed, with the manifest', () => {
  it('keeps every file on a no-change rebuild, and the output equals a clean in-memory build', async () => {
    await buildToDisk();
    const first = await snapshot();
    await buildToDisk();
    const second = await snapshot();
    expect(changedFiles(first, second)).toEqual([]);
    const clean = await memoryBuild({ cache: false });
    expect(new Map([...second].map(([file, { text }]) => [file, text]))).toEqual(clean);
  });

  it('rewrites just the edited post page, and leaves no temporary files', async () => {
    await buildToDisk();
    const before = await snapshot();
    const post = path.join(root, 'posts', '2024-04-20-long.md');
    await fs.appendFile(post, '\nA sentence added by the test.\n');
    await buildToDisk();
    const after = await snapshot();
    const changed = changedFiles(before, after);
    expect(changed).toContain('posts/long/index.html');
    // Besides the post: list pages, and every feed that carries it (site RSS, Atom and JSON Feed, and its tags' feeds).
    const isFeed = (file: string) => ['rss.xml', 'atom.xml', 'feed.json'].includes(file) || /^tags\/[^/]+\/(rss|atom)\.xml$/.test(file);
    expect(changed.filter((file) => !(file.endsWith('index.html') || isFeed(file)))).toEqual([]);
    expect(after.get('posts/long/index.html')!.text).toContain('A sentence added by the test.');
    expect([...after.keys()].some((file) => file.includes('blogbuild-tmp'))).toBe(false);
    expect((await fs.readdir(root)).filter((name) => name.includes('blogbuild-'))).toEqual([]);
    const clean = await memoryBuild({ cache: false });
    expect(new Map([...after].map(([file, { text }]) => [file, text]))).toEqual(clean);
  });

  it('notices an output file changed by hand, and writes it again even though the manifest matches', async () => {
    await buildToDisk();
    const page = path.join(dist, 'posts', 'tables', 'index.html');
    const original = await fs.readFile(page, 'utf8');
    // Same size, different bytes: only the file's stat (mtime, inode) can tell.
    await fs.writeFile(page, original.replace('<html', '<HTML'));
    await buildToDisk();
    expect(await fs.readFile(page, 'utf8')).toBe(original);
  });

  it('renders a page again when its file was deleted from the output', async () => {
    await buildToDisk();
    const page = path.join(dist, 'posts', 'code', 'index.html');
    const original = await fs.readFile(page, 'utf8');
    await fs.rm(page);
    await buildToDisk();
    expect(await fs.readFile(page, 'utf8')).toBe(original);
  });

  it('drops files that are not part of the build any more', async () => {
    await buildToDisk();
    await fs.writeFile(path.join(dist, 'stray.txt'), 'not built');
    await fs.mkdir(path.join(dist, 'stray-folder'));
    await buildToDisk();
    const names = await fs.readdir(dist);
    expect(names).not.toContain('stray.txt');
    expect(names).not.toContain('stray-folder');
  });

  it('drops a stray file or folder and restores a deleted one in folders a no-change build found exact', async () => {
    await buildToDisk();
    // Folders changed within the clock's tick of a check are listed again by the next build: these are made older,
    // so that the next build records them as exact and later builds trust their stat instead of listing them.
    const age = async (dir: string) => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) if (entry.isDirectory()) await age(path.join(dir, entry.name));
      await fs.utimes(dir, new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
    };
    await age(dist);
    await buildToDisk();
    const exact = await snapshot();
    await buildToDisk();
    expect(changedFiles(exact, await snapshot())).toEqual([]);

    await fs.writeFile(path.join(dist, 'posts', 'tables', 'stray.txt'), 'not built');
    await fs.mkdir(path.join(dist, 'tags', 'stray-folder'));
    await fs.rm(path.join(dist, 'posts', 'code', 'index.html'));
    await buildToDisk();
    expect(await fs.readdir(path.join(dist, 'posts', 'tables'))).toEqual(['index.html']);
    expect(await fs.readdir(path.join(dist, 'tags'))).not.toContain('stray-folder');
    const clean = await memoryBuild({ cache: false });
    expect(new Map([...(await snapshot())].map(([file, { text }]) => [file, text]))).toEqual(clean);
  });

  it('renders every page again after a template change', async () => {
    await buildToDisk();
    const before = await snapshot();
    await fs.mkdir(path.join(root, 'templates', 'partials'), { recursive: true });
    const layout = await fs.readFile(path.join(builtInTemplates, 'layout.hbs'), 'utf8');
    await fs.writeFile(path.join(root, 'templates', 'layout.hbs'), layout.replace('</body>', '<!-- changed layout --></body>'));
    await buildToDisk();
    const after = await snapshot();
    const pages = [...after.keys()].filter((file) => file.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(5);
    for (const file of pages) expect(after.get(file)!.text, file).toContain('<!-- changed layout -->');
    expect(changedFiles(before, after)).toEqual(expect.arrayContaining(pages));
  });

  it('works the same with --no-cache (no manifest: old files are read and compared)', async () => {
    await buildToDisk({ cache: false });
    const first = await snapshot();
    await buildToDisk({ cache: false });
    expect(changedFiles(first, await snapshot())).toEqual([]);
    await expect(fs.stat(path.join(root, 'node_modules', '.cache', 'blogbuild'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('caches within one process and in the cache file', () => {
  it('gives the feed the same absolutized HTML from the cache as freshly computed', async () => {
    const clean = await memoryBuild({ cache: false });
    await memoryBuild();
    const warm = await memoryBuild();
    expect(warm.get('rss.xml')).toBe(clean.get('rss.xml'));
    expect(warm.get('rss.xml')).toContain('https://example.org/');
  });

  it('reuses pages between in-memory builds (the dev server) but never across a template or post change', async () => {
    const first = await memoryBuild();
    expect(await memoryBuild()).toEqual(first);

    const layout = await fs.readFile(path.join(builtInTemplates, 'layout.hbs'), 'utf8');
    await fs.mkdir(path.join(root, 'templates'), { recursive: true });
    await fs.writeFile(path.join(root, 'templates', 'layout.hbs'), layout.replace('</body>', '<!-- dev change --></body>'));
    const changed = await memoryBuild();
    expect(changed.get('index.html')).toContain('<!-- dev change -->');
    expect(changed.get('posts/tables/index.html')).toContain('<!-- dev change -->');

    await fs.appendFile(path.join(root, 'posts', '2024-04-20-long.md'), '\nAnother added sentence.\n');
    const edited = await memoryBuild();
    expect(edited.get('posts/long/index.html')).toContain('Another added sentence.');
    expect(edited).toEqual(await memoryBuild({ cache: false }));
  });
});

describe('markdown shortcuts match the plugins they replace', () => {
  const samples = [
    '# Title\n\n## Same\n\n## Same\n\n## Same-1\n\n### *Emph* `code` [link](/x/)\n\n<h2>Raw</h2>\n',
    'Visit www.example.com, HTTP://EXAMPLE.ORG/x or https://a.b/c?d=1. Mail me@example.org, mailto:a@b.co, xmpp:u@h.org/r.\n',
    'No links at all: just words, numbers 123 and an at sign spelled out.\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n',
    'Entities: &#119;ww.example.com and &#64; and a [link www.inside.com](https://x.y/) and `code www.x.com`.\n',
    '- [x] done *item*\n  - [ ] nested\n- [ ] todo\n\n> ## Quote heading\n\n```js\nwww.example.com\n```\n',
  ];

  it('the autolink guard gives the same tree as remark-gfm alone', async () => {
    const plain = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeStringify);
    const guarded = unified().use(remarkParse).use(remarkGfm).use(remarkAutolinkLiteralGuard).use(remarkRehype).use(rehypeStringify);
    for (const sample of samples) expect(String(await guarded.process(sample)), sample).toBe(String(await plain.process(sample)));
    expect(String(await guarded.process(samples[1]))).toContain('href="http://www.example.com"');
  });

  it('the merged rehype walk gives rehype-slug ids, deduplicated per document', async () => {
    const withSlug = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSlug).use(rehypeStringify);
    const merged = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypePostTree).use(rehypeStringify);
    for (const sample of samples) {
      const expected = String(await withSlug.process(sample));
      const actual = String(await merged.process(sample));
      const ids = (html: string) => [...html.matchAll(/<h[1-6] id="([^"]*)"/g)].map((m) => m[1]);
      expect(ids(actual), sample).toEqual(ids(expected));
    }
    // Each document starts a fresh slugger.
    expect(String(await merged.process('## Again\n'))).toContain('id="again"');
    expect(String(await merged.process('## Again\n'))).toContain('id="again"');
  });
});

describe('the site fingerprint (no page keys on a no-change rebuild)', () => {
  const page = 'posts/long/index.html';

  it('ignores every damaged cache file (one byte changed in each) and still builds what a clean build makes', async () => {
    await buildToDisk();
    const post = path.join(root, 'posts', '2024-01-05-tables.md');
    await fs.appendFile(post, '\nEdited after the cache was written.\n');
    const cacheDir = path.join(root, 'node_modules', '.cache', 'blogbuild');
    const cacheFiles = await fs.readdir(cacheDir);
    expect(cacheFiles.length).toBeGreaterThan(0);
    for (const name of cacheFiles) {
      const file = path.join(cacheDir, name);
      const bytes = await fs.readFile(file);
      // A byte of the payload (after the header line), changed the way a bad disk or a killed writer would.
      const at = Math.min(bytes.indexOf(10) + 1 + Math.floor((bytes.length - bytes.indexOf(10)) / 2), bytes.length - 1);
      bytes[at] ^= 0x55;
      await fs.writeFile(file, bytes);
    }
    await buildToDisk();
    expect(await fs.readFile(path.join(dist, 'posts', 'tables', 'index.html'), 'utf8')).toContain('Edited after the cache was written.');
    expect(await memoryBuild({ cache: false })).toEqual(new Map([...(await snapshot())].map(([file, { text }]) => [file, text])));
  });

  it('rewrites nothing while every input is unchanged, and what a clean build makes after any change', async () => {
    await buildToDisk();
    await buildToDisk();
    const before = await snapshot();
    await buildToDisk();
    expect(changedFiles(before, await snapshot())).toEqual([]);

    // Any change to a post (here: another post's tags, which shows on this page's tag links) reaches every page.
    const other = path.join(root, 'posts', '2024-01-05-tables.md');
    await fs.writeFile(other, (await fs.readFile(other, 'utf8')).replace(/^tags: .*$/m, 'tags: [gfm, tables]'));
    await buildToDisk();
    expect(await fs.readFile(path.join(dist, 'posts', 'tables', 'index.html'), 'utf8')).toContain('/tags/tables/');
    expect(await memoryBuild({ cache: false })).toEqual(new Map([...(await snapshot())].map(([file, { text }]) => [file, text])));
  });

  it('after a body-only edit, rewrites the pages and feeds showing the post, and the rest stays as a clean build makes it', async () => {
    // Two builds: the first one's sources are too new to be trusted by their stat, the second caches every post.
    await buildToDisk();
    await buildToDisk();
    const before = await snapshot();
    // An mtime well in the past: the edit is trusted by its stat, so the build names every post's fields (the site's
    // structure is unchanged) and keys pages by the bodies they show.
    const edit = async (file: string, change: (text: string) => string) => {
      await fs.writeFile(file, change(await fs.readFile(file, 'utf8')));
      await fs.utimes(file, new Date('2025-06-01T00:00:00Z'), new Date('2025-06-01T00:00:00Z'));
    };
    const long = path.join(root, 'posts', '2024-04-20-long.md');
    await edit(long, (text) => `${text}\nA sentence added to the body only.\n`);
    await buildToDisk();
    const afterBody = await snapshot();
    const changed = changedFiles(before, afterBody);
    expect(changed).toContain(page);
    // Feeds carry the post's HTML.
    expect(changed).toContain('rss.xml');
    // The other posts' pages show its title and URL (neighbours), not its body.
    expect(changed.filter((file) => file.startsWith('posts/') && file !== page)).toEqual([]);
    expect(afterBody.get(page)!.text).toContain('A sentence added to the body only.');
    expect(await memoryBuild({ cache: false })).toEqual(new Map([...afterBody].map(([file, { text }]) => [file, text])));

    // A title is in the structure: the neighbours' pages show it, and every page is keyed again.
    await edit(long, (text) => text.replace(/^title: .*$/m, 'title: A retitled post'));
    await buildToDisk();
    const afterTitle = await snapshot();
    expect(changedFiles(afterBody, afterTitle).filter((file) => file.startsWith('posts/') && file !== page).length).toBeGreaterThan(0);
    expect(await memoryBuild({ cache: false })).toEqual(new Map([...afterTitle].map(([file, { text }]) => [file, text])));
  });

  it('changes with the templates and with the date a scheduled post goes live', async () => {
    await buildToDisk();
    const templates = path.join(root, 'templates');
    await fs.cp(builtInTemplates, templates, { recursive: true });
    await fs.appendFile(path.join(templates, 'post.hbs'), '\n<!-- changed -->\n');
    const withTemplates = await build({ root, now: NOW, templates });
    expect(withTemplates.ok).toBe(true);
    expect(await fs.readFile(path.join(dist, page), 'utf8')).toContain('<!-- changed -->');

    await fs.writeFile(path.join(root, 'posts', '2026-03-01-later.md'), '---\ntitle: Later\ndate: 2026-03-01\n---\nSoon.\n');
    expect((await build({ root, now: NOW, templates })).ok).toBe(true);
    expect(await fs.readFile(path.join(dist, 'index.html'), 'utf8')).not.toContain('Later');
    const live = await build({ root, now: new Date('2026-03-02T00:00:00Z'), templates });
    expect(live.ok).toBe(true);
    expect(await fs.readFile(path.join(dist, 'index.html'), 'utf8')).toContain('Later');
  });
});
