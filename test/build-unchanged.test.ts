/**
 * The whole-build early exit (src/build-unchanged.ts): a build that finds nothing it reads changed since the last
 * successful build, and the output folder as that build left it, replays that build's report and writes nothing.
 * Every kind of change must defeat it, and the build after the change must give a clean (--no-cache) build's output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, type BuildOptions } from '../src/build.js';
import { buildSnapshots } from '../src/cache/build-snapshot.js';
import { refreshTree, type FileTree } from '../src/incremental/file-tree.js';
import { memoryWriter } from '../src/output/writer.js';
import { runRecordingLoads } from './helpers/record-loads.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(repo, 'test', 'fixtures', 'sites', 'extending');
const bin = path.join(repo, 'bin', 'blogbuild.js');
const bundleDir = path.join(repo, 'lib', 'bundle');
const NOW = new Date('2026-01-01T00:00:00Z');

let root: string;
const at = (...parts: string[]) => path.join(root, ...parts);

const config = (plugin = './plugins/remark-note.js') => `export default {
  title: 'Field Notes',
  url: 'https://field.example/',
  author: 'Mara',
  theme: './themes/paper',
  helpers: { shout: (text) => \`\${String(text).toUpperCase()}!\` },
  partials: { colophon: '<p class="colophon">Set in {{data.site.font}}</p>' },
  markdown: { remarkPlugins: ['${plugin}', 'remark-stamp'] },
};
`;
const plugin = (word: string) => `export default function remarkNote() {
  return (tree) => { tree.children.push({ type: 'paragraph', children: [{ type: 'text', value: '${word}' }] }); };
}
`;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-unchanged-'));
  fs.cpSync(fixture, root, { recursive: true });
  fs.writeFileSync(at('blogbuild.config.mjs'), config());
  fs.mkdirSync(at('plugins'));
  fs.writeFileSync(at('plugins', 'remark-note.js'), plugin('NOTE-ONE'));
  // A plugin from node_modules, named by its package's version.
  fs.mkdirSync(at('node_modules', 'remark-stamp'), { recursive: true });
  fs.writeFileSync(at('node_modules', 'remark-stamp', 'package.json'), '{ "name": "remark-stamp", "version": "1.0.0", "type": "module", "main": "index.js" }\n');
  fs.writeFileSync(at('node_modules', 'remark-stamp', 'index.js'), 'export default function remarkStamp() { return () => {}; }\n');
  // Two warnings (an unknown code language, a missing image), a scheduled post and a page.
  fs.writeFileSync(at('posts', '2024-07-01-code.md'), '---\ntitle: Code\ndate: 2024-07-01\ntags: [code]\n---\n\n```nosuchlanguage\nx\n```\n\n![gone](/missing.png)\n');
  fs.writeFileSync(at('posts', '2099-01-01-later.md'), '---\ntitle: Later\ndate: 2099-01-01\n---\n\nNot yet.\n');
  fs.mkdirSync(at('pages'));
  fs.writeFileSync(at('pages', 'about.md'), '---\ntitle: About\n---\n\nAbout this blog.\n');
  // Saved an hour ago: a file saved within the clock's tick of a build is checked by its bytes instead.
  const earlier = new Date(Date.now() - 3_600_000);
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) fs.utimesSync(path.join(entry.parentPath, entry.name), earlier, earlier);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const buildAt = (options: BuildOptions = {}) => build({ root, now: NOW, ...options });

/** Every file of the output folder but the marker, by path. */
function outputFiles(out = 'dist'): Map<string, Buffer> {
  const dir = at(out);
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === '.blogbuild') continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full));
  }
  return files;
}

/** The output folder equals what a --no-cache build in memory makes of the same sources and options. */
async function expectCleanOutput(options: BuildOptions = {}) {
  const clean = memoryWriter();
  const result = await buildAt({ ...options, cache: false, writer: clean });
  expect(result.ok).toBe(true);
  const files = outputFiles(options.out);
  expect([...files.keys()].sort()).toEqual([...clean.files.keys()].sort());
  for (const [file, bytes] of clean.files) expect(files.get(file)!.equals(Buffer.from(bytes)), file).toBe(true);
}

/** A build, then an unchanged one; `change`; a build that must do the work, with a clean build's output; then unchanged again. */
async function expectChangeSeen(change: () => void, options: BuildOptions = {}, after: BuildOptions = options) {
  expect((await buildAt(options)).ok).toBe(true);
  expect((await buildAt(options)).isUnchanged).toBe(true);
  change();
  const changed = await buildAt(after);
  expect(changed.ok).toBe(true);
  expect(changed.isUnchanged).toBeFalsy();
  await expectCleanOutput(after);
  expect((await buildAt(after)).isUnchanged).toBe(true);
}

describe('a build with nothing changed', () => {
  it('does nothing: no file of the output is touched, and the result is the last build\'s', async () => {
    const first = await buildAt();
    expect(first.ok).toBe(true);
    const stats = new Map([...outputFiles().keys()].map((file) => [file, fs.statSync(at('dist', file))]));
    const again = await buildAt();
    expect(again.isUnchanged).toBe(true);
    expect(again.ok).toBe(true);
    for (const [file, stat] of stats) expect(fs.statSync(at('dist', file)).mtimeMs, file).toBe(stat.mtimeMs);
    expect(again.diagnostics.map((d) => [d.code, d.message, d.loc?.file, d.loc?.line])).toEqual(first.diagnostics.map((d) => [d.code, d.message, d.loc?.file, d.loc?.line]));
    expect(again.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['CodeLanguageUnknown', 'ImageMissing']));
    expect(again.files).toEqual(first.files);
    expect(again.routes).toEqual(first.routes);
    expect({ ...again.stats, durationMs: 0, timings: {} }).toEqual({ ...first.stats, written: 0, unchanged: first.stats.files, markdownRendered: 0, markdownCached: first.stats.posts, markdownInWorkers: 0, postPagesEarly: 0, durationMs: 0, timings: {} });
    await expectCleanOutput();
  });

  it('is not taken with --no-cache, or when writing elsewhere than the output folder', async () => {
    await buildAt();
    expect((await buildAt({ cache: false })).isUnchanged).toBeFalsy();
    expect((await buildAt({ writer: memoryWriter() })).isUnchanged).toBeFalsy();
  });
});

describe('the record of the output', () => {
  /** The snapshot's record of the output folder, and the folder as a record made now by stat'ing it all. */
  function records() {
    const cacheDir = at('node_modules', '.cache', 'blogbuild');
    const snapshot = buildSnapshots(cacheDir, at('dist')).read();
    expect(snapshot).toBeDefined();
    // Racy entries (changed within a tick) carry a hash or a relisting mark depending on when the record was made.
    // Entries are compared by name, in any order.
    const plain = (tree: FileTree) => JSON.stringify(tree, (key, value: unknown) => {
      if (key === 'l') return undefined;
      if (Array.isArray(value)) return value.length === 5 && typeof value[4] === 'string' ? value.slice(0, 4) : value;
      return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value;
    });
    return { written: plain(snapshot!.output()!), now: plain(refreshTree([at('dist')]).tree) };
  }

  it('made by the writer from the stats it took, after an edit updated the output in place, is the folder as it is', async () => {
    expect((await buildAt()).ok).toBe(true);
    fs.appendFileSync(at('posts', '2024-06-01-first-walk.md'), '\nA line added.\n');
    const edited = await buildAt();
    expect(edited.stats.written).toBeGreaterThan(0);
    expect(edited.stats.written).toBeLessThan(10);
    const { written, now } = records();
    expect(written).toBe(now);
    expect(written).toContain('first-walk');
    expect((await buildAt()).isUnchanged).toBe(true);
    // A change that leaves every page as it was (a file saved again, the same bytes) is recorded too.
    const page = at('pages', 'about.md');
    fs.writeFileSync(page, fs.readFileSync(page));
    const same = await buildAt();
    expect(same.isUnchanged).toBeFalsy();
    expect(same.stats.written).toBe(0);
    expect(records().written).toBe(records().now);
    expect((await buildAt()).isUnchanged).toBe(true);
  });
});

describe('what defeats it, each followed by a clean build\'s output', () => {
  it('a post edited, added, removed or renamed', async () => {
    await expectChangeSeen(() => fs.appendFileSync(at('posts', '2024-06-01-first-walk.md'), '\nA line added.\n'));
    await expectChangeSeen(() => fs.writeFileSync(at('posts', '2024-08-01-new.md'), '---\ntitle: New\ndate: 2024-08-01\n---\n\nNew.\n'));
    await expectChangeSeen(() => fs.rmSync(at('posts', '2024-08-01-new.md')));
    await expectChangeSeen(() => fs.renameSync(at('posts', '2024-07-01-code.md'), at('posts', '2024-07-02-code.md')));
  });

  it('a same-size edit with the mtime set back', async () => {
    const post = at('posts', '2024-06-01-first-walk.md');
    expect((await buildAt()).ok).toBe(true);
    fs.appendFileSync(post, '\nAAAA\n');
    expect((await buildAt()).isUnchanged).toBeFalsy();
    const { mtime } = fs.statSync(post);
    fs.writeFileSync(post, fs.readFileSync(post, 'utf8').replace('AAAA', 'BBBB'));
    fs.utimesSync(post, mtime, mtime);
    expect((await buildAt()).isUnchanged).toBeFalsy();
    await expectCleanOutput();
  });

  it('a page, a data file, a template, a public file, a theme file', async () => {
    await expectChangeSeen(() => fs.appendFileSync(at('pages', 'about.md'), '\nMore.\n'));
    await expectChangeSeen(() => fs.writeFileSync(at('data', 'site.json'), '{ "font": "Palatino" }\n'));
    await expectChangeSeen(() => fs.writeFileSync(at('templates', 'partials', 'footer.hbs'), '<footer>Another footer</footer>\n'));
    await expectChangeSeen(() => fs.writeFileSync(at('public', 'badge.txt'), 'another badge\n'));
    await expectChangeSeen(() => fs.writeFileSync(at('public', 'new.txt'), 'new\n'));
    await expectChangeSeen(() => fs.appendFileSync(at('themes', 'paper', 'templates', 'assets', 'paper.css'), '\nbody { color: red; }\n'));
    await expectChangeSeen(() => fs.writeFileSync(at('themes', 'paper', 'public', 'humans.txt'), 'others\n'));
  });

  it('the config, a local plugin it names, and the version of a plugin package', async () => {
    await expectChangeSeen(() => fs.writeFileSync(at('blogbuild.config.mjs'), config().replace('Field Notes', 'Field Notes, Again')));
    await expectChangeSeen(() => fs.writeFileSync(at('plugins', 'remark-note.js'), plugin('NOTE-TWO')));
    await expectChangeSeen(() => fs.writeFileSync(at('node_modules', 'remark-stamp', 'package.json'), '{ "name": "remark-stamp", "version": "1.0.1", "type": "module", "main": "index.js" }\n'));
  });

  it('options that change the output: the URL, drafts, future posts, the output folder', async () => {
    await expectChangeSeen(() => undefined, {}, { url: 'https://elsewhere.example/notes/' });
    await expectChangeSeen(() => undefined, {}, { future: true });
    await expectChangeSeen(() => fs.writeFileSync(at('posts', '2024-09-01-draft.md'), '---\ntitle: Draft\ndate: 2024-09-01\ndraft: true\n---\n\nDraft.\n'), {}, { drafts: true });
    await expectChangeSeen(() => undefined, {}, { out: 'public-site' });
  });

  it('the date: a scheduled post whose time came, and a date before the newest published post', async () => {
    await expectChangeSeen(() => undefined, {}, { now: new Date('2099-01-02T00:00:00Z') });
    expect(outputFiles().has('posts/later/index.html')).toBe(true);
    await expectChangeSeen(() => undefined, { now: new Date('2099-01-02T00:00:00Z') }, { now: new Date('2024-06-15T00:00:00Z') });
    expect(outputFiles().has('posts/later/index.html')).toBe(false);
  });

  it('a stray, deleted or edited file in the output folder, which the build then handles as always', async () => {
    await expectChangeSeen(() => fs.writeFileSync(at('dist', 'stray.html'), 'stray'));
    await expectChangeSeen(() => fs.mkdirSync(at('dist', 'stray-folder')));
    await expectChangeSeen(() => fs.rmSync(at('dist', 'posts', 'first-walk', 'index.html')));
    await expectChangeSeen(() => fs.writeFileSync(at('dist', 'index.html'), 'edited by hand'));
  });

  it('a failed build leaves no snapshot a later build trusts', async () => {
    const post = at('posts', '2024-06-01-first-walk.md');
    const text = fs.readFileSync(post, 'utf8');
    expect((await buildAt()).ok).toBe(true);
    fs.writeFileSync(post, text.replace('date: 2024-06-01', 'date: 2024-13-01'));
    expect((await buildAt()).ok).toBe(false);
    // Back as it was, with its old mtime: the failed build removed the snapshot, so this build does the work.
    fs.writeFileSync(post, text);
    const earlier = new Date(Date.now() - 3_600_000);
    fs.utimesSync(post, earlier, earlier);
    const fixed = await buildAt();
    expect(fixed.ok).toBe(true);
    expect(fixed.isUnchanged).toBeFalsy();
    await expectCleanOutput();
  });
});

describe('blogbuild build with nothing changed', () => {
  /** Runs the CLI in the blog, recording every module it loads (ES modules by a load hook, CommonJS from require's cache). */
  function run(args: string[]) {
    const result = runRecordingLoads(bin, ['build', ...args], root);
    return { ...result, loaded: result.loaded.map((file) => path.basename(file)) };
  }

  // (A JS config is validated on every build, so zod is loaded here; a JSON config validated before is not.)
  it('prints what a real build prints and reports the same, and loads none of the markdown, template or YAML code', () => {
    expect(run([]).code).toBe(0);
    // A real build that finds every file unchanged (--no-cache neither reads nor writes the snapshot).
    const real = run(['--no-cache', '--report', 'json']);
    const replayed = run(['--report', 'json']);
    expect(replayed.code).toBe(real.code);
    const withoutTime = (text: string) => text.replace(/ in \d+ ms;/, ' in … ms;');
    expect(withoutTime(replayed.stderr)).toBe(withoutTime(real.stderr));
    expect(replayed.stderr).toMatch(/CodeLanguageUnknown[\s\S]*ImageMissing/);
    const report = (stdout: string) => ({ ...JSON.parse(stdout), timings: undefined });
    expect(report(replayed.stdout)).toEqual(report(real.stdout));
    expect(JSON.parse(replayed.stdout).timings).toHaveProperty('unchanged');

    const plain = run([]);
    expect(plain.stdout).toMatch(/^Built \d+ posts, 1 page, \d+ tag pages, \d+ files \(0 written, \d+ unchanged\) into dist\/ in \d+ ms; skipped 0 drafts and 1 scheduled\n$/);
    // Which bundle files hold which code: rolldown marks each module with a `// <path>` line.
    const holding = (pattern: RegExp) => new Set(fs.readdirSync(bundleDir).filter((file) => pattern.test(fs.readFileSync(path.join(bundleDir, file), 'utf8'))));
    const heavy = holding(/^\/\/ node_modules\/(?:unified|micromark|handlebars|js-yaml|gray-matter|parse5)\//m);
    const stages = holding(/^\/\/ lib\/(?:build|render\/render-pages|content\/load-posts)\.js$/m);
    expect(heavy.size).toBeGreaterThan(3);
    expect(stages.size).toBeGreaterThan(0);
    expect(plain.loaded.filter((file) => heavy.has(file) || stages.has(file))).toEqual([]);
    expect(plain.loaded).toContain('cli.js');
  });
});
