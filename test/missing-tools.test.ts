/**
 * `npm test` on a machine without Chromium or Java: the tests that need them are skipped and named at the end
 * with the command that enables them; with `CI` set the run fails instead. The search itself is checked on
 * stand-in programs; the whole run is checked by hiding the real ones in a private mount namespace.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumCandidates, findChromium, findJava, isCI } from './helpers/tools.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
let tmp: string;
let paths: { missing: string; notExecutable: string; failing: string; chromium: string; javaDir: string; emptyDir: string };

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-tools-'));
  const script = async (name: string, body: string, mode = 0o755) => {
    const file = path.join(tmp, name);
    await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode });
    return file;
  };
  await fs.mkdir(path.join(tmp, 'java-bin'));
  await fs.mkdir(path.join(tmp, 'empty-bin'));
  paths = {
    missing: path.join(tmp, 'no-such-browser'),
    notExecutable: await script('not-executable', 'echo "Chromium 1.0"', 0o644),
    // Like Ubuntu's chromium-browser without the snap: present, executable, and useless.
    failing: await script('snap-stub', 'echo "requires the chromium snap" >&2; exit 1'),
    chromium: await script('chromium', 'echo "Chromium 123.0.1 built on Debian"'),
    javaDir: path.join(tmp, 'java-bin'),
    emptyDir: path.join(tmp, 'empty-bin'),
  };
  await script('java-bin/java', 'echo \'openjdk version "17.0.15"\' >&2');
});

afterAll(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('findChromium', () => {
  it('takes the first candidate that answers --version, passing over missing, non-executable and failing ones', () => {
    const { missing, notExecutable, failing, chromium } = paths;
    expect(findChromium({}, [missing, notExecutable, failing, chromium])).toEqual({
      name: 'chromium',
      command: chromium,
      report: 'Chromium 123.0.1 built on Debian',
    });
  });

  it('reports every candidate and why it did not start when none does', () => {
    const { missing, notExecutable, failing } = paths;
    const check = findChromium({}, [missing, notExecutable, failing]);
    expect(check.command).toBeUndefined();
    expect(check.report).toBe(
      `${missing}: not there; ${notExecutable}: cannot start (EACCES); ${failing}: \`--version\` exits with 1: requires the chromium snap`,
    );
  });

  it('uses BLOGBUILD_CHROMIUM alone when it is set, so a wrong path is reported rather than replaced', () => {
    const { failing, chromium } = paths;
    expect(findChromium({ BLOGBUILD_CHROMIUM: chromium }, [failing]).command).toBe(chromium);
    const wrong = findChromium({ BLOGBUILD_CHROMIUM: failing }, [chromium]);
    expect(wrong.command).toBeUndefined();
    expect(wrong.report).toBe(`BLOGBUILD_CHROMIUM=${failing}: \`--version\` exits with 1: requires the chromium snap`);
  });

  it('looks on the usual Debian, Ubuntu and Google Chrome paths', () => {
    expect(chromiumCandidates).toEqual(['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']);
  });
});

describe('findJava', () => {
  it('finds the java on the PATH that starts, and reports its version line', () => {
    expect(findJava({ PATH: paths.javaDir })).toEqual({ name: 'java', command: 'java', report: 'openjdk version "17.0.15"' });
  });

  it('reports java missing when the PATH has none', () => {
    expect(findJava({ PATH: paths.emptyDir })).toEqual({ name: 'java', report: 'java: not found' });
  });
});

it('treats CI as set the way CI services set it, and CI=false or CI=0 as unset', () => {
  expect(['true', '1', 'github'].map((CI) => isCI({ CI }))).toEqual([true, true, true]);
  expect([undefined, '', 'false', '0'].map((CI) => isCI({ CI }))).toEqual([false, false, false, false]);
});

/**
 * Mounts /dev/null over every Chromium candidate and `java` in a private mount namespace (root and `unshare`
 * needed): the files stay there, but none of them starts, as on a machine where they are broken or absent.
 */
function hiddenToolsCommand(): { argv: string[] } | { why: string } {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return { why: 'hiding programs needs root on Linux' };
  const java = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim();
  const targets = [...chromiumCandidates, java].filter((file) => file && spawnSync('test', ['-e', file]).status === 0);
  const mounts = targets.map((file) => `mount --bind /dev/null ${file}`).join(' && ');
  const probe = spawnSync('unshare', ['-m', 'sh', '-c', `${mounts || 'true'}`], { encoding: 'utf8' });
  if (probe.status !== 0) return { why: `unshare -m is not permitted here: ${(probe.stderr || String(probe.error)).trim()}` };
  return { argv: ['unshare', '-m', 'sh', '-c', `${mounts || 'true'} && exec "$@"`, 'sh'] };
}

/** Runs vitest on `files` with Chromium and Java hidden; resolves with its exit code and output (no colour). */
function runHidden(argv: string[], files: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const vitest = path.join(repo, 'node_modules/vitest/vitest.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], [...argv.slice(1), process.execPath, vitest, 'run', ...files], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm test with Chromium and Java hidden', () => {
  const hidden = hiddenToolsCommand();
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  delete baseEnv.CI;
  delete baseEnv.BLOGBUILD_CHROMIUM;

  it('passes the browser and validator test files, then names the skipped tests and the command that enables them', async (context) => {
    if ('why' in hidden) return context.skip(hidden.why);
    const files = ['test/browser-live-reload.test.ts', 'test/validators.test.ts'];
    const { code, output } = await runHidden(hidden.argv, files, baseEnv);
    expect(code, output).toBe(0);

    // Said once, at the very end, after vitest's summary; the other tests of validators.test.ts ran and passed.
    expect(output.split('did not run').length, output).toBe(2);
    const [summary, note] = output.split(/\n\n (?=\d+ tests did not run)/);
    const skipped = Number(/^(\d+) tests did not run: a program they need is missing\.\n/.exec(note)?.[1]);
    expect(summary).toMatch(new RegExp(`Tests\\s+[1-9]\\d* passed \\| ${skipped} skipped`));
    expect(summary).not.toMatch(/failed/i);

    const lines = note.trimEnd().split('\n').slice(1);
    const suites = ['post with every markdown feature (/blog/posts/kitchen-sink/)', 'post titled by its # heading (/blog/posts/a-post-without-title/)',
      'home page 1 (/blog/)', 'home page 2 (/blog/page/2/)', 'tag page (/blog/tags/markdown/)', 'tag page 2 (/blog/tags/markdown/page/2/)',
      'tag index (/blog/tags/)', 'author page (/blog/authors/kit/)', 'standalone page (/blog/colophon/)', '404 (/blog/no/such/page/)'];
    expect(lines[0]).toMatch(/^ Chromium is missing: \/usr\/bin\/chromium: (cannot start \(EACCES\)|not there); /);
    const javaAt = 5 + suites.length;
    expect(lines[javaAt]).toMatch(/^ Java is missing: java: (cannot start \(EACCES\)|not found)$/);
    expect(lines.filter((_, n) => n !== 0 && n !== javaAt)).toEqual([
      '   test/browser-live-reload.test.ts',
      '     reloads an open post on save, shows an overlay on a content error, and recovers',
      '   test/validators.test.ts',
      ...suites.map((suite) => `     ${suite} in Chromium (3 tests)`),
      '     keyboard use in Chromium',
      '   test/validators.test.ts',
      '     Nu Html Checker',
      ' To run them (Debian): apt-get install chromium openjdk-17-jre-headless',
      ' With a Chromium or Chrome elsewhere: BLOGBUILD_CHROMIUM=/path/to/chromium npm test',
    ]);
  });

  it('fails with CI set, with the same message and before running any test', async (context) => {
    if ('why' in hidden) return context.skip(hidden.why);
    const { code, output } = await runHidden(hidden.argv, ['test/browser-live-reload.test.ts'], { ...baseEnv, CI: 'true' });
    expect(code, output).toBe(1);
    expect(output).toContain('CI is set, so the tests that need these programs must run:\nChromium is missing: /usr/bin/chromium: cannot start (EACCES)');
    expect(output).toMatch(/\nJava is missing: .*java: cannot start \(EACCES\)\n/);
    expect(output).toContain('\nTo run them (Debian): apt-get install chromium openjdk-17-jre-headless\n');
    expect(output).not.toContain('Test Files');
  });
});
