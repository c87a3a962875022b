/**
 * One test per broken site in test/fixtures/invalid/<case>/: the CLI is spawned on a copy of the site and must
 * print every expected diagnostic (compiler style, `path:line:col: error: … [Code]` plus a hint), exit with the
 * expected code, print no stack trace, and write nothing.
 *
 * expected.json: { exitCode, stderrIncludes: string[], stderrExcludes?: string[], inOrder?: boolean, args?: string[], unreadable?: string[] }
 * Requires lib/ to be compiled (`npm test` runs tsc first).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSite } from '../scripts/bench.js';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'blogbuild.js');
const fixtures = path.join(repo, 'test', 'fixtures', 'invalid');

interface Expected {
  exitCode: number;
  stderrIncludes: string[];
  stderrExcludes?: string[];
  /** The stderrIncludes strings appear in this order. */
  inOrder?: boolean;
  args?: string[];
  /**
   * Files of the site the build must not be able to read (mode 000). Root reads them anyway, so as root the build runs
   * as the user `nobody`. Windows has no such file modes: these cases are skipped there.
   */
  unreadable?: string[];
}

const isRoot = process.getuid?.() === 0;
/** The user a build of a site with unreadable files runs as, when the tests run as root. */
const nobody = 65534;
/**
 * As root, whether `nobody` can run this checkout's CLI at all: a clone inside a private folder (mktemp -d makes
 * them 0700, as the fresh-clone check does) is out of nobody's reach, and then the unreadable-file cases cannot run.
 */
const canRunAsNobody = !isRoot || spawnSync(process.execPath, [bin, '--version'], { uid: nobody, gid: nobody }).status === 0;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-invalid-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Copies a fixture site into a fresh temp folder (without expected.json) and returns its path. */
function copySite(name: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true, filter: (src) => path.basename(src) !== 'expected.json' });
  return dir;
}

function runBuild(cwd: string, args: string[] = [], asUser?: number) {
  const result = spawnSync(process.execPath, [bin, 'build', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1' },
    ...(asUser === undefined ? {} : { uid: asUser, gid: asUser }),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cases = fs
  .readdirSync(fixtures, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('invalid sites', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of cases) {
    const expected = JSON.parse(fs.readFileSync(path.join(fixtures, name, 'expected.json'), 'utf8')) as Expected;
    it.skipIf(expected.unreadable && (process.platform === 'win32' || !canRunAsNobody))(name, () => {
      const site = copySite(name);
      const asUser = expected.unreadable && isRoot ? lockAway(site, expected.unreadable) : undefined;
      if (expected.unreadable && !isRoot) for (const file of expected.unreadable) fs.chmodSync(path.join(site, file), 0o000);
      const { code, stdout, stderr } = runBuild(site, expected.args, asUser);
      for (const file of expected.unreadable ?? []) fs.chmodSync(path.join(site, file), 0o644);

      expect(code, stderr).toBe(expected.exitCode);
      expect(stdout).toBe('');
      for (const text of expected.stderrIncludes) expect(stderr).toContain(text);
      for (const text of expected.stderrExcludes ?? []) expect(stderr).not.toContain(text);
      if (expected.inOrder) {
        const positions = expected.stderrIncludes.map((text) => stderr.indexOf(text));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      }

      // Every error is one compiler-style diagnostic with a code and a hint; the summary counts them.
      const headers = stderr.split('\n').filter((line) => /^\S.*\berror: .* \[[A-Z][A-Za-z]+\]$/.test(line));
      expect(headers.length).toBeGreaterThan(0);
      for (const header of headers) expect(header).toMatch(/^[^\s:][^:]*(:\d+:\d+)?: error: /);
      expect(stderr.match(/^ {2}hint: \S/gm)?.length).toBe(headers.length);
      expect(stderr).toContain(`${headers.length} error${headers.length === 1 ? '' : 's'}; nothing was written\n`);

      // No stack traces, no colour, no absolute paths of the temp copy.
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(stderr).not.toContain('\x1b[');
      expect(stderr).not.toContain(site);

      // Nothing written: no output folder and no staging folder beside it, and a folder of the user's own untouched.
      expect(fs.existsSync(path.join(site, 'dist'))).toBe(false);
      expect(fs.readdirSync(site).filter((entry) => entry.includes('blogbuild-'))).toEqual([]);
      const fixture = path.join(fixtures, name);
      for (const file of fs.readdirSync(fixture, { recursive: true }) as string[]) {
        const source = path.join(fixture, file);
        if (fs.statSync(source).isFile() && file !== 'expected.json') expect(fs.readFileSync(path.join(site, file)).equals(fs.readFileSync(source)), file).toBe(true);
      }
    });
  }
});

describe('a failing build keeps the previous output', () => {
  it('leaves dist/ byte-identical with unchanged mtimes and no temp folders', () => {
    const site = path.join(scratch, 'keep-previous');
    fs.cpSync(path.join(fixtures, 'many-errors'), site, { recursive: true, filter: (src) => path.basename(src) !== 'expected.json' });
    // Make the site good: keep only the first post and the default templates.
    for (const entry of fs.readdirSync(path.join(site, 'posts'))) {
      if (entry !== '2024-01-01-welcome.md') fs.rmSync(path.join(site, 'posts', entry), { recursive: true });
    }
    fs.rmSync(path.join(site, 'templates'), { recursive: true });

    const good = runBuild(site);
    expect(good.code, good.stderr).toBe(0);
    const dist = path.join(site, 'dist');
    const snapshot = readTree(dist);
    expect(Object.keys(snapshot)).toContain('posts/welcome/index.html');
    expect(Object.keys(snapshot)).toContain('index.html');

    // Break the post and build again.
    const post = path.join(site, 'posts', '2024-01-01-welcome.md');
    fs.writeFileSync(post, fs.readFileSync(post, 'utf8').replace('date: 2024-01-01', 'date: 2024-02-30'));
    const bad = runBuild(site);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('posts/2024-01-01-welcome.md:3:7: error: `date` is not a valid date');

    expect(readTree(dist)).toEqual(snapshot);
    expect(fs.readdirSync(site).filter((entry) => entry.startsWith('.dist') || entry.includes('blogbuild-tmp'))).toEqual([]);
  });
});

describe('a template that fails while pages are written keeps the previous output', () => {
  it('leaves dist/ as it was when a list page fails after more than 32 pages went to the staging folder', () => {
    const site = path.join(scratch, 'late-template-error');
    generateSite(site, 60, {});
    const good = runBuild(site);
    expect(good.code, good.stderr).toBe(0);
    const dist = path.join(site, 'dist');
    const snapshot = readTree(dist);
    expect(Object.keys(snapshot).filter((file) => file.startsWith('posts/'))).toHaveLength(60);

    // A new title changes every page, and post pages render (and are staged) before list pages: the list
    // template fails only after 60 changed pages went to the staging folder.
    const config = path.join(site, 'blogbuild.config.json');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('"Bench Blog"', '"Renamed Blog"'));
    fs.mkdirSync(path.join(site, 'templates'));
    fs.writeFileSync(path.join(site, 'templates', 'list.hbs'), '<h1>{{page.title}}</h1>\n{{#each posts}}<p>{{shout title}}</p>{{/each}}\n');
    const bad = runBuild(site);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stderr).toContain('templates/list.hbs:2:19: error: template failed: Missing helper: "shout" [TemplateRender]');
    expect(bad.stderr).toContain('1 error; nothing was written');
    expect(readTree(dist)).toEqual(snapshot);
    expect(fs.readdirSync(site).filter((entry) => entry.startsWith('.dist') || entry.includes('blogbuild-tmp'))).toEqual([]);
  });
});

/**
 * As root, readies `site` for a build run as `nobody`: the folders up to it may be entered and the site's folders
 * written (a build may make its cache), its files read, and `unreadable` files read by no one but root.
 */
function lockAway(site: string, unreadable: string[]): number {
  fs.chmodSync(scratch, 0o755);
  fs.chownSync(site, nobody, nobody);
  for (const entry of fs.readdirSync(site, { recursive: true }) as string[]) fs.chownSync(path.join(site, entry), nobody, nobody);
  for (const file of unreadable) {
    fs.chownSync(path.join(site, file), 0, 0);
    fs.chmodSync(path.join(site, file), 0o000);
  }
  return nobody;
}

/** Every file under `dir`: relative path → contents (base64) and mtime. */
function readTree(dir: string): Record<string, { bytes: string; mtimeMs: number }> {
  const out: Record<string, { bytes: string; mtimeMs: number }> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file).split(path.sep).join('/')] = {
      bytes: fs.readFileSync(file).toString('base64'),
      mtimeMs: fs.statSync(file).mtimeMs,
    };
  }
  return out;
}
