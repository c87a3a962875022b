import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { createBuildState } from '../src/build-state.js';
import { createDevSession, type DevSession } from '../src/dev/session.js';
import { memoryWriter } from '../src/output/writer.js';
import { cleanMemoryBuild, outputDifferences } from './helpers/build-fixture.js';

// Rebuilds that reuse what earlier builds computed (the dev server's build state) must write exactly what a
// clean full build writes. Each test makes a series of changes aimed at one memo and compares after each one.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(repo, 'test/fixtures/sites/serve-basic');

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-state-'));
  await fs.cp(fixture, tmp, { recursive: true });
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const post = (name: string) => path.join(tmp, 'posts', name);
const text = (files: ReadonlyMap<string, Uint8Array>, file: string) => Buffer.from(files.get(file) ?? new Uint8Array()).toString('utf8');

async function edit(file: string, from: string, to: string): Promise<void> {
  const before = await fs.readFile(file, 'utf8');
  expect(before).toContain(from);
  await fs.writeFile(file, before.replace(from, to));
}



/** Rebuilds the session and checks the served files equal a clean build; returns whether they changed. */
async function rebuildAndCompare(session: DevSession): Promise<boolean> {
  const event = await session.rebuild();
  expect(event.result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(outputDifferences(session.state.files, await cleanMemoryBuild(tmp))).toEqual([]);
  return event.isChanged;
}

function createSession(options: { cache?: boolean } = {}): DevSession {
  return createDevSession({ root: tmp, build, cache: options.cache ?? false, cacheDir: path.join(tmp, '.cache') });
}

describe('builds with a build state equal clean builds', () => {
  it('an edit that changes only a post excerpt updates the home and tag pages that list it', async () => {
    const session = createSession();
    await rebuildAndCompare(session);
    expect(text(session.state.files, 'tags/starter/index.html')).toContain('Feed the starter twice a day.');

    await edit(post('2024-03-03-starter-notes.md'), 'Feed the starter twice a day.', 'Feed the starter once a day.');
    expect(await rebuildAndCompare(session)).toBe(true);
    for (const file of ['index.html', 'tags/starter/index.html', 'tags/baking/index.html']) {
      expect(text(session.state.files, file), file).toContain('Feed the starter once a day.');
      expect(text(session.state.files, file), file).not.toContain('twice a day');
    }
  });

  it('a date change moves the post and changes its newer and older neighbours', async () => {
    const session = createSession();
    await rebuildAndCompare(session);
    // Order before: oven-spring, starter-notes, second-try, first-loaf (newest first).
    // The newer/older links only: related posts name other posts too.
    const nav = (file: string) => /<nav class="post-nav"[\s\S]*?<\/nav>/.exec(text(session.state.files, file))?.[0] ?? '';
    expect(nav('posts/second-try/index.html')).toContain('First loaf');

    await edit(post('2024-01-10-first-loaf.md'), 'date: 2024-01-10', 'date: 2024-03-20');
    await rebuildAndCompare(session);
    // Now: oven-spring, first-loaf, starter-notes, second-try.
    const firstLoaf = nav('posts/first-loaf/index.html');
    expect(firstLoaf).toContain('Oven spring');
    expect(firstLoaf).toContain('Starter notes');
    expect(nav('posts/second-try/index.html')).not.toContain('First loaf');
    expect(nav('posts/oven-spring/index.html')).toContain('First loaf');
  });

  it('a changed partial re-renders every page; touching a file without changing it changes nothing', async () => {
    const session = createSession();
    await rebuildAndCompare(session);

    await edit(path.join(tmp, 'templates/partials/footer.hbs'), 'Footer of', 'Partial changed: footer of');
    expect(await rebuildAndCompare(session)).toBe(true);
    for (const file of ['index.html', 'page/2/index.html', 'posts/first-loaf/index.html', 'tags/index.html', 'tags/bread/index.html', '404.html']) {
      expect(text(session.state.files, file), file).toContain('Partial changed: footer of');
    }

    const buildId = session.state.buildId;
    const files = session.state.files;
    const later = new Date(Date.now() + 5_000);
    for (const file of [post('2024-02-12-second-try.md'), path.join(tmp, 'templates/partials/footer.hbs'), path.join(tmp, 'public/hello.txt')]) {
      await fs.utimes(file, later, later);
    }
    expect(await rebuildAndCompare(session)).toBe(false);
    expect(session.state.buildId).toBe(buildId);
    expect(session.state.files).toBe(files);
  });

  it("an unchanged post's page follows its tags' counts and spellings (a theme showing them)", async () => {
    const builtin = await fs.readFile(path.join(repo, 'templates/post.hbs'), 'utf8');
    await fs.writeFile(path.join(tmp, 'templates/post.hbs'), `${builtin}\n<p class="tag-counts">{{#each post.tags}}[{{name}}:{{count}}]{{/each}}</p>\n`);
    const session = createSession();
    await rebuildAndCompare(session);
    expect(text(session.state.files, 'posts/first-loaf/index.html')).toContain('[bread:2][baking:3]');

    await fs.writeFile(post('2024-05-01-more-bread.md'), '---\ntitle: More bread\ndate: 2024-05-01\ntags: [BREAD]\n---\n\nAnother loaf.\n');
    await fs.writeFile(post('2024-05-02-even-more.md'), '---\ntitle: Even more\ndate: 2024-05-02\ntags: [BREAD]\n---\n\nAnd another.\n');
    await rebuildAndCompare(session);
    // first-loaf.md is unchanged; its tag is now spelled BREAD (the most used spelling) and counts 4 posts.
    expect(text(session.state.files, 'posts/first-loaf/index.html')).toContain('[BREAD:4][baking:3]');
  });

  it('a public file added, changed and removed again', async () => {
    const session = createSession();
    await rebuildAndCompare(session);

    await fs.writeFile(path.join(tmp, 'public/extra.txt'), 'one\n');
    expect(await rebuildAndCompare(session)).toBe(true);
    expect(text(session.state.files, 'extra.txt')).toBe('one\n');

    await fs.writeFile(path.join(tmp, 'public/extra.txt'), 'two\n');
    expect(await rebuildAndCompare(session)).toBe(true);
    expect(text(session.state.files, 'extra.txt')).toBe('two\n');

    await fs.rm(path.join(tmp, 'public/extra.txt'));
    expect(await rebuildAndCompare(session)).toBe(true);
    expect(session.state.files.has('extra.txt')).toBe(false);
  });

  it('the same body with and without a title from its heading', async () => {
    const session = createSession();
    const file = post('2024-04-25-heading-title.md');
    await fs.writeFile(file, '---\ndate: 2024-04-25\n---\n\n# Titled by heading\n\nBody under the heading.\n');
    await rebuildAndCompare(session);
    expect(text(session.state.files, 'posts/heading-title/index.html')).toContain('Titled by heading');

    // Same body, now with a title in the front matter: the heading is part of the body again.
    await fs.writeFile(file, '---\ntitle: Front matter title\ndate: 2024-04-25\n---\n\n# Titled by heading\n\nBody under the heading.\n');
    await rebuildAndCompare(session);
    await fs.writeFile(file, '---\ndate: 2024-04-25\n---\n\n# Titled by heading\n\nBody under the heading.\n');
    await rebuildAndCompare(session);
  });

  it('config changes: author, time zone, posts per page and base URL', async () => {
    const session = createSession();
    await rebuildAndCompare(session);
    const configFile = path.join(tmp, 'blogbuild.config.json');
    const config = JSON.parse(await fs.readFile(configFile, 'utf8'));

    await fs.writeFile(configFile, JSON.stringify({ ...config, author: 'Grace' }));
    await rebuildAndCompare(session);
    expect(text(session.state.files, 'posts/first-loaf/index.html')).toContain('Grace');

    await fs.writeFile(configFile, JSON.stringify({ ...config, author: 'Grace', timezone: 'Pacific/Kiritimati', postsPerPage: 3 }));
    await rebuildAndCompare(session);
    expect(session.state.files.has('page/2/index.html')).toBe(true);
    expect(session.state.files.has('page/3/index.html')).toBe(false);

    await fs.writeFile(configFile, JSON.stringify({ ...config, url: 'https://example.org/other/' }));
    await rebuildAndCompare(session);
    expect(text(session.state.files, 'posts/first-loaf/index.html')).toContain('href="/other/posts/second-try/"');
  });

  it('an error keeps the last good files; the fix is built from the state', async () => {
    const session = createSession();
    await rebuildAndCompare(session);
    const good = session.state.files;
    await edit(post('2024-02-12-second-try.md'), 'date: 2024-02-12', 'date: 2024-02-31');
    const failed = await session.rebuild();
    expect(failed.result.ok).toBe(false);
    expect(session.state.files).toBe(good);
    expect(session.state.errorText).toContain('second-try');

    await edit(post('2024-02-12-second-try.md'), 'date: 2024-02-31', 'date: 2024-02-13');
    expect(await rebuildAndCompare(session)).toBe(true);
    expect(session.state.errorText).toBeUndefined();
  });

  it('a post beyond a markdown limit is not rendered again while it is unchanged; once fixed it is', async () => {
    const configFile = path.join(tmp, 'blogbuild.config.json');
    const config = JSON.parse(await fs.readFile(configFile, 'utf8'));
    await fs.writeFile(configFile, JSON.stringify({ ...config, markdown: { limits: { maxDepth: 10 } } }));
    await fs.writeFile(post('2024-05-01-deep.md'), `---\ntitle: Deep\ndate: 2024-05-01\n---\n\n${'> '.repeat(20)}deep\n`);
    const state = createBuildState();
    const options = { root: tmp, writer: memoryWriter(), cache: false, state } as const;
    const first = await build(options);
    expect(first.diagnostics.filter((d) => d.code === 'MarkdownTooComplex')).toHaveLength(1);
    // The same failure again, from the state: the deep body is not rendered, nor is any other.
    const second = await build(options);
    expect(second.diagnostics.filter((d) => d.code === 'MarkdownTooComplex').map((d) => d.message)).toEqual(first.diagnostics.filter((d) => d.code === 'MarkdownTooComplex').map((d) => d.message));
    expect(second.stats.markdownRendered).toBe(0);

    await fs.writeFile(post('2024-05-01-deep.md'), '---\ntitle: Deep\ndate: 2024-05-01\n---\n\n> shallow now\n');
    const fixed = await build(options);
    expect(fixed.ok).toBe(true);
    expect(fixed.stats.markdownRendered).toBe(1);
  });

  it('scheduled posts are decided by each build, not remembered', async () => {
    const state = createBuildState();
    const buildAt = async (now: Date) => {
      const writer = memoryWriter();
      const result = await build({ root: tmp, writer, cache: false, now, state });
      expect(result.ok).toBe(true);
      expect(outputDifferences(writer.files, await cleanMemoryBuild(tmp, now))).toEqual([]);
      return writer.files;
    };
    expect((await buildAt(new Date('2024-04-01T00:00:00Z'))).has('posts/oven-spring/index.html')).toBe(false);
    const after = await buildAt(new Date('2024-05-01T00:00:00Z'));
    expect(after.has('posts/oven-spring/index.html')).toBe(true);
    expect(text(after, 'index.html')).toContain('Oven spring');
    expect((await buildAt(new Date('2024-04-01T00:00:00Z'))).has('posts/oven-spring/index.html')).toBe(false);
  });

  it('with the persistent cache: rebuilds equal clean builds, and the saved cache serves a cold build', async () => {
    const session = createSession({ cache: true });
    await rebuildAndCompare(session);
    await edit(post('2024-03-03-starter-notes.md'), 'Original paragraph about rye flour.', 'A paragraph about spelt.');
    await rebuildAndCompare(session);
    await fs.rename(post('2024-04-20-oven-spring.md'), post('2024-04-21-steam.md'));
    await rebuildAndCompare(session);
    await session.flush();

    const writer = memoryWriter();
    const cold = await build({ root: tmp, writer, cacheDir: path.join(tmp, '.cache') });
    expect(cold.ok).toBe(true);
    expect(cold.stats.markdownRendered).toBe(0);
    expect(cold.stats.markdownCached).toBe(4);
    expect(outputDifferences(writer.files, await cleanMemoryBuild(tmp))).toEqual([]);
  });
});
