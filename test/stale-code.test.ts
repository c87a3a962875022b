// Cache keys cannot go stale: every key includes one hash of all of blogbuild's code (and its packages' versions),
// so a changed module anywhere, not only in a folder someone listed, makes the next cached build redo what it may
// change. Each case runs the CLI of a copy of the compiled package (the real lib/ is never edited), builds the
// example blog, rebuilds it unchanged, changes what `absoluteUrl` returns in the copy's compiled code, and checks
// that the next cached build writes exactly what a --no-cache build writes.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles, outputDifferences } from './helpers/build-fixture.js';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('..', import.meta.url));
let scratch: string;

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-stale-code-'));
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

/** A copy of the compiled package (bin, lib, templates, package.json) using the project's node_modules. */
async function copyPackage(name: string): Promise<string> {
  const pkg = path.join(scratch, name, 'blogbuild');
  for (const entry of ['bin', 'lib', 'templates', 'package.json']) await fs.cp(path.join(projectRoot, entry), path.join(pkg, entry), { recursive: true });
  await fs.symlink(path.join(projectRoot, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
  return pkg;
}

/** A copy of the example blog (its posts, public files and config). */
async function copyExampleBlog(name: string): Promise<string> {
  const blog = path.join(scratch, name, 'blog');
  for (const entry of ['posts', 'public', 'blogbuild.config.json']) await fs.cp(path.join(projectRoot, entry), path.join(blog, entry), { recursive: true });
  return blog;
}

/** Runs `blogbuild build` of the copied package in the blog; returns its summary line and the output files. */
async function buildWith(pkg: string, blog: string, out: string, flags: string[] = []): Promise<{ summary: string; files: Map<string, Uint8Array> }> {
  const { stdout, stderr } = await run(process.execPath, [path.join(pkg, 'bin', 'blogbuild.js'), 'build', '--out', out, ...flags], { cwd: blog });
  const dir = path.join(blog, out);
  const files = new Map<string, Uint8Array>();
  for (const file of await listFiles(dir)) files.set(file, await fs.readFile(path.join(dir, file)));
  return { summary: stdout + stderr, files };
}

/** Makes every absolute URL of the copy's `absoluteUrl` end up under `edited/`. */
async function editAbsoluteUrl(file: string): Promise<void> {
  const code = await fs.readFile(file, 'utf8');
  const edited = code.replace('return config.url ? config.url + relative', "return config.url ? config.url + 'edited/' + relative");
  expect(edited, `${file} has absoluteUrl's return statement`).not.toBe(code);
  await fs.writeFile(file, edited);
}

async function expectFreshOutputAfterEdit(pkg: string, blog: string, edit: () => Promise<void>): Promise<void> {
  const first = await buildWith(pkg, blog, 'dist');
  const unchanged = await buildWith(pkg, blog, 'dist');
  expect(unchanged.summary).toMatch(/\(0 written, \d+ unchanged\)/);
  expect(outputDifferences(unchanged.files, first.files)).toEqual([]);

  await edit();
  const cached = await buildWith(pkg, blog, 'dist');
  const clean = await buildWith(pkg, blog, 'dist-clean', ['--no-cache']);
  expect(outputDifferences(cached.files, clean.files)).toEqual([]);
  // The edit changed the output (canonical links, feed, sitemap), so the comparison above is not vacuous.
  const changed = outputDifferences(clean.files, first.files);
  expect(changed.length).toBeGreaterThan(10);
  expect(new TextDecoder().decode(clean.files.get('index.html'))).toContain('https://example.org/bakery/edited/');
}

describe('a changed compiled module outside render/ and markdown/', () => {
  it('unbundled (lib/site/urls.js): the next cached build equals a --no-cache build', { timeout: 180_000 }, async () => {
    const pkg = await copyPackage('unbundled');
    // Without the bundle, bin/blogbuild.js runs lib/cli/index.js, which imports lib/site/urls.js.
    await fs.rm(path.join(pkg, 'lib', 'bundle'), { recursive: true, force: true });
    const blog = await copyExampleBlog('unbundled');
    await expectFreshOutputAfterEdit(pkg, blog, () => editAbsoluteUrl(path.join(pkg, 'lib', 'site', 'urls.js')));
  });

  it('bundled (the chunk of lib/bundle/ holding absoluteUrl): the next cached build equals a --no-cache build', { timeout: 180_000 }, async () => {
    const pkg = await copyPackage('bundled');
    // bin runs the bundle when it is not older than lib/cli/index.js; the copy's times are the copying order's.
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(pkg, 'lib', 'bundle', 'cli.js'), later, later);
    const blog = await copyExampleBlog('bundled');
    const bundleDir = path.join(pkg, 'lib', 'bundle');
    const chunks = await fs.readdir(bundleDir);
    const holders = [];
    for (const chunk of chunks) if ((await fs.readFile(path.join(bundleDir, chunk), 'utf8')).includes('function absoluteUrl(')) holders.push(chunk);
    expect(holders).toHaveLength(1);
    await expectFreshOutputAfterEdit(pkg, blog, () => editAbsoluteUrl(path.join(bundleDir, holders[0]!)));
  });
});
