/**
 * Spawns bin/blogbuild.js (compiled lib/ required; `npm test` runs tsc first) on a small site written to a
 * temp folder, and checks exit codes, stdout/stderr and colour handling.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'blogbuild.js');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string };

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-cli-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const plainEnv = { NO_COLOR: '1', FORCE_COLOR: '', CI: '1' };

/** Runs the CLI; `env` entries that are undefined are removed from the inherited environment. */
function run(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...(options.env ?? plainEnv) };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: options.cwd ?? scratch, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let siteCount = 0;

/** Writes a small blog: two published posts, one draft, one tag; `config` becomes blogbuild.config.json. */
function makeSite(config?: Record<string, unknown>): string {
  const dir = path.join(scratch, `site-${++siteCount}`);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  if (config) write('blogbuild.config.json', `${JSON.stringify(config, null, 2)}\n`);
  write('posts/2024-01-01-first.md', '---\ntitle: First post\ndate: 2024-01-01\ntags: [news]\n---\n\nHello.\n');
  write('posts/2024-02-01-second.md', '---\ntitle: Second post\ndate: 2024-02-01\n---\n\nAgain.\n');
  write('posts/2024-03-01-draft.md', '---\ntitle: Unfinished\ndate: 2024-03-01\ndraft: true\n---\n\nLater.\n');
  return dir;
}

const ansi = /\x1b\[/;

describe('blogbuild (no command, help, version)', () => {
  it('--help lists the build command and exits 0', () => {
    const { code, stdout, stderr } = run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: blogbuild /);
    expect(stdout).toMatch(/^\s+build \[options\]\s+build the blog/m);
    expect(stderr).toBe('');
  });

  it('with no arguments prints the help and exits 0', () => {
    const { code, stdout } = run([]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+build \[options\]/m);
  });

  it('build --help lists the build options', () => {
    const { code, stdout } = run(['build', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--config <file>', '--posts <dir>', '--out <dir>', '--url <url>', '--drafts', '--quiet']) {
      expect(stdout).toContain(flag);
    }
  });

  it('--version prints the version from package.json', () => {
    for (const flag of ['--version', '-v']) {
      const { code, stdout } = run([flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${pkg.version}\n`);
    }
  });
});

describe('bad usage exits 2 with commander’s message', () => {
  it('an unknown command, with a suggestion', () => {
    const { code, stdout, stderr } = run(['buidl']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("error: unknown command 'buidl'");
    expect(stderr).toContain('Did you mean build?');
    expect(stderr).toContain('hint: add --help');
  });

  it('an unknown option of build', () => {
    const site = makeSite();
    const { code, stderr } = run(['build', '--bogus'], { cwd: site });
    expect(code).toBe(2);
    expect(stderr).toContain("error: unknown option '--bogus'");
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(site, 'dist'))).toBe(false);
  });

  it('an unknown top-level option', () => {
    const { code, stderr } = run(['--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain("error: unknown option '--bogus'");
  });

  it('an argument build does not take', () => {
    const { code, stderr } = run(['build', 'posts'], { cwd: makeSite() });
    expect(code).toBe(2);
    expect(stderr).toContain("too many arguments for 'build'");
  });

  it('--url that is not absolute', () => {
    const { code, stderr } = run(['build', '--url', 'example.org/blog'], { cwd: makeSite() });
    expect(code).toBe(2);
    expect(stderr).toContain('error: --url "example.org/blog" is not an absolute http(s) URL [UsageInvalid]');
    expect(stderr).toContain('hint: pass the address the site is published at');
  });

  it('--config naming a missing file', () => {
    const { code, stderr } = run(['build', '--config', 'nope.json'], { cwd: makeSite() });
    expect(code).toBe(2);
    expect(stderr).toContain('error: config file nope.json does not exist [ConfigNotFound]');
  });

  it('--posts naming a missing folder', () => {
    const { code, stderr } = run(['build', '--posts', 'articles'], { cwd: makeSite() });
    expect(code).toBe(2);
    expect(stderr).toContain('articles: error: the posts folder does not exist [PostsFolderMissing]');
  });
});

describe('blogbuild build', () => {
  let site: string;
  beforeEach(() => {
    site = makeSite({ title: 'CLI Blog', url: 'https://example.org/blog/' });
  });

  it('prints one summary line and writes dist/', () => {
    const { code, stdout, stderr } = run(['build'], { cwd: site });
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      /^Built 2 posts, 1 tag page, \d+ files \(\d+ written, 0 unchanged\) into dist\/ in \d+ ms; skipped 1 draft and 0 scheduled\n$/,
    );
    expect(fs.existsSync(path.join(site, 'dist', 'posts', 'first', 'index.html'))).toBe(true);
    expect(fs.existsSync(path.join(site, 'dist', 'posts', 'draft', 'index.html'))).toBe(false);

    // A second build of the same input reports every file unchanged.
    const again = run(['build'], { cwd: site });
    const files = /, (\d+) files \(0 written, (\d+) unchanged\)/.exec(again.stdout);
    expect(files, again.stdout).not.toBeNull();
    expect(files![2]).toBe(files![1]);
  });

  it('--quiet prints nothing on success', () => {
    const { code, stdout, stderr } = run(['build', '--quiet'], { cwd: site });
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe('');
    expect(fs.existsSync(path.join(site, 'dist', 'index.html'))).toBe(true);
  });

  it('--out, --drafts and --url override the config', () => {
    const { code, stdout } = run(['build', '--out', 'public_html', '--drafts', '--url', 'https://blog.example.com/'], { cwd: site });
    expect(code).toBe(0);
    expect(stdout).toContain('Built 3 posts');
    expect(stdout).toContain('into public_html/');
    expect(fs.existsSync(path.join(site, 'public_html', 'posts', 'draft', 'index.html'))).toBe(true);
    const feed = fs.readFileSync(path.join(site, 'public_html', 'rss.xml'), 'utf8');
    expect(feed).toContain('https://blog.example.com/posts/first/');
    expect(feed).not.toContain('https://example.org/blog/');
  });

  it('a warning (no url: FeedWithoutUrl) is printed but does not fail the build', () => {
    const bare = makeSite();
    const { code, stdout, stderr } = run(['build'], { cwd: bare });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Built 2 posts/);
    expect(stderr).toContain('warning: no `url` is configured, so the feed and sitemap use root-relative links [FeedWithoutUrl]');
    expect(stderr).toContain('hint: set `url` in blogbuild.config.json or pass --url');
    expect(stderr).not.toContain('error');
    expect(fs.existsSync(path.join(bare, 'dist', 'rss.xml'))).toBe(true);

    // --quiet hides warnings too.
    const quiet = run(['build', '--quiet'], { cwd: bare });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

describe('colour', () => {
  const breakSite = () => {
    const site = makeSite();
    fs.writeFileSync(path.join(site, 'posts', 'bad.md'), '---\ntitle: Bad\ndate: 2024-13-01\n---\nx\n');
    return site;
  };

  it('is off with NO_COLOR and when stderr is not a terminal', () => {
    const site = breakSite();
    for (const env of [plainEnv, { NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, TERM: 'xterm-256color' }]) {
      const { code, stderr } = run(['build'], { cwd: site, env });
      expect(code).toBe(1);
      expect(stderr).toContain('posts/bad.md:3:7: error: `date` is not a valid date');
      expect(stderr).not.toMatch(ansi);
    }
  });

  it('is on with FORCE_COLOR (so the check above can fail)', () => {
    const { code, stderr } = run(['build'], { cwd: breakSite(), env: { FORCE_COLOR: '1', NO_COLOR: undefined } });
    expect(code).toBe(1);
    expect(stderr).toMatch(ansi);
  });
});
