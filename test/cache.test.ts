import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../src/build.js';
import { memoryWriter, type MemoryWriter } from '../src/output/writer.js';
import { pastRacyWindow } from './helpers/build-fixture.js';

const fixture = fileURLToPath(new URL('./fixtures/cache-site/', import.meta.url));
const builtInPostTemplate = fileURLToPath(new URL('../templates/post.hbs', import.meta.url));
const NOW = new Date('2026-01-01T00:00:00Z');

let root: string;
let cacheDir: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-cache-'));
  await fs.cp(fixture, root, { recursive: true });
  // Posts saved an hour ago: one saved just before a build is not trusted by stat (see the racily clean test).
  const earlier = new Date(Date.now() - 3_600_000);
  for (const name of await fs.readdir(path.join(root, 'posts'))) await fs.utimes(path.join(root, 'posts', name), earlier, earlier);
  await pastRacyWindow();
  cacheDir = path.join(root, 'node_modules', '.cache', 'blogbuild');
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function buildMemory(options: Omit<BuildOptions, 'root' | 'writer' | 'now'> = {}) {
  const writer = memoryWriter();
  const result = await build({ root, now: NOW, writer, ...options });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok).toBe(true);
  return { result, writer };
}

/** The one file of the cache folder whose bytes contain `text` (tests do not depend on how the cache names its files). */
async function cacheFileContaining(text: string): Promise<string> {
  const found: string[] = [];
  for (const name of await fs.readdir(cacheDir)) {
    if ((await fs.readFile(path.join(cacheDir, name))).includes(text)) found.push(path.join(cacheDir, name));
  }
  expect(found, `cache files containing ${text}`).toHaveLength(1);
  return found[0]!;
}

/** The cache files whose bytes contain `text`, at least one (a namespace is split into several files by key). */
async function cacheFilesContaining(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await fs.readdir(cacheDir)) if ((await fs.readFile(path.join(cacheDir, name))).includes(text)) found.push(path.join(cacheDir, name));
  expect(found.length, `cache files containing ${text}`).toBeGreaterThan(0);
  return found;
}

/** The files holding rendered markdown (a table's <thead>, which no markdown source holds), at least one. */
async function markdownCacheFiles(): Promise<string[]> {
  const found: string[] = [];
  for (const name of await fs.readdir(cacheDir)) if ((await fs.readFile(path.join(cacheDir, name))).includes('<thead>')) found.push(path.join(cacheDir, name));
  expect(found.length).toBeGreaterThan(0);
  return found;
}

function expectSameOutput(a: MemoryWriter, b: MemoryWriter) {
  expect([...b.files.keys()].sort()).toEqual([...a.files.keys()].sort());
  for (const [file, bytes] of a.files) expect(Buffer.from(b.files.get(file)!).equals(Buffer.from(bytes)), file).toBe(true);
}

const postCount = 6;

describe('persistent markdown cache', () => {
  it('is written at node_modules/.cache/blogbuild by default, and a no-change rebuild parses no markdown and gives byte-identical output', async () => {
    const cold = await buildMemory();
    expect(cold.result.stats.markdownRendered).toBe(postCount);
    expect(cold.result.stats.markdownCached).toBe(0);
    // Rendered HTML (a table's <thead>, which no markdown source holds) is in the cache folder.
    await markdownCacheFiles();

    const warm = await buildMemory();
    expect(warm.result.stats.markdownRendered).toBe(0);
    expect(warm.result.stats.markdownCached).toBe(postCount);
    expectSameOutput(cold.writer, warm.writer);

    const uncached = await buildMemory({ cache: false });
    expect(uncached.result.stats.markdownRendered).toBe(postCount);
    expectSameOutput(cold.writer, uncached.writer);
  });

  it('does not touch the cache with cache: false (--no-cache)', async () => {
    await buildMemory({ cache: false });
    await expect(fs.stat(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('honours cacheDir, relative to the root', async () => {
    await buildMemory({ cacheDir: '.my-cache' });
    expect((await fs.readdir(path.join(root, '.my-cache'))).length).toBeGreaterThan(0);
    await expect(fs.stat(cacheDir)).rejects.toMatchObject({ code: 'ENOENT' });
    const warm = await buildMemory({ cacheDir: '.my-cache' });
    expect(warm.result.stats.markdownCached).toBe(postCount);
  });

  it('ignores a truncated cache file, renders again and gives the same output', async () => {
    const cold = await buildMemory();
    await markdownCacheFiles();
    // Every cache file, so that no post's markdown is left (the cache splits a namespace into files by key).
    for (const name of await fs.readdir(cacheDir)) {
      const bytes = await fs.readFile(path.join(cacheDir, name));
      await fs.writeFile(path.join(cacheDir, name), bytes.subarray(0, Math.floor(bytes.length / 2)));
    }

    const rebuilt = await buildMemory();
    expect(rebuilt.result.stats.markdownCached).toBe(0);
    expect(rebuilt.result.stats.markdownRendered).toBe(postCount);
    expectSameOutput(cold.writer, rebuilt.writer);
    // The broken file was replaced by a good one.
    expect((await buildMemory()).result.stats.markdownCached).toBe(postCount);
  });

  it('ignores a cache file corrupted in place (same length, wrong bytes), never serving the corrupted HTML', async () => {
    const cold = await buildMemory();
    for (const file of await cacheFilesContaining('Inline HTML link')) {
      const text = await fs.readFile(file, 'latin1');
      // Damage the HTML of a cached post while keeping the JSON valid and the length the same.
      await fs.writeFile(file, text.replace('Inline HTML link', 'Inline HTML lonk'), 'latin1');
    }

    const rebuilt = await buildMemory();
    // The damaged file is ignored as a whole: its posts (the raw-html one among them) are rendered again.
    expect(rebuilt.result.stats.markdownRendered).toBeGreaterThan(0);
    expect(rebuilt.writer.read('posts/raw-html/index.html')).toContain('Inline HTML link');
    expectSameOutput(cold.writer, rebuilt.writer);
  });

  it('ignores cache files that are not cache files at all', async () => {
    await buildMemory();
    for (const name of await fs.readdir(cacheDir)) await fs.writeFile(path.join(cacheDir, name), '{"entries": {}}');
    const result = await buildMemory();
    expect(result.result.stats.markdownRendered).toBe(postCount);
  });

  it('re-renders only the edited post', async () => {
    await buildMemory();
    const post = path.join(root, 'posts', '2024-04-20-long.md');
    await fs.appendFile(post, '\nAn edited paragraph.\n');
    const edited = await buildMemory();
    expect(edited.result.stats.markdownRendered).toBe(1);
    expect(edited.result.stats.markdownCached).toBe(postCount - 1);
    expect(edited.writer.read('posts/long/index.html')).toContain('An edited paragraph.');
    const uncached = await buildMemory({ cache: false });
    expectSameOutput(uncached.writer, edited.writer);
  });

  it('rewrites only the cache files holding what an edit changed, and the next build finds every post cached', async () => {
    await buildMemory();
    const files = async () => new Map(await Promise.all((await fs.readdir(cacheDir)).map(async (name) => [name, (await fs.stat(path.join(cacheDir, name))).ino] as const)));
    const before = await files();
    // The markdown cache's files (a post's HTML in one of 16, by a hash of its key): an edit that rewrote them all
    // would not be incremental. (Which file holds which post changes with the code: any file of them counts.)
    const withHtml = [...before.keys()].filter((name) => name.startsWith('markdown.'));
    expect(withHtml.length).toBeGreaterThan(2);
    await fs.appendFile(path.join(root, 'posts', '2024-04-20-long.md'), '\nAn edited paragraph.\n');
    const edited = await buildMemory();
    expect(edited.result.stats.markdownRendered).toBe(1);
    const after = await files();
    // Files written again get a new inode (an atomic rename): the rendered HTML of other posts stays where it was.
    expect(withHtml.filter((name) => after.get(name) === before.get(name)).length).toBeGreaterThan(0);
    expect([...after.keys()].filter((name) => after.get(name) !== before.get(name)).length).toBeLessThan(after.size / 2);
    expect((await buildMemory()).result.stats.markdownCached).toBe(postCount);
  });

  it('serves no stale pages when a template changes: pages are rendered again from the cached markdown', async () => {
    const before = await buildMemory();
    expect(before.writer.read('posts/tables/index.html')).not.toContain('data-changed-template');
    await fs.mkdir(path.join(root, 'templates'), { recursive: true });
    const template = await fs.readFile(builtInPostTemplate, 'utf8');
    await fs.writeFile(path.join(root, 'templates', 'post.hbs'), `<p data-changed-template>changed</p>\n${template}`);

    const after = await buildMemory();
    expect(after.result.stats.markdownCached).toBe(postCount);
    for (const slug of ['tables', 'code', 'raw-html', 'long']) {
      const { document } = parseHTML(after.writer.read(`posts/${slug}/index.html`)!);
      expect(document.querySelector('[data-changed-template]')?.textContent, slug).toBe('changed');
    }
    const uncached = await buildMemory({ cache: false });
    expectSameOutput(uncached.writer, after.writer);
  });

  it('misses when markdown-relevant config changes: a new base path rewrites root-relative links in post bodies', async () => {
    const root1 = await buildMemory();
    const link = (writer: MemoryWriter) => {
      const { document } = parseHTML(writer.read('posts/tables/index.html')!);
      return [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')).find((href) => href?.includes('posts/raw-html'));
    };
    expect(link(root1.writer)).toBe('/posts/raw-html/');
    const sub = await buildMemory({ url: 'https://example.org/blog/' });
    expect(sub.result.stats.markdownCached).toBe(0);
    expect(link(sub.writer)).toBe('/blog/posts/raw-html/');
  });

  it('keeps unchanged files (same inode and mtime) on a no-change rebuild with the file writer', async () => {
    const first = await build({ root, now: NOW });
    expect(first.ok).toBe(true);
    const page = path.join(root, 'dist', 'posts', 'tables', 'index.html');
    const before = await fs.stat(page);
    const second = await build({ root, now: NOW });
    expect(second.ok).toBe(true);
    expect(second.stats.written).toBe(0);
    expect(second.stats.unchanged).toBe(second.stats.files);
    const after = await fs.stat(page);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });
});

describe('blogbuild build --no-cache and blogbuild clean', () => {
  const bin = fileURLToPath(new URL('../bin/blogbuild.js', import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1' } });

  it('--no-cache builds without creating the cache; clean removes the cache a build made', () => {
    const uncached = run('build', '--quiet', '--no-cache');
    expect(uncached.status, uncached.stderr).toBe(0);
    expect(existsSync(path.join(root, 'dist', 'posts', 'tables', 'index.html'))).toBe(true);
    expect(existsSync(cacheDir)).toBe(false);

    const cached = run('build', '--quiet');
    expect(cached.status, cached.stderr).toBe(0);
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);

    const clean = run('clean');
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('Removed the build cache');
    expect(existsSync(cacheDir)).toBe(false);
    // The site itself is left alone.
    expect(existsSync(path.join(root, 'dist', 'posts', 'tables', 'index.html'))).toBe(true);
  });
});

describe('precompiled templates across processes', () => {
  const bin = fileURLToPath(new URL('../bin/blogbuild.js', import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1', NO_COLOR: '1' } });

  /**
   * The keys of the precompiled templates in the cache: each is stored as its JavaScript (a JSON string starting
   * `{"`, whose code names Handlebars' `compiler` version) by a hash of the template's source.
   */
  const templateCodeKeys = async () => {
    const keys = new Set<string>();
    for (const file of await cacheFilesContaining('\\"compiler\\":[')) {
      for (const [, key] of (await fs.readFile(file, 'utf8')).matchAll(/"([0-9a-f]{40})":"\{\\"/g)) keys.add(key!);
    }
    return keys;
  };

  it('an edit after a cold build revives every template the cold build compiled: none is compiled again', async () => {
    // Separate processes, as a user runs them: Handlebars' precompile added fields to the options it was given, so
    // the key of a template compiled after the first one in a process was not the key a later process looked for.
    expect(run('build', '--quiet').status).toBe(0);
    const cold = await templateCodeKeys();
    expect(cold.size).toBeGreaterThan(5);
    for (const round of [1, 2]) {
      await fs.appendFile(path.join(root, 'posts', '2024-04-20-long.md'), `\nEdit number ${round}.\n`);
      const edited = run('build', '--quiet');
      expect(edited.status, edited.stderr).toBe(0);
      const keys = await templateCodeKeys();
      // The edit renders the post's page and the lists that show it: their templates all come from the cache.
      expect(keys.size).toBeGreaterThan(0);
      expect([...keys].filter((key) => !cold.has(key)), `templates compiled again by edit ${round}`).toEqual([]);
    }
    expect(await fs.readFile(path.join(root, 'dist', 'posts', 'long', 'index.html'), 'utf8')).toContain('Edit number 2.');
    expect(run('build', '--quiet', '--no-cache', '--out', 'clean').status).toBe(0);
    for (const file of readdirSync(path.join(root, 'clean'), { recursive: true, encoding: 'utf8' })) {
      if ((await fs.stat(path.join(root, 'clean', file))).isFile()) expect(await fs.readFile(path.join(root, 'dist', file), 'utf8'), file).toBe(await fs.readFile(path.join(root, 'clean', file), 'utf8'));
    }
  });
});

describe('persistent post cache (posts by source stat) and verified templates', () => {
  // The file holding loaded posts (their JSON has a relPath), whatever the cache calls it.
  const postsCache = () => cacheFilesContaining('"relPath"');
  const longPost = () => path.join(root, 'posts', '2024-04-20-long.md');

  it('sees a same-size copy that set the old mtime back (cp -p, rsync -t): the ctime changed, so the post is read again', async () => {
    const file = longPost();
    // A whole-second mtime, which utimes can set again exactly.
    await fs.utimes(file, 1_700_000_000, 1_700_000_000);
    const first = await buildMemory();
    await postsCache();
    const stat = await fs.stat(file);
    const text = await fs.readFile(file, 'utf8');
    const changed = text.replace('title: A longer post', 'title: B longer post');
    expect(changed).not.toBe(text);
    expect(Buffer.byteLength(changed)).toBe(stat.size);
    // What `cp -p new.md 2024-04-20-long.md` does: the bytes written into the same inode, then the old times set.
    await fs.writeFile(file, changed);
    await fs.utimes(file, 1_700_000_000, 1_700_000_000);
    const restat = await fs.stat(file);
    expect([restat.size, restat.mtimeMs, restat.ino]).toEqual([stat.size, stat.mtimeMs, stat.ino]);
    expect(restat.ctimeMs).not.toBe(stat.ctimeMs);
    // Long enough after the copy that its stat is trusted (a racy one would be read again whatever its key).
    await pastRacyWindow();
    const copied = await buildMemory();
    expect(copied.writer.read('posts/long/index.html')).toContain('B longer post');
    expectSameOutput((await buildMemory({ cache: false })).writer, copied.writer);
    // An unchanged stat is trusted: the next build reads the post from the cache and gives the same output.
    const again = await buildMemory();
    expectSameOutput(copied.writer, again.writer);
  });

  it('sees a same-size edit that kept the stat of a source read within its mtime tick (racily clean sources are not trusted)', async () => {
    const file = longPost();
    // An mtime the build cannot tell from its own moment (here: a minute ahead, as with a skewed clock), in ms.
    const tick = new Date(Math.floor(Date.now() / 1000) * 1000 + 60_123);
    await fs.utimes(file, tick, tick);
    const first = await buildMemory();
    expect(first.writer.read('posts/long/index.html')).toContain('A longer post');
    const stat = await fs.stat(file);
    const text = await fs.readFile(file, 'utf8');
    const changed = text.replace('title: A longer post', 'title: B longer post');
    expect(changed).not.toBe(text);
    await fs.writeFile(file, changed);
    await fs.utimes(file, tick, tick);
    const restat = await fs.stat(file);
    expect([restat.size, restat.mtimeMs, restat.ino]).toEqual([stat.size, stat.mtimeMs, stat.ino]);
    // The same stat as the version the first build read, but the first build did not trust it: read again.
    const second = await buildMemory();
    expect(second.writer.read('posts/long/index.html')).toContain('B longer post');
    expectSameOutput((await buildMemory({ cache: false })).writer, second.writer);
  });

  it('loads an edited front matter again, and gives the output of a clean build', async () => {
    await buildMemory();
    const file = longPost();
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace(/^title: .*$/m, 'title: "A brand new title ✓"'));
    const edited = await buildMemory();
    const { document } = parseHTML(edited.writer.read('posts/long/index.html')!);
    expect(document.querySelector('h1')?.textContent).toContain('A brand new title ✓');
    expectSameOutput((await buildMemory({ cache: false })).writer, edited.writer);
  });

  it('ignores a corrupted post cache file and gives the output of a clean build', async () => {
    await buildMemory();
    for (const file of await postsCache()) {
      const bytes = await fs.readFile(file);
      bytes[bytes.length - 10] ^= 0x55;
      await fs.writeFile(file, bytes);
    }
    const after = await buildMemory();
    expectSameOutput((await buildMemory({ cache: false })).writer, after.writer);
  });

  it('keeps front matter JSON cannot carry (NaN, -0) exact: such posts are parsed again', async () => {
    await fs.writeFile(path.join(root, 'posts', '2024-06-01-odd.md'), '---\ntitle: Odd\ndate: 2024-06-01\nrating: .nan\nneg: -0\nmeta: {a: [1, 2], b: "ü"}\n---\nBody.\n');
    await buildMemory();
    const warm = await buildMemory();
    expectSameOutput((await buildMemory({ cache: false })).writer, warm.writer);
  });

  it('reports a template syntax error made after a build with verified templates, and writes nothing', async () => {
    await fs.mkdir(path.join(root, 'templates'), { recursive: true });
    const template = await fs.readFile(builtInPostTemplate, 'utf8');
    await fs.writeFile(path.join(root, 'templates', 'post.hbs'), template);
    await buildMemory();
    await buildMemory();
    await fs.writeFile(path.join(root, 'templates', 'post.hbs'), `${template}\n{{#if}}broken\n`);
    const writer = memoryWriter();
    const result = await build({ root, now: NOW, writer });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toContain('TemplateSyntax');
    expect(writer.files.size).toBe(0);
  });

  it('revives templates precompiled by an earlier build, and ignores a tampered file of them', async () => {
    await buildMemory();

    // Pages rendered by a later build come from the stored JavaScript: the same bytes as a build compiling anew.
    const post = path.join(root, 'posts', '2024-04-20-long.md');
    await fs.appendFile(post, '\nAn edited paragraph.\n');
    const revived = await buildMemory();
    const uncached = await buildMemory({ cache: false });
    expectSameOutput(uncached.writer, revived.writer);

    // Valid JavaScript that renders something else, but the checksum no longer matches: never run. (The cache files
    // holding the precompiled templates, whatever they are called: Handlebars' code mentions <article.)
    for (const file of await cacheFilesContaining('<article')) {
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, text.replace(/<article/g, '<section data-tampered'));
    }
    await fs.appendFile(post, '\nAnother edit.\n');
    const afterTamper = await buildMemory();
    expect(afterTamper.writer.read('posts/long/index.html')).not.toContain('data-tampered');
    expectSameOutput((await buildMemory({ cache: false })).writer, afterTamper.writer);
  });

  it('validates a config once: an unchanged config is taken as validated, a changed or tampered one is validated again', async () => {
    const configFile = path.join(root, 'blogbuild.config.json');
    const config = JSON.parse(await fs.readFile(configFile, 'utf8')) as Record<string, unknown>;
    await buildMemory();

    // A changed setting is seen at once.
    await fs.writeFile(configFile, JSON.stringify({ ...config, title: 'Renamed Blog' }));
    const renamed = await buildMemory();
    expect(renamed.result.config?.title).toBe('Renamed Blog');
    expect(renamed.writer.read('index.html')).toContain('Renamed Blog');

    // A file whose settings were changed behind the checksum's back is ignored: the config is validated again.
    const stored = await cacheFileContaining('"Renamed Blog"');
    const text = await fs.readFile(stored, 'utf8');
    await fs.writeFile(stored, text.replace('"Renamed Blog"', '"Tampered Blog"'));
    const again = await buildMemory();
    expect(again.result.config?.title).toBe('Renamed Blog');

    // An invalid config is still reported after a valid one was remembered.
    await fs.writeFile(configFile, JSON.stringify({ ...config, postsPerPage: 0 }));
    const invalid = await build({ root, now: NOW, writer: memoryWriter() });
    expect(invalid.ok).toBe(false);
    expect(invalid.diagnostics.map((d) => d.code)).toContain('ConfigInvalid');
  });
});

describe('posts read as bytes', () => {
  it('a post saved with a byte-order mark and CRLF lines builds the same cold, warm, from the cache file and with --no-cache', async () => {
    const text = '---\r\ntitle: "Crème brûlée 🍮"\r\ndate: 2024-06-01\r\ntags: [café]\r\n---\r\n# Crème brûlée 🍮\r\n\r\nSugar, *cream* and 🍮.\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n';
    await fs.writeFile(path.join(root, 'posts', '2024-06-01-creme.md'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const cold = await buildMemory();
    const page = parseHTML(cold.writer.read('posts/creme-brulee/index.html') ?? cold.writer.read('posts/creme/index.html')!).document;
    // The mark is not part of the front matter's first line: the title is read, and the `# …` heading that repeats it is dropped.
    expect(page.querySelector('h1')?.textContent).toBe('Crème brûlée 🍮');
    expect(page.querySelectorAll('h1')).toHaveLength(1);
    expect(page.querySelector('article em')?.textContent).toBe('cream');
    expect(page.querySelectorAll('article table td')).toHaveLength(2);
    const warm = await buildMemory();
    expectSameOutput(cold.writer, warm.writer);
    expect(warm.result.stats.markdownRendered).toBe(0);
    const uncached = await buildMemory({ cache: false });
    expectSameOutput(cold.writer, uncached.writer);
  });
});

describe('the output after an edit', () => {
  it('with the file writer, a cache folder damaged in place is ignored: only the file edited by hand is written, and the output is a clean build\'s', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    expect((await build({ root, now: NOW })).stats.written).toBe(0);
    // One byte changed in the middle of every cache file (page hashes, route keys, the output's manifest and the rest).
    for (const name of await fs.readdir(cacheDir)) {
      const bytes = await fs.readFile(path.join(cacheDir, name));
      bytes[bytes.length >> 1] ^= 0x20;
      await fs.writeFile(path.join(cacheDir, name), bytes);
    }
    await fs.appendFile(path.join(root, 'dist', 'posts', 'tables', 'index.html'), '<!-- edited by hand -->');
    const rebuilt = await build({ root, now: NOW });
    expect(rebuilt.ok).toBe(true);
    expect(rebuilt.stats.written).toBe(1);
    const writer = memoryWriter();
    expect((await build({ root, now: NOW, cache: false, writer })).ok).toBe(true);
    for (const [rel, bytes] of writer.files) expect(await fs.readFile(path.join(root, 'dist', rel)), rel).toEqual(Buffer.from(bytes));
  });

  it('a build after a one-post edit leaves the next no-change build nothing to write, and the output is a clean build\'s', async () => {
    expect((await build({ root, now: NOW })).ok).toBe(true);
    // The cold build loaded every post from its text; the second revives them all from the post cache.
    const revived = await build({ root, now: NOW });
    expect(revived.ok).toBe(true);
    expect(revived.stats.written).toBe(0);
    const file = path.join(root, 'posts', '2024-04-20-long.md');
    await fs.appendFile(file, '\nOne more sentence.\n');
    const earlier = new Date(Date.now() - 60_000);
    await fs.utimes(file, earlier, earlier);
    const edited = await build({ root, now: NOW });
    expect(edited.ok).toBe(true);
    expect(edited.stats.written).toBeGreaterThan(0);
    const unchanged = await build({ root, now: NOW });
    expect(unchanged.stats.written).toBe(0);
    expect(unchanged.stats.unchanged).toBe(unchanged.stats.files);
    const writer = memoryWriter();
    expect((await build({ root, now: NOW, cache: false, writer })).ok).toBe(true);
    for (const [rel, bytes] of writer.files) expect(await fs.readFile(path.join(root, 'dist', rel)), rel).toEqual(Buffer.from(bytes));
  });
});
