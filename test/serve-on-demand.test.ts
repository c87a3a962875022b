/**
 * Issue 15: `serve` makes each page when asked for, for good; a build runs in the background for its diagnostics. A
 * fresh server (empty cache) whose background build is held back serves every file `build` writes, byte for byte but
 * the live-reload script; after that build, and after each kind of edit (a body, a title, tags, a date, a template, a
 * post added, a post deleted), every URL still answers what a clean build of the files on disk writes; and so after
 * each step of random sequences of edits (test/helpers/edit-sequences.ts), with --drafts and --future off or on.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { clientTag } from '../src/dev/client.js';
import { serve, type ServeHandle } from '../src/dev/serve.js';
import { cleanMemoryBuild, copyFixture, pastRacyWindow } from './helpers/build-fixture.js';
import { anyEdit, apply, configText, postSpec, postText, type Posts } from './helpers/edit-sequences.js';

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

/** Fetches every file of `clean` from the server (and a missing page) and expects the same bytes, status 200 (404). */
async function expectServedAsBuilt(h: ServeHandle, clean: ReadonlyMap<string, Uint8Array>, order: 'forward' | 'reverse' = 'forward'): Promise<void> {
  const buildId = h.session.state.buildId;
  const files = [...clean];
  if (order === 'reverse') files.reverse();
  for (const [file, bytes] of files) {
    const served = await fetchFile(urlOf(h.url, file), buildId);
    expect(served.status, file).toBe(200);
    expect(served.bytes.toString('utf8'), file).toBe(Buffer.from(bytes).toString('utf8'));
    expect(served.bytes.equals(Buffer.from(bytes)), file).toBe(true);
  }
  const missing = await fetchFile(`${h.url}no/such/page/`, buildId);
  expect(missing.status).toBe(404);
  expect(missing.bytes.equals(Buffer.from(clean.get('404.html')!))).toBe(true);
}

/** Waits until the server has taken in a change (its build id moved on from `before`). */
async function changedFrom(h: ServeHandle, before: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (h.session.state.buildId === before) {
    if (Date.now() > deadline) throw new Error('the change was never served');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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
  // Posts whose list summaries come from front matter alone (read time and description given, no `<!-- more -->`)
  // beside posts that need their markdown for one (a marker, an excerpt, a counted read time, a comment), paged by
  // two: lists asked for before their posts, then after.
  ['summaries', 'reverse'],
  ['summaries', 'forward'],
])('serve on demand: %s, files asked for in %s order', (fixture, order) => {
  it('serves every file build writes before its first build, then after it, then after an edit, each equal to a clean build', async () => {
    tmp = await copyFixture(fixture, await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30, holdBackground: held });
    const clean = await cleanMemoryBuild(tmp);
    expect(clean.size).toBeGreaterThan(10);

    const buildId = handle.session.state.buildId;
    await expectServedAsBuilt(handle, clean, order as 'forward' | 'reverse');
    // Everything above was made on demand: no build has run.
    expect(handle.session.builds).toBe(0);

    release();
    await handle.idle();
    expect(handle.session.builds).toBe(1);
    expect(handle.session.state.errorText).toBeUndefined();
    // The background build only checks: open pages are not told to reload, and pages are still made on demand.
    expect(handle.session.state.buildId).toBe(buildId);
    await expectServedAsBuilt(handle, clean, order as 'forward' | 'reverse');

    const post = (await fs.readdir(path.join(tmp, 'posts'))).find((name) => name.endsWith('.md'))!;
    await fs.appendFile(path.join(tmp, 'posts', post), '\nA sentence added while serving.\n');
    const after = await cleanMemoryBuild(tmp);
    await changedFrom(handle, buildId);
    await expectServedAsBuilt(handle, after);
    expect([...after.values()].some((bytes) => Buffer.from(bytes).includes('A sentence added while serving.'))).toBe(true);
  });
});

describe('serve on demand: every kind of change', () => {
  const footer = '<footer class="site-footer"><p>Footer of {{site.title}}</p></footer>\n';
  const changes: { name: string; isBodyOnly?: boolean; change: (dir: string) => Promise<void> }[] = [
    { name: 'a body', isBodyOnly: true, change: (dir) => edit(dir, 'posts/2025-02-01-short-note.md', (text) => `${text}\nA body edited while serving, [a link](https://example.org/).\n`) },
    { name: 'a title', change: (dir) => edit(dir, 'posts/2025-01-01-first-post.md', (text) => text.replace('title: The first post', 'title: The very first post')) },
    { name: 'tags', change: (dir) => edit(dir, 'posts/2025-01-01-first-post.md', (text) => text.replace('tags: [notes, markdown]', 'tags: [markdown, retagged]')) },
    { name: 'a date', change: (dir) => edit(dir, 'posts/2025-01-01-first-post.md', (text) => text.replace('date: 2025-01-01', 'date: 2025-07-15')) },
    { name: 'a template', change: (dir) => edit(dir, 'templates/partials/footer.hbs', (text) => text.replace('Footer of', 'Edited footer of')) },
    { name: 'a post added', change: (dir) => fs.writeFile(path.join(dir, 'posts/2025-08-01-added.md'), '---\ntitle: Added while serving\ndate: 2025-08-01\ntags: [notes, fresh]\n---\n\nA new post.\n') },
    { name: 'a post deleted', change: (dir) => fs.rm(path.join(dir, 'posts/2025-02-01-short-note.md')) },
  ];

  it('serves every URL as a clean build of the changed files writes, after each change in turn', async () => {
    tmp = await copyFixture('kitchen-sink', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    await fs.mkdir(path.join(tmp, 'templates/partials'), { recursive: true });
    await fs.writeFile(path.join(tmp, 'templates/partials/footer.hbs'), footer);
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30 });
    await expectServedAsBuilt(handle, await cleanMemoryBuild(tmp));
    let before = await cleanMemoryBuild(tmp);
    for (const { name, isBodyOnly, change } of changes) {
      const buildId = handle.session.state.buildId;
      const site = handle.session.state.files;
      await change(tmp);
      const clean = await cleanMemoryBuild(tmp);
      expect([...clean].some(([file, bytes]) => !before.get(file) || !Buffer.from(bytes).equals(Buffer.from(before.get(file)!))), name).toBe(true);
      await changedFrom(handle, buildId);
      // A body alone is taken into the site served (no load of the site again); other changes load it again.
      expect(handle.session.state.files === site, name).toBe(Boolean(isBodyOnly));
      await expectServedAsBuilt(handle, clean);
      for (const file of before.keys()) if (!clean.has(file)) expect((await fetch(urlOf(handle.url, file))).status, `${name}: ${file}`).toBe(404);
      before = clean;
    }
    await handle.idle();
    expect(handle.session.state.errorText).toBeUndefined();
  });
});

describe('serve on demand: random sequences of edits', () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 6);
  const seed = process.env.FUZZ_SEED === 'random' ? Date.now() : Number(process.env.FUZZ_SEED ?? 15);

  it(`serves every URL as a clean build writes, after each step (seed ${seed}, ${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(postSpec, { minLength: 1, maxLength: 5 }), fc.array(anyEdit, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.boolean(), async (initial, edits, drafts, future) => {
        const blog = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-fuzz-'));
        await fs.mkdir(path.join(blog, 'posts'));
        await fs.writeFile(path.join(blog, 'blogbuild.config.json'), configText(3, 'Fuzz blog'));
        const posts: Posts = initial.map((spec, i) => ({ file: `post-${i}.md`, spec }));
        for (const { file, spec } of posts) await fs.writeFile(path.join(blog, 'posts', file), postText(spec));
        const clean = () => cleanMemoryBuild(blog, undefined, { drafts, future });
        let counter = 0;
        let h: ServeHandle | undefined;
        try {
          await pastRacyWindow();
          h = await serve({ root: blog, port: 0, host: '127.0.0.1', debounce: 30, drafts, future, cacheDir: path.join(blog, 'cache') });
          await expectServedAsBuilt(h, await clean());
          for (const e of edits) {
            const buildId = h.session.state.buildId;
            if (!apply(blog, posts, e, () => ++counter)) continue;
            await changedFrom(h, buildId);
            // A rename is two file events, which may be taken in as two changes: compare once the server has settled.
            for (let seen = h.session.state.buildId; ; seen = h.session.state.buildId) {
              await new Promise((resolve) => setTimeout(resolve, 400));
              if (h.session.state.buildId === seen) break;
            }
            await expectServedAsBuilt(h, await clean());
          }
          await h.idle();
          expect(h.session.state.errorText).toBeUndefined();
        } finally {
          await h?.close();
          await fs.rm(blog, { recursive: true, force: true });
        }
      }),
      { numRuns: runs, seed },
    );
  }, 240_000);
});

describe('serve on demand: a same-size copy that sets the old times back (cp -p, rsync -t)', () => {
  it('is served: the change is seen though size and mtime are as before and the file was read after it was written', async () => {
    tmp = await copyFixture('kitchen-sink', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    const file = path.join(tmp, 'posts/2025-02-01-short-note.md');
    // Written a minute ago, read since: its atime is after its mtime, as for any post the last build read.
    const written = new Date(Date.now() - 60_000);
    const read = new Date(Date.now() - 30_000);
    await fs.utimes(file, read, written);
    await pastRacyWindow();
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30 });
    await expectServedAsBuilt(handle, await cleanMemoryBuild(tmp));
    await handle.idle();
    for (const [from, to] of [['Just a short note.', 'Just a brief note.'], ['Just a brief note.', 'Just a short note.']]) {
      const buildId = handle.session.state.buildId;
      const text = await fs.readFile(file, 'utf8');
      const { atime, mtime } = await fs.stat(file);
      const copy = text.replace(from, to);
      expect(copy.length).toBe(text.length);
      // In one tick, as cp -p does: the watcher's look at the file after the write sees the old times already.
      fsSync.writeFileSync(file, copy);
      fsSync.utimesSync(file, atime, mtime);
      const clean = await cleanMemoryBuild(tmp);
      expect([...clean.values()].some((bytes) => Buffer.from(bytes).includes(to))).toBe(true);
      await changedFrom(handle, buildId);
      await expectServedAsBuilt(handle, clean);
      await handle.idle();
    }
  });
});

async function edit(dir: string, file: string, change: (text: string) => string): Promise<void> {
  const target = path.join(dir, file);
  await fs.writeFile(target, change(await fs.readFile(target, 'utf8')));
}

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

describe('serve on demand: list pages made from front matter', () => {
  it('lists a post whose summary is all front matter without rendering its markdown, and renders the others it lists', async () => {
    tmp = await copyFixture('summaries', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    const clean = await cleanMemoryBuild(tmp);
    // A plugin that fails on two posts' markdown: the summer menu's summary is its front matter (read time and
    // description), rye week's needs its words counted (no read time given).
    await fs.writeFile(path.join(tmp, 'plugin.mjs'), "export default () => (tree, file) => { if (String(file.value).includes('BREAK-ME')) throw new Error('plugin refused'); };\n");
    const config = JSON.parse(await fs.readFile(path.join(tmp, 'blogbuild.config.json'), 'utf8'));
    await fs.writeFile(path.join(tmp, 'blogbuild.config.json'), JSON.stringify({ ...config, markdown: { remarkPlugins: ['./plugin.mjs'] } }));
    await fs.appendFile(path.join(tmp, 'posts', '2025-07-07-summer-menu.md'), '\nBREAK-ME\n');
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', holdBackground: new Promise(() => {}) });
    const buildId = handle.session.state.buildId;

    // The home page lists the summer menu and the harbour stall: made without the summer menu's markdown, it is the
    // clean build's (the plugin changes nothing it shows); the post's own page and the feed need it and fail.
    expect(await fetchFile(handle.url, buildId)).toEqual({ status: 200, bytes: Buffer.from(clean.get('index.html')!) });
    expect((await fetch(`${handle.url}posts/summer-menu/`)).status).toBe(500);
    expect((await fetch(`${handle.url}rss.xml`)).status).toBe(500);
    expect(handle.session.state.errorText).toContain('plugin refused');

    await fs.appendFile(path.join(tmp, 'posts', '2025-04-04-rye-week.md'), '\nBREAK-ME\n');
    await changedFrom(handle, buildId);
    // Rye week is on the second page: its read time is counted from its rendered words, so that page fails.
    expect((await fetch(`${handle.url}page/2/`)).status).toBe(500);
    expect((await fetchFile(`${handle.url}page/3/`, handle.session.state.buildId)).bytes.equals(Buffer.from(clean.get('page/3/index.html')!))).toBe(true);
  });
});

describe('serve on demand: a save while the first build is held', () => {
  it('is served at once, equal to a clean build, and the build that follows finds no error', async () => {
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
    expect(handle.session.builds).toBeGreaterThanOrEqual(1);
    expect(handle.session.state.errorText).toBeUndefined();
    await expectServedAsBuilt(handle, after);
  });
});

describe('serve on demand: a save before the watcher has started', () => {
  it('is served: the watcher starts after the first page and reports the files changed since the site was loaded', async () => {
    tmp = await copyFixture('kitchen-sink', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30, holdBackground: new Promise(() => {}) });
    const firstId = handle.session.state.buildId;
    // Saved before any page is asked for: chokidar has not started, so no event will ever tell this change.
    const source = (await fs.readdir(path.join(tmp, 'posts'))).find((name) => name.endsWith('.md'))!;
    await fs.appendFile(path.join(tmp, 'posts', source), '\nSaved before the watcher started.\n');
    const after = await cleanMemoryBuild(tmp);
    const changed = [...after.keys()].find((name) => name.startsWith('posts/') && Buffer.from(after.get(name)!).includes('Saved before the watcher started.'))!;
    expect(changed).toBeDefined();
    await changedFrom(handle, firstId);
    expect((await fetchFile(urlOf(handle.url, changed), handle.session.state.buildId)).bytes.toString('utf8')).toBe(Buffer.from(after.get(changed)!).toString('utf8'));
  });
});

describe('serve on demand: a warm start from the index of front matter', () => {
  it('serves every file build writes: with the index, with a post saved since, without the markdown cache, and with the index damaged', async () => {
    tmp = await copyFixture('post-extras', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    // Sources saved in the clock's last tick are not indexed (see isRacy): these were saved a minute ago.
    const past = new Date(Date.now() - 60_000);
    for (const entry of await fs.readdir(tmp, { recursive: true })) await fs.utimes(path.join(tmp, entry), past, past);
    await pastRacyWindow();
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30 });
    await fetch(handle.url);
    await handle.idle();
    await handle.close();
    const cache = path.join(tmp, 'node_modules', '.cache', 'blogbuild');
    // A namespace is split into files by key: the index is one key, so one file; the markdown is in several.
    const namespaceFiles = async (namespace: string) => (await fs.readdir(cache)).filter((name) => name.startsWith(`${namespace}.`)).map((name) => path.join(cache, name));
    const [index] = await namespaceFiles('dev-posts');
    expect((await fs.stat(index)).size).toBeGreaterThan(1000);

    const post = (await fs.readdir(path.join(tmp, 'posts'))).find((name) => name.endsWith('.md'))!;
    await fs.appendFile(path.join(tmp, 'posts', post), '\nSaved between two sessions.\n');
    const clean = await cleanMemoryBuild(tmp);
    for (const damage of ['none', 'markdown cache removed', 'index damaged']) {
      if (damage === 'markdown cache removed') for (const file of await namespaceFiles('markdown')) await fs.rm(file);
      if (damage === 'index damaged') {
        const bytes = await fs.readFile(index);
        bytes[Math.floor(bytes.length / 2)] ^= 0x20;
        await fs.writeFile(index, bytes);
      }
      handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30, holdBackground: new Promise(() => {}) });
      await expectServedAsBuilt(handle, clean, 'reverse');
      expect(handle.session.builds, damage).toBe(0);
      await handle.close();
      handle = undefined;
    }
  });
});

describe('serve on demand: the background check after a save', () => {
  it('makes again only the pages the save changed, and still finds an error a save brings', async () => {
    tmp = await copyFixture('kitchen-sink', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-on-demand-')));
    const checks: { ok: boolean; made: number; known: number }[] = [];
    handle = await serve({ root: tmp, port: 0, host: '127.0.0.1', debounce: 30,
      onBuild: (event) => checks.push({ ok: event.result.ok, made: event.result.stats.written, known: event.result.stats.unchanged }) });
    await fetch(handle.url);
    await handle.idle();
    expect(checks).toHaveLength(1);
    const files = checks[0].made + checks[0].known;
    expect(checks[0].made).toBeGreaterThan(10);

    const post = path.join(tmp, 'posts', '2025-02-01-short-note.md');
    await fs.appendFile(post, '\nA body edited while serving.\n');
    const before = handle.session.state.buildId;
    await changedFrom(handle, before);
    await handle.idle();
    expect(checks).toHaveLength(2);
    expect(checks[1].ok).toBe(true);
    expect(checks[1].made + checks[1].known).toBe(files);
    // The post's page and the pages listing it (home, tags, author, feeds…), not the site's other pages.
    expect(checks[1].made).toBeGreaterThan(0);
    expect(checks[1].made).toBeLessThan(checks[0].made);

    // Front matter the loader rejects: the check reports it, though every page it can make is known.
    await edit(tmp, 'posts/2025-02-01-short-note.md', (text) => text.replace(/^date: .*$/m, 'date: not a date'));
    const deadline = Date.now() + 20_000;
    while (checks.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await handle.idle();
    expect(checks.at(-1)!.ok).toBe(false);
    expect(handle.session.state.errorText).toContain('2025-02-01-short-note.md');
  });
});
