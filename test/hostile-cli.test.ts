/**
 * Hostile and broken command lines (issue 14): every one ends in a message with a hint and exit 2 (1 for
 * content), never an internal error or a stack trace, and never a hang. Spawns bin/blogbuild.js (compiled lib/).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePort } from '../src/cli/serve-command.js';
import { titleAfterOptions } from '../src/cli/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'blogbuild.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-hostile-'));
// The unprivileged-user test runs the CLI as nobody, who must be able to read the site.
fs.chmodSync(scratch, 0o755);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let sites = 0;
/** A one-post blog in a fresh folder. */
function makeSite(): string {
  const dir = path.join(scratch, `site-${++sites}`);
  fs.mkdirSync(path.join(dir, 'posts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'posts', 'hello.md'), '---\ntitle: Hello\ndate: 2024-01-01\n---\nHi.\n');
  fs.writeFileSync(path.join(dir, 'blogbuild.config.json'), '{ "url": "https://example.org/" }\n');
  return dir;
}

function run(args: string[], cwd: string, options: { env?: Record<string, string>; prefix?: string[] } = {}) {
  const [command, ...rest] = [...(options.prefix ?? []), process.execPath, bin, ...args];
  const result = spawnSync(command, rest, {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1', ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

/** A usage error: exit 2, `error: …` then `hint: …`, no stack trace, no internal error. */
function expectUsageError(result: ReturnType<typeof run>, message: RegExp, code = 2): void {
  expect(result.signal, result.stderr).toBeNull();
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(/^ {0,2}hint: \S/m);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('init and new: file-system errors are usage errors', () => {
  it('init into a path under a file (ENOTDIR)', () => {
    const dir = makeSite();
    fs.writeFileSync(path.join(dir, 'afile'), 'x');
    expectUsageError(run(['init', 'afile/sub'], dir), /^error: afile\/sub: a file is in the way where a folder is needed \[PathUnwritable\]$/m);
  });

  it.skipIf(!fs.existsSync('/proc/self'))('init /proc/x, build --out /proc/x/dist and outDir /proc/x/dist fail at once instead of spinning', () => {
    const dir = makeSite();
    expectUsageError(run(['init', '/proc/x'], dir), /^error: \/proc\/x: cannot be created here/m);
    expectUsageError(run(['build', '--out', '/proc/x/dist'], dir), /^error: \/proc\/x: cannot be created here/m);
    fs.writeFileSync(path.join(dir, 'blogbuild.config.json'), '{ "url": "https://example.org/", "outDir": "/proc/x/dist" }\n');
    expectUsageError(run(['build'], dir), /^error: \/proc\/x: cannot be created here/m);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  it('new with a 1,000-character title (ENAMETOOLONG) names the limit', () => {
    const dir = makeSite();
    const result = run(['new', 'a'.repeat(1000)], dir);
    expectUsageError(result, /^error: the title is too long for a post's URL: its slug is 1000 bytes long, and a folder name of the site may have at most 200.* \[NewPostInvalid\]$/m);
    expect(fs.readdirSync(path.join(dir, 'posts'))).toEqual(['hello.md']);
  });

  it('new when posts is a file (EEXIST)', () => {
    const dir = makeSite();
    fs.rmSync(path.join(dir, 'posts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'posts'), 'not a folder');
    expectUsageError(run(['new', 'X'], dir), /^error: posts is a file, but posts go in a folder of that name; nothing was written \[NewPostInvalid\]$/m);
  });

  it('new "- list" takes the title; new -x says to use --', () => {
    const dir = makeSite();
    const list = run(['new', '- list'], dir);
    expect(list.code, list.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'posts', 'list.md'), 'utf8')).toContain("title: '- list'");
    expectUsageError(run(['new', '-x'], dir), /unknown option '-x'\n.*goes after --, e.g. blogbuild new -- /);
    const dashed = run(['new', '--', '-x'], dir);
    expect(dashed.code, dashed.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, 'posts', 'x.md'))).toBe(true);
    expect(run(['build'], dir).code).toBe(0);
  });

  it('new --tags with a path or an over-long tag is refused with the build\'s rules, and writes nothing', () => {
    const dir = makeSite();
    expectUsageError(run(['new', 'T', '--tags', '..,/etc'], dir), /^error: --tags: tag "\.\." is a path/m);
    expectUsageError(run(['new', 'T', '--tags', `ok,${'t'.repeat(300)}`], dir), /^error: --tags: tag "t+…" is too long: its slug is 300 bytes long/m);
    expect(fs.readdirSync(path.join(dir, 'posts'))).toEqual(['hello.md']);
  });

  it('new refuses a title or tags with control characters, which the build would refuse', () => {
    const dir = makeSite();
    expectUsageError(run(['new', 'Clear \x1b[2J screen'], dir), /^error: the title holds the control character U\+001B/m);
    expectUsageError(run(['new', 'T', '--tags', 'a\x07b'], dir), /^error: --tags holds the control character U\+0007/m);
    expect(fs.readdirSync(path.join(dir, 'posts'))).toEqual(['hello.md']);
  });

  it('moves only a whitespace-holding dash argument of new, never an option or its value', () => {
    const argv = ['node', 'blogbuild'];
    expect(titleAfterOptions([...argv, 'new', '- list', '--draft'])).toEqual([...argv, 'new', '--draft', '--', '- list']);
    expect(titleAfterOptions([...argv, 'new', 'T', '--tags=a, b'])).toEqual([...argv, 'new', 'T', '--tags=a, b']);
    expect(titleAfterOptions([...argv, 'new', 'T', '--tags', '-a b'])).toEqual([...argv, 'new', 'T', '--tags', '-a b']);
    expect(titleAfterOptions([...argv, 'build', '- x'])).toEqual([...argv, 'build', '- x']);
  });
});

describe('serve: bad --port and --host are usage errors', () => {
  it('accepts decimal ports 0–65535 only', () => {
    expect([parsePort(undefined), parsePort('4000'), parsePort('0'), parsePort('65535')]).toEqual([4000, 4000, 0, 65535]);
    for (const bad of ['0x10', '', ' ', '1e3', '-1', '65536', '4000.5', '+80']) expect(parsePort(bad), bad).toBeUndefined();
  });

  it.each([['0x10'], [''], ['70000']])('--port %j', (port) => {
    expectUsageError(run(['serve', '--port', port], makeSite()), new RegExp(`^error: --port ${JSON.stringify(port)} is not a port number`, 'm'));
  });

  it('--host that does not resolve (ENOTFOUND)', () => {
    expectUsageError(run(['serve', '--host', 'nosuchhost.invalid', '--port', '0'], makeSite()), /^error: --host nosuchhost\.invalid is not a known host name/m);
  });

  it('--host that is not an address of this machine (EADDRNOTAVAIL; binding fails locally, nothing is sent)', () => {
    expectUsageError(run(['serve', '--host', '203.0.113.5', '--port', '0'], makeSite()), /^error: --host 203\.0\.113\.5 is not an address of this machine/m);
  });

  const isRoot = process.getuid?.() === 0;
  const dropToNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  // As root, the CLI runs as nobody, who must be able to reach this checkout: a clone inside a private folder (mktemp
  // -d makes them 0700, as the fresh-clone check does) is out of nobody's reach, and then this test cannot run.
  const canDrop = isRoot && spawnSync(dropToNobody[0]!, [...dropToNobody.slice(1), process.execPath, bin, '--version']).status === 0;
  let unprivilegedStart = 1024;
  try {
    unprivilegedStart = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());
  } catch {
    // Not Linux: ports below 1024 are privileged.
  }
  it.skipIf((isRoot && !canDrop) || unprivilegedStart <= 80)('--port 80 as an unprivileged user (EACCES)', () => {
    const dir = makeSite();
    fs.chmodSync(dir, 0o755);
    const prefix = isRoot ? dropToNobody : [];
    expectUsageError(run(['serve', '--port', '80'], dir, { prefix }), /^error: port 80 on 127\.0\.0\.1 needs administrator rights/m);
  });
});

describe('terminal escapes in posts and file names are printed escaped', () => {
  const clear = '\x1b[2J\x1b[H';
  it.each([['NO_COLOR', { NO_COLOR: '1', FORCE_COLOR: '' }], ['FORCE_COLOR', { NO_COLOR: '', FORCE_COLOR: '1' }]])('with %s', (_, env) => {
    const dir = makeSite();
    fs.writeFileSync(path.join(dir, 'posts', `${clear}fake.md`), `---\ntitle: x\ndate: 2024-13-01 ${clear}fake: all good\n---\n`);
    const result = run(['build'], dir, { env });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain(clear);
    // Only colour (SGR `…m`) sequences, and only when colour is on.
    expect(result.stderr).not.toMatch(/\x1b\[[0-9;]*[^0-9;m]/);
    expect(/\x1b/.test(result.stderr)).toBe(env.FORCE_COLOR === '1');
    const plain = result.stderr.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toContain('posts/\\x1b[2J\\x1b[Hfake.md:3:18: error: front matter contains the control character U+001B (ESC)');
    // The code frame shows each control character as one symbol, so the caret stays under it.
    expect(plain).toContain(' 3 | date: 2024-13-01 ␛[2J␛[Hfake: all good\n   |                  ^\n');
  });
});
