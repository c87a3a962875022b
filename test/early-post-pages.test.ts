import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/build.js';
import { outputManifestPath, resolveCacheDir } from '../src/cache/markdown-cache.js';
import { formatDiagnostic } from '../src/diagnostics/format.js';
import { outputManifest } from '../src/cache/output-manifest.js';
import { createDevSession } from '../src/dev/session.js';
// The benchmark's deterministic corpus generator: seed-like posts with tables, emoji lists, code and links.
import { generateSite } from '../scripts/bench.js';

// With workers, a cold build renders each post's page as its body comes back, while the workers render the others
// (src/render/early-post-pages.ts). These builds write real output folders, with the cache (so pages get the keys
// the next build compares), and check that nothing but the timing differs from a build in one thread.

const NOW = new Date('2026-01-01T00:00:00Z');
const builtIn = fileURLToPath(new URL('../templates/', import.meta.url));

/** Every file under `dir`: relative path → bytes. */
async function tree(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), await fs.readFile(full));
  }
  return files;
}

/** The output manifest's entries: each file's hash (not the stat fields, which differ by build). */
function manifestHashes(root: string): Map<string, string> {
  const manifest = outputManifest(outputManifestPath(resolveCacheDir(root), path.join(root, 'dist'))).read(path.join(root, 'dist'))!;
  return new Map(Object.entries(manifest.files).map(([file, entry]) => [file, entry[0]]));
}

/** A PNG's signature and header chunk: enough for its size to be read. */
function png(width: number, height: number): Buffer {
  const header = Buffer.alloc(25);
  header.writeUInt32BE(13, 0);
  header.write('IHDR', 4, 'latin1');
  header.writeUInt32BE(width, 8);
  header.writeUInt32BE(height, 12);
  header.set([8, 6, 0, 0, 0], 16);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), header]);
}

describe('post pages rendered while the workers render', () => {
  let corpus: string;
  const copies: string[] = [];
  const copy = async (name: string) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `blogbuild-early-${name}-`));
    await fs.cp(corpus, dir, { recursive: true });
    copies.push(dir);
    return dir;
  };
  beforeAll(async () => {
    corpus = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-early-corpus-'));
    generateSite(corpus, 80, {});
  });
  afterAll(async () => {
    for (const dir of [corpus, ...copies]) await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes the same files and bytes as a build in one thread, and the next build finds them unchanged', async () => {
    // One folder for both builds (keys name source paths), sources dated in the past (recent ones are not cached).
    const root = await copy('same');
    const past = new Date('2025-06-01T00:00:00Z');
    // One post has a cover: its page shows the image's size, read as its body comes back.
    await fs.mkdir(path.join(root, 'public'), { recursive: true });
    await fs.writeFile(path.join(root, 'public', 'cover.png'), png(3, 2));
    const covered = path.join(root, 'posts', 'post-00040.md');
    await fs.writeFile(covered, (await fs.readFile(covered, 'utf8')).replace(/^---\n/, '---\nimage: /cover.png\n'));
    for (const name of await fs.readdir(path.join(root, 'posts'))) await fs.utimes(path.join(root, 'posts', name), past, past);
    const inThread = await build({ root, now: NOW, workers: 0 });
    const [a, keysA] = [await tree(path.join(root, 'dist')), manifestHashes(root)];
    for (const made of ['dist', 'node_modules']) await fs.rm(path.join(root, made), { recursive: true });
    const pooled = await build({ root, now: NOW, workers: 2 });
    const [b, keysB] = [await tree(path.join(root, 'dist')), manifestHashes(root)];
    expect(inThread.ok && pooled.ok).toBe(true);
    expect(inThread.stats.postPagesEarly).toBe(0);
    expect(pooled.stats.markdownInWorkers).toBe(80);
    // Pages arriving after the last body are left to the writer; most render early.
    expect(pooled.stats.postPagesEarly).toBeGreaterThan(40);
    expect(pooled.stats.postPagesEarly).toBeLessThanOrEqual(80);

    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, bytes] of a) expect(b.get(file)!.equals(bytes), file).toBe(true);
    // A post page holds its body, its neighbours and its related posts (front matter of other posts).
    const page = parseHTML(b.get(path.join('posts', 'post-00040', 'index.html'))!.toString('utf8')).document;
    expect(page.querySelector('article table, article pre, article li')).not.toBeNull();
    expect(page.querySelector('img.post-cover')?.getAttribute('width')).toBe('3');

    // The writer's record of the output is the same, and the next build finds every page (early ones included)
    // unchanged.
    expect(keysB).toEqual(keysA);
    const again = await build({ root, now: NOW });
    expect(again.stats.written).toBe(0);
    expect(again.stats.markdownRendered).toBe(0);
  });

  it('keys its pages as the next build does: after a body-only edit, only the pages showing that post render again', async () => {
    const root = await copy('keys');
    // A helper in the layout counts the pages rendered (it adds nothing to them).
    const config = JSON.parse(await fs.readFile(path.join(root, 'blogbuild.config.json'), 'utf8'));
    await fs.rm(path.join(root, 'blogbuild.config.json'));
    await fs.writeFile(path.join(root, 'blogbuild.config.mjs'), `export default { ...${JSON.stringify(config)}, helpers: { countPage: () => { globalThis.blogbuildPagesRendered = (globalThis.blogbuildPagesRendered ?? 0) + 1; return ''; } } };\n`);
    const templates = path.join(root, 'templates');
    await fs.cp(builtIn, templates, { recursive: true });
    await fs.appendFile(path.join(templates, 'layout.hbs'), '{{countPage}}');
    const past = new Date('2025-06-01T00:00:00Z');
    for (const name of await fs.readdir(path.join(root, 'posts'))) await fs.utimes(path.join(root, 'posts', name), past, past);
    const counter = globalThis as { blogbuildPagesRendered?: number };
    const rendered = async (workers: number) => {
      counter.blogbuildPagesRendered = 0;
      const result = await build({ root, templates, now: NOW, workers });
      expect(result.ok).toBe(true);
      return { result, pages: counter.blogbuildPagesRendered };
    };
    const cold = await rendered(2);
    expect(cold.result.stats.postPagesEarly).toBeGreaterThan(40);
    expect(cold.pages).toBeGreaterThan(100);

    const file = path.join(root, 'posts', 'post-00040.md');
    await fs.appendFile(file, '\nA sentence added after the cold build.\n');
    await fs.utimes(file, past, past);
    const edit = await rendered(0);
    // Its own page and the lists and feeds showing its excerpt; not the other 79 post pages.
    expect(edit.pages).toBeGreaterThan(0);
    expect(edit.pages).toBeLessThan(15);
    expect(edit.result.stats.written).toBeLessThan(15);
    expect(await fs.readFile(path.join(root, 'dist', 'posts', 'post-00040', 'index.html'), 'utf8')).toContain('A sentence added after the cold build.');
    expect((await rendered(0)).result.stats.written).toBe(0);
  });

  it('renders most home and tag pages before the last body comes back, the newest posts being rendered first', async () => {
    const root = await copy('lists');
    // A helper in the list template notes, for each list page, whether bodies were still being rendered (it adds
    // nothing to the page).
    const config = JSON.parse(await fs.readFile(path.join(root, 'blogbuild.config.json'), 'utf8'));
    await fs.rm(path.join(root, 'blogbuild.config.json'));
    await fs.writeFile(path.join(root, 'blogbuild.config.mjs'), `export default { ...${JSON.stringify(config)}, helpers: { noteList: () => { const s = globalThis.blogbuildLists; s[s.done < s.total ? 'early' : 'late']++; return ''; } } };\n`);
    const templates = path.join(root, 'templates');
    await fs.cp(builtIn, templates, { recursive: true });
    await fs.appendFile(path.join(templates, 'list.hbs'), '{{noteList}}');
    const lists = { done: 0, total: 1, early: 0, late: 0 };
    (globalThis as { blogbuildLists?: typeof lists }).blogbuildLists = lists;
    const result = await build({ root, templates, now: NOW, workers: 2, onProgress: (done, total) => Object.assign(lists, { done, total }) });
    expect(result.ok).toBe(true);
    const listPages = result.routes!.filter((route) => route.kind === 'home' || route.kind === 'tag').length;
    expect(lists.early + lists.late).toBe(listPages);
    // Each list page is complete once its posts are: newest first, only those holding the last posts wait.
    expect(lists.early).toBeGreaterThan(listPages / 2);
  });

  it('fails as a build in one thread does when a post page fails to render, leaving no output', async () => {
    const results: BuildResult[] = [];
    for (const workers of [0, 2]) {
      const root = await copy(`broken-${workers}`);
      const templates = path.join(root, 'templates');
      await fs.cp(builtIn, templates, { recursive: true });
      const post = await fs.readFile(path.join(templates, 'post.hbs'), 'utf8');
      // One post's page (the 10th newest) calls a helper that does not exist: its page fails, the others render.
      await fs.writeFile(path.join(templates, 'post.hbs'), `${post}{{#if post.data.broken}}{{shout post.title}}{{/if}}\n`);
      const file = path.join(root, 'posts', 'post-00010.md');
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/^---\n/, '---\nbroken: true\n'));
      const result = await build({ root, templates, now: NOW, workers });
      expect(result.ok).toBe(false);
      await expect(fs.stat(path.join(root, 'dist'))).rejects.toThrow();
      results.push(result);
    }
    const shown = (result: BuildResult) => result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, { cwd: path.dirname(path.dirname(d.loc?.file ?? '/x/y')), color: false }));
    expect(shown(results[1])).toEqual(shown(results[0]));
    expect(results[1].diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['TemplateRender']);
  });

  it('writes nothing when a post fails to render its markdown', async () => {
    const root = await copy('deep');
    // Nested past the depth limit (100): this post fails in its worker while pages of others render.
    await fs.writeFile(path.join(root, 'posts', 'post-00005.md'), `---\ntitle: Deep\ndate: 2024-01-01\n---\n\n${'> '.repeat(150)}deep\n`);
    const result = await build({ root, now: NOW, workers: 2 });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['MarkdownTooComplex']);
    await expect(fs.stat(path.join(root, 'dist'))).rejects.toThrow();
  });

  it('are not made by the dev server\'s background check, which discards every page', async () => {
    const root = await copy('check');
    const session = createDevSession({ root, build, now: NOW, cache: false, workers: 2 });
    const { result } = await session.check();
    expect(result.ok).toBe(true);
    expect(result.stats.markdownInWorkers).toBe(80);
    expect(result.stats.postPagesEarly).toBe(0);
    await expect(fs.stat(path.join(root, 'dist'))).rejects.toThrow();
  });
});
