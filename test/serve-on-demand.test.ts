/**
 * Issue 15: `serve` answers before its first build, each page made when asked for. A fresh server (empty cache) whose
 * background build is held back serves every file `build` writes, byte for byte but the live-reload script; after the
 * build and after an edit, the served site still equals a clean build.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clientTag } from '../src/dev/client.js';
import { serve, type ServeHandle } from '../src/dev/serve.js';
import { cleanMemoryBuild, copyFixture, outputDifferences } from './helpers/build-fixture.js';

let handle: ServeHandle | undefined;
let tmp: string | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  tmp = undefined;
});

/** The URL a reader would use for an output file: `posts/x/index.html` → `posts/x/`. */
function urlOf(base: string, file: string): string {
  const sitePath = file.replace(/(^|\/)index\.html$/, '$1');
  return base + sitePath.split('/').map(encodeURIComponent).join('/');
}

/** A served file's bytes, with the live-reload script the server adds to HTML taken out. */
async function fetchFile(url: string, buildId: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(url, { redirect: 'manual' });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!response.headers.get('content-type')?.startsWith('text/html')) return { status: response.status, bytes };
  const text = bytes.toString('utf8');
  const tag = `${clientTag(buildId)}\n`;
  expect(text, url).toContain(tag);
  return { status: response.status, bytes: Buffer.from(text.replace(tag, '')) };
}

describe.each([
  // Pages, an alias, tags, the authors map, under the /blog/ sub-path; posts asked for first, then lists and feeds.
  ['kitchen-sink', 'forward'],
  // Lists and feeds asked for before the posts they show.
  ['kitchen-sink', 'reverse'],
  // Four pages with aliases and nav, under /site/.
  ['pages-blog', 'forward'],
  // Several authors (author pages), related posts, cover images.
  ['post-extras', 'reverse'],
])('serve on demand: %s, files asked for in %s order', (fixture, order) => {
  it('serves every file build writes before its first build, then the build, then an edit, each equal to a clean build', async () => {
    tmp = await copyFixture(fixture, await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30, holdBackground: held });
    const clean = await cleanMemoryBuild(tmp);
    expect(clean.size).toBeGreaterThan(10);

    const buildId = handle.session.state.buildId;
    const files = [...clean];
    if (order === 'reverse') files.reverse();
    for (const [file, bytes] of files) {
      const served = await fetchFile(urlOf(handle.url, file), buildId);
      expect(served.status, file).toBe(200);
      expect(served.bytes.toString('utf8'), file).toBe(Buffer.from(bytes).toString('utf8'));
      expect(served.bytes.equals(Buffer.from(bytes)), file).toBe(true);
    }
    const missing = await fetchFile(`${handle.url}no/such/page/`, buildId);
    expect(missing.status).toBe(404);
    expect(missing.bytes.equals(Buffer.from(clean.get('404.html')!))).toBe(true);
    // Everything above was made on demand: no build has run.
    expect(handle.session.builds).toBe(0);

    release();
    await handle.idle();
    expect(handle.session.builds).toBe(1);
    expect(handle.session.state.errorText).toBeUndefined();
    // The pages served on demand are those of the build, so open pages are not told to reload.
    expect(handle.session.state.buildId).toBe(buildId);
    expect(outputDifferences(handle.session.state.files as ReadonlyMap<string, Uint8Array>, clean)).toEqual([]);

    const post = (await fs.readdir(path.join(tmp, 'posts'))).find((name) => name.endsWith('.md'))!;
    await fs.appendFile(path.join(tmp, 'posts', post), '\nA sentence added while serving.\n');
    const deadline = Date.now() + 20_000;
    while (!(await cleanMemoryBuild(tmp).then((files) => outputDifferences(handle!.session.state.files as ReadonlyMap<string, Uint8Array>, files).length === 0))) {
      if (Date.now() > deadline) throw new Error('the served site never equalled a clean build after the edit');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const after = handle.session.state.files as ReadonlyMap<string, Uint8Array>;
    expect([...after.values()].some((bytes) => Buffer.from(bytes).includes('A sentence added while serving.'))).toBe(true);
  });
});

describe('serve on demand: a post that fails', () => {
  it('shows the overlay on its page while the other pages are served', async () => {
    tmp = await copyFixture('kitchen-sink', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    const clean = await cleanMemoryBuild(tmp);
    // A config plugin that throws on one post's text: its markdown fails, its front matter loads.
    const posts = await fs.readdir(path.join(tmp, 'posts'));
    const broken = posts.find((name) => name.endsWith('.md'))!;
    await fs.writeFile(path.join(tmp, 'plugin.mjs'), "export default () => (tree, file) => { if (String(file.value).includes('BREAK-ME')) throw new Error('plugin refused'); };\n");
    const config = JSON.parse(await fs.readFile(path.join(tmp, 'blogbuild.config.json'), 'utf8'));
    await fs.writeFile(path.join(tmp, 'blogbuild.config.json'), JSON.stringify({ ...config, markdown: { remarkPlugins: ['./plugin.mjs'] } }));
    await fs.appendFile(path.join(tmp, 'posts', broken), '\nBREAK-ME\n');
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', holdBackground: new Promise(() => {}) });

    const page = [...clean.keys()].find((file) => file.startsWith('posts/') && file.endsWith('index.html') && Buffer.from(clean.get(file)!).includes(path.basename(broken, '.md').replace(/^\d{4}-\d{2}-\d{2}-/, '')));
    expect(page).toBeDefined();
    const response = await fetch(urlOf(handle.url, page!));
    expect(response.status).toBe(500);
    expect(await response.text()).toContain(clientTag(handle.session.state.buildId));
    expect(handle.session.state.errorText).toContain('plugin refused');
    expect(handle.session.state.errorText).toContain(broken);
    const tags = await fetch(`${handle.url}tags/`);
    expect(tags.status).toBe(200);
  });
});

describe('serve on demand: a save while the first build runs', () => {
  it('is served at once from the site loaded again, equal to a clean build, and the build that follows agrees', async () => {
    tmp = await copyFixture('kitchen-sink', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30, holdBackground: held });
    const before = await cleanMemoryBuild(tmp);
    const [page] = [...before.keys()].filter((file) => /^posts\/[^/]+\/index\.html$/.test(file));
    const firstId = handle.session.state.buildId;
    expect((await fetchFile(urlOf(handle.url, page), firstId)).bytes.equals(Buffer.from(before.get(page)!))).toBe(true);

    const source = (await fs.readdir(path.join(tmp, 'posts'))).find((name) => name.endsWith('.md'))!;
    const file = path.join(tmp, 'posts', source);
    await fs.appendFile(file, '\nSaved while the first build was held.\n');
    const after = await cleanMemoryBuild(tmp);
    const changed = [...after.keys()].find((name) => name.startsWith('posts/') && Buffer.from(after.get(name)!).toString('utf8').includes('Saved while the first build was held.'))!;
    expect(changed).toBeDefined();
    const deadline = Date.now() + 20_000;
    while (handle.session.state.buildId === firstId) {
      if (Date.now() > deadline) throw new Error('the save was never served');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const buildId = handle.session.state.buildId;
    for (const name of [changed, 'index.html', 'rss.xml']) {
      expect((await fetchFile(urlOf(handle.url, name), buildId)).bytes.toString('utf8'), name).toBe(Buffer.from(after.get(name)!).toString('utf8'));
    }
    expect(handle.session.builds).toBe(0);

    release();
    await handle.idle();
    expect(handle.session.builds).toBeGreaterThanOrEqual(2);
    expect(outputDifferences(handle.session.state.files as ReadonlyMap<string, Uint8Array>, after)).toEqual([]);
  });
});
