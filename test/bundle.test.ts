/**
 * bin/blogbuild.js runs the bundle in lib/bundle/ (scripts/bundle.js; `npm test` builds it), and the bundle
 * builds what the unbundled code builds. A tiny module hook, loaded with `node --import`, records every ES module
 * the CLI loads (in worker threads too), so the tests see which files ran, with no timing involved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecordingLoads } from './helpers/record-loads.js';
import { build } from '../src/build.js';
import { memoryWriter } from '../src/output/writer.js';
// The benchmark's deterministic corpus generator.
import { generateSite } from '../scripts/bench.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundleDir = path.join(repo, 'lib', 'bundle');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-bundle-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The bundle files among `loaded`, relative to lib/bundle/. */
const bundleFiles = (loaded: string[]) => loaded.filter((file) => file.startsWith(bundleDir + path.sep)).map((file) => path.relative(bundleDir, file));
/** Does this bundle file hold micromark, i.e. the markdown pipeline? (rolldown marks each module with a `// path` line) */
const holdsMarkdown = (file: string) => /^\/\/ node_modules\/micromark\//m.test(fs.readFileSync(path.join(bundleDir, file), 'utf8'));
/** Does this bundle file hold parse5 (the HTML parser)? */
const holdsParse5 = (file: string) => /^\/\/ node_modules\/parse5\//m.test(fs.readFileSync(path.join(bundleDir, file), 'utf8'));
/** Does this bundle file hold zod (the config schema)? */
const holdsZod = (file: string) => /^\/\/ node_modules\/zod\//m.test(fs.readFileSync(path.join(bundleDir, file), 'utf8'));

describe('the bundled CLI', () => {
  const bin = path.join(repo, 'bin', 'blogbuild.js');
  let site: string;
  beforeAll(() => {
    // `npm test` bundles before vitest runs; without a bundle these tests would only test lib/ again.
    expect(fs.existsSync(path.join(bundleDir, 'cli.js')), 'lib/bundle/cli.js is missing: run `npm run build`').toBe(true);
    site = path.join(scratch, 'site');
    // 80 posts: enough for the default markdown worker pool (64 posts to render), so workers start.
    generateSite(site, 80, {});
    // An excerpt with a link relative to its post: list pages resolve it with the HTML parser, which the bundle
    // loads on demand (a one-file CommonJS bundle beside the chunks).
    const first = path.join(site, 'posts', fs.readdirSync(path.join(site, 'posts')).sort()[0]);
    const [, frontMatter, body] = /^(---\n[\s\S]*?\n---\n)([\s\S]*)$/.exec(fs.readFileSync(first, 'utf8'))!;
    // Without a description, list pages show the excerpt.
    fs.writeFileSync(first, `${frontMatter.replace(/^description:.*\n/m, '')}See [the other post](../other-post/) first.\n\n<!-- more -->\n\n${body}`);
  });

  it('is what bin/blogbuild.js runs, and loads nothing from lib/ or node_modules as ES modules', () => {
    const { code, stdout, loaded } = runRecordingLoads(bin, ['--version'], scratch);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(bundleFiles(loaded)).toContain('cli.js');
    expect(loaded.filter((file) => file !== bin && !file.startsWith(bundleDir + path.sep) && file !== hook)).toEqual([]);
  });

  it('builds a blog byte for byte as the unbundled code does, rendering markdown in the bundled worker', async () => {
    const { code, stderr, loaded } = runRecordingLoads(bin, ['build', '--quiet'], site);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const files = bundleFiles(loaded);
    expect(files.some(holdsMarkdown)).toBe(true);
    // The markdown pool starts one worker per spare core; each runs lib/bundle/pool-worker.js, not lib/markdown/.
    if (os.availableParallelism() > 1) expect(files).toContain('pool-worker.js');
    expect(loaded.filter((file) => file.startsWith(path.join(repo, 'lib') + path.sep) && !file.startsWith(bundleDir + path.sep))).toEqual([]);
    expect(loaded.filter((file) => file.includes(`${path.sep}node_modules${path.sep}`))).toEqual([]);

    const expected = memoryWriter();
    const result = await build({ root: site, writer: expected, cache: false });
    expect(result.ok).toBe(true);
    const dist = path.join(site, 'dist');
    const written = fs.readdirSync(dist, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(dist, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    // The file writer adds its marker (.blogbuild) to every output; the memory writer does not.
    expect(written.sort()).toEqual(['.blogbuild', ...expected.files.keys()].sort());
    expect(written.filter((file) => /^posts\/.+\/index\.html$/.test(file))).toHaveLength(80);
    for (const file of written.filter((name) => name !== '.blogbuild')) expect(fs.readFileSync(path.join(dist, file)).equals(Buffer.from(expected.files.get(file)!)), file).toBe(true);
    // The excerpt's relative link, resolved against its post on its list pages (its page of posts and its 4 tags').
    const lists = written.filter((file) => /^(?:page\/\d+\/|tags\/[^/]+\/)?index\.html$/.test(file)).map((file) => fs.readFileSync(path.join(dist, file), 'utf8'));
    expect(lists.filter((html) => html.includes('href="/blog/posts/other-post/"'))).toHaveLength(5);
    expect(lists.filter((html) => html.includes('href="../other-post/"'))).toEqual([]);
  });

  it('does not load the markdown chunk on a no-change rebuild, and does on a one-post edit', () => {
    const unchanged = runRecordingLoads(bin, ['build'], site);
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toMatch(/Built 80 posts/);
    const unchangedFiles = bundleFiles(unchanged.loaded);
    expect(unchangedFiles).toContain('cli.js');
    expect(unchangedFiles.filter(holdsMarkdown)).toEqual([]);
    // The config is the one validated by the previous build: zod is not loaded either.
    expect(unchangedFiles.filter(holdsZod)).toEqual([]);
    // Nor the HTML parser: nothing is parsed when no page or feed item is made.
    expect(unchangedFiles.filter(holdsParse5)).toEqual([]);

    const post = path.join(site, 'posts', fs.readdirSync(path.join(site, 'posts')).sort()[0]);
    fs.appendFileSync(post, '\nA sentence added by the bundle test.\n');
    const edited = runRecordingLoads(bin, ['build'], site);
    expect(edited.code).toBe(0);
    expect(bundleFiles(edited.loaded).some(holdsMarkdown)).toBe(true);
    const pages = fs.readdirSync(path.join(site, 'dist', 'posts')).map((slug) => fs.readFileSync(path.join(site, 'dist', 'posts', slug, 'index.html'), 'utf8'));
    expect(pages.filter((html) => html.includes('A sentence added by the bundle test.'))).toHaveLength(1);
  });
});

describe('bin/blogbuild.js without a usable bundle', () => {
  /** A copy of bin/ beside a lib/ whose cli/ is the real compiled one; `bundle` is written as lib/bundle/cli.js. */
  function installation(name: string, bundle?: string): string {
    const root = path.join(scratch, name);
    fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
    fs.mkdirSync(path.join(root, 'lib'), { recursive: true });
    fs.copyFileSync(path.join(repo, 'bin', 'blogbuild.js'), path.join(root, 'bin', 'blogbuild.js'));
    fs.writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
    fs.symlinkSync(path.join(repo, 'lib', 'cli'), path.join(root, 'lib', 'cli'), 'dir');
    if (bundle !== undefined) {
      fs.mkdirSync(path.join(root, 'lib', 'bundle'));
      fs.writeFileSync(path.join(root, 'lib', 'bundle', 'cli.js'), bundle);
    }
    return path.join(root, 'bin', 'blogbuild.js');
  }

  it('runs lib/cli/index.js when there is no lib/bundle/', () => {
    const { code, stdout, stderr, loaded } = runRecordingLoads(installation('no-bundle'), ['--version'], scratch);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(loaded).toContain(path.join(repo, 'lib', 'cli', 'index.js'));
    expect(bundleFiles(loaded)).toEqual([]);
  });

  it('says so and runs lib/cli/index.js when the bundle fails to load', () => {
    const { code, stdout, stderr, loaded } = runRecordingLoads(installation('broken-bundle', "import './missing-chunk.js';\n"), ['--version'], scratch);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(stderr).toMatch(/^blogbuild: cannot load lib\/bundle\/cli\.js \(.*missing-chunk\.js.*\); running lib\/cli\/index\.js instead\./);
    expect(loaded).toContain(path.join(repo, 'lib', 'cli', 'index.js'));
  });

  it('runs lib/cli/index.js when the bundle is older than lib/ (tsc ran after the last bundle)', () => {
    const bin = installation('stale-bundle', "export function main() { process.stdout.write('stale bundle\\n'); }\n");
    const old = new Date('2001-01-01T00:00:00Z');
    fs.utimesSync(path.join(scratch, 'stale-bundle', 'lib', 'bundle', 'cli.js'), old, old);
    const { code, stdout, stderr, loaded } = runRecordingLoads(bin, ['--version'], scratch);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(loaded).toContain(path.join(repo, 'lib', 'cli', 'index.js'));
    expect(bundleFiles(loaded)).toEqual([]);
  });
});
