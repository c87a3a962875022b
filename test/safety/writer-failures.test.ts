/**
 * Issue 9, items 2, 3 and 5: what the build says always matches what is on disk. A cache that cannot be written is
 * a warning; a write that fails on a full disk puts back what it touched; a symlinked output folder stays a link
 * and its target gets the site; a build SIGKILLed in its commit leaves no temp file inside the output folder, and
 * the next command of any kind (build, check, serve) finishes the commit before anything else.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, contents, killBuildAt, makeBlog, run } from './cli-site.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-writer-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let count = 0;
const blog = () => makeBlog(path.join(scratch, `blog-${++count}`));

/** What blogbuild keeps beside an output folder while it works (`.dist.blogbuild-tmp-…` and the like). */
const besides = (root: string) => fs.readdirSync(root).filter((name) => name.includes('.blogbuild-'));
/** Temp files inside the output folder, at any depth. */
const tempsInside = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((name) => name.includes('blogbuild-tmp'));

/** The output of a clean build of `root`'s sources into a folder of its own (the expected output). */
function expectedOutput(root: string): Record<string, string> {
  const out = path.join(scratch, `expected-${++count}`);
  const built = run(root, ['build', '--quiet', '--no-cache', '--out', out]);
  if (built.code !== 0) throw new Error(built.stderr);
  return contents(out);
}

describe('a build cache that cannot be written', () => {
  it('is a warning: the build succeeds, says so, and leaves nothing beside dist/ (node_modules/.cache/blogbuild is a file)', { timeout: 180_000 }, () => {
    const root = blog();
    fs.mkdirSync(path.join(root, 'node_modules', '.cache'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', '.cache', 'blogbuild'), 'not a folder');
    for (const edit of ['', 'Edited.\n']) {
      fs.appendFileSync(path.join(root, 'posts', '2024-01-01-post-1.md'), edit);
      const { code, stdout, stderr } = run(root, ['build']);
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/warning: the build cache cannot be written \(.*\); the site was built without it \[CacheUnwritable\]/);
      expect(stderr).not.toContain('nothing was written');
      expect(stdout).toMatch(/^Built 3 posts/);
      expect(besides(root)).toEqual([]);
    }
    expect(fs.readFileSync(path.join(root, 'dist', 'posts', 'post-1', 'index.html'), 'utf8')).toContain('Edited.');
    expect(contents(path.join(root, 'dist'))).toEqual(expectedOutput(root));
  });
});

describe('a symlinked output folder', () => {
  it('stays a link, and its target gets the site, on the first build and on rebuilds', { timeout: 180_000 }, () => {
    const root = blog();
    const www = path.join(scratch, `www-${count}`, 'html');
    fs.mkdirSync(www, { recursive: true });
    fs.symlinkSync(www, path.join(root, 'dist'));
    for (const edit of ['', 'Edited.\n']) {
      fs.appendFileSync(path.join(root, 'posts', '2024-01-01-post-1.md'), edit);
      const { code, stderr } = run(root, ['build']);
      expect(code, stderr).toBe(0);
      expect(fs.lstatSync(path.join(root, 'dist')).isSymbolicLink()).toBe(true);
      expect(fs.readlinkSync(path.join(root, 'dist'))).toBe(www);
      expect(contents(www)).toEqual(expectedOutput(root));
      expect(besides(root)).toEqual([]);
      expect(besides(path.dirname(www))).toEqual([]);
    }
    // A new page makes the build swap in a whole new tree: the link still stands.
    fs.writeFileSync(path.join(root, 'posts', '2024-04-01-post-4.md'), '---\ntitle: Post 4\ndate: 2024-04-01\n---\n\nFour.\n');
    expect(run(root, ['build']).code).toBe(0);
    expect(fs.lstatSync(path.join(root, 'dist')).isSymbolicLink()).toBe(true);
    expect(contents(www)).toEqual(expectedOutput(root));
  });

  it('whose target does not exist yet: the target is made, the link stays', () => {
    const root = blog();
    const target = path.join(scratch, `later-${count}`, 'site');
    fs.mkdirSync(path.dirname(target));
    fs.symlinkSync(target, path.join(root, 'dist'));
    expect(run(root, ['build']).code).toBe(0);
    expect(fs.lstatSync(path.join(root, 'dist')).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.join(target, 'index.html'))).toBe(true);
  });

  it('pointing at someone’s files is refused like any other such folder', () => {
    const root = blog();
    const target = path.join(scratch, `mine-${count}`);
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep.txt'), 'keep');
    fs.symlinkSync(target, path.join(root, 'dist'));
    expect(run(root, ['build']).code).toBe(2);
    expect(fs.readdirSync(target)).toEqual(['keep.txt']);
  });
});

describe('a build SIGKILLed in its commit', () => {
  it('between the two renames of the swap: check restores dist/ before anything else, as the new site', { timeout: 180_000 }, async () => {
    const root = blog();
    expect(run(root, ['build']).code).toBe(0);
    // A new post: a new set of files, so the build swaps in a new tree.
    fs.writeFileSync(path.join(root, 'posts', '2024-04-01-post-4.md'), '---\ntitle: Post 4\ndate: 2024-04-01\n---\n\nFour.\n');
    await killBuildAt(root, 'swap');
    // What the kill leaves: no dist/ at all (the failure of issue 9), the new tree and the old one beside it.
    expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
    expect(besides(root).length).toBeGreaterThan(0);

    const check = run(root, ['check']);
    expect(check.code, check.stderr).toBe(0);
    expect(contents(path.join(root, 'dist'))).toEqual(expectedOutput(root));
    expect(besides(root)).toEqual([]);
  });

  it('in the middle of an in-place commit: no temp file inside dist/, and serve finishes the commit', { timeout: 180_000 }, async () => {
    const root = blog();
    expect(run(root, ['build']).code).toBe(0);
    // A changed title: a few files change (the post, lists, feed, sitemap), replaced one by one in place.
    const post = path.join(root, 'posts', '2024-02-01-post-2.md');
    fs.writeFileSync(post, fs.readFileSync(post, 'utf8').replace('title: Post 2', 'title: Post two'));
    await killBuildAt(root, 'replace');
    const dist = path.join(root, 'dist');
    expect(tempsInside(dist)).toEqual([]);
    const expected = expectedOutput(root);
    // The kill left a mix: some files new, some old.
    expect(contents(dist)).not.toEqual(expected);

    const server = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: root, env: { ...process.env, NO_COLOR: '1', CI: '1' } });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('Serving')) resolve();
        });
        server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect(contents(dist)).toEqual(expected);
      expect(besides(root)).toEqual([]);
    } finally {
      server.kill('SIGTERM');
    }
  });

  it('a later build also finishes it, and builds on it as usual', { timeout: 180_000 }, async () => {
    const root = blog();
    expect(run(root, ['build']).code).toBe(0);
    const post = path.join(root, 'posts', '2024-03-01-post-3.md');
    fs.writeFileSync(post, fs.readFileSync(post, 'utf8').replace('Body of post 3.', 'A new body.'));
    await killBuildAt(root, 'replace');
    const built = run(root, ['build']);
    expect(built.code, built.stderr).toBe(0);
    expect(contents(path.join(root, 'dist'))).toEqual(expectedOutput(root));
    expect(besides(root)).toEqual([]);
  });
});

/** Mounts a tmpfs of `size` on `dir` (root only); undefined when this machine cannot. */
function mountTmpfs(dir: string, size: string, extra = ''): (() => void) | undefined {
  fs.mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `${extra}size=${size}`, 'tmpfs', dir]);
  if (mounted.status !== 0) return undefined;
  return () => spawnSync('umount', [dir]);
}

const canMount = (() => {
  if (process.getuid?.() !== 0) return false;
  const probe = path.join(scratch, 'probe');
  const unmount = mountTmpfs(probe, '16k');
  unmount?.();
  return unmount !== undefined;
})();

// CI runs as root, where this runs; elsewhere (no root, no mount) it is skipped.
// Root ignores file modes, so a read-only cache is a read-only mount here.
describe.skipIf(!canMount)('a read-only build cache (a read-only tmpfs; needs root to mount)', () => {
  it('is a warning too, and the site is built', { timeout: 180_000 }, () => {
    const root = blog();
    const unmount = mountTmpfs(path.join(root, 'node_modules', '.cache', 'blogbuild'), '16k', 'ro,')!;
    try {
      const { code, stderr } = run(root, ['build']);
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/warning: the build cache cannot be written \(EROFS: .*\); the site was built without it \[CacheUnwritable\]/);
      expect(contents(path.join(root, 'dist'))).toEqual(expectedOutput(root));
      expect(besides(root)).toEqual([]);
    } finally {
      unmount();
    }
  });
});

describe.skipIf(!canMount)('an output folder that is a mount point (needs root to mount a tmpfs)', () => {
  it('a full disk: the build fails, says nothing was written, and the previous site is there byte for byte', { timeout: 180_000 }, () => {
    const root = blog();
    const dist = path.join(root, 'dist');
    const unmount = mountTmpfs(dist, '96k')!;
    try {
      const first = run(root, ['build']);
      expect(first.code, first.stderr).toBe(0);
      const before = contents(dist);
      expect(before['index.html']).toContain('Post 3');

      // A post too large for what is left on the disk: its page, the lists and the feed no longer fit.
      const big = `${'A long paragraph of words. '.repeat(2000)}\n\n`.repeat(3);
      fs.writeFileSync(path.join(root, 'posts', '2024-04-01-big.md'), `---\ntitle: Big\ndate: 2024-04-01\n---\n\n${big}`);
      const full = run(root, ['build']);
      expect(full.code).toBe(2);
      expect(full.stderr).toMatch(/error: cannot write the output folder: cannot write .*: ENOSPC.*; it was left as it was \[OutputFailed\]/);
      expect(full.stderr).toContain('1 error; nothing was written');
      expect(contents(dist)).toEqual(before);
      expect(besides(root)).toEqual([]);

      // Room again: the next build writes the new site into the mount point.
      fs.rmSync(path.join(root, 'posts', '2024-04-01-big.md'));
      fs.writeFileSync(path.join(root, 'posts', '2024-04-01-small.md'), '---\ntitle: Small\ndate: 2024-04-01\n---\n\nSmall.\n');
      const again = run(root, ['build']);
      expect(again.code, again.stderr).toBe(0);
      expect(contents(dist)).toEqual(expectedOutput(root));
    } finally {
      unmount();
    }
  });

  it('killed while copying into it: the next command finishes the copy', { timeout: 180_000 }, async () => {
    const root = blog();
    const dist = path.join(root, 'dist');
    const unmount = mountTmpfs(dist, '512k')!;
    try {
      expect(run(root, ['build']).code).toBe(0);
      fs.writeFileSync(path.join(root, 'posts', '2024-04-01-post-4.md'), '---\ntitle: Post 4\ndate: 2024-04-01\n---\n\nFour.\n');
      await killBuildAt(root, 'copy');
      expect(tempsInside(dist)).toEqual([]);
      expect(run(root, ['check']).code).toBe(0);
      expect(contents(dist)).toEqual(expectedOutput(root));
      expect(besides(root)).toEqual([]);
    } finally {
      unmount();
    }
  });
});

describe('an in-place commit that fails half-way (the file writer, called directly)', () => {
  it('puts back the files it had replaced, and throws a CommitError saying so', async () => {
    const { fsWriter } = await import('../../src/output/writer.js');
    const { CommitError } = await import('../../src/output/commit.js');
    const out = path.join(scratch, `in-place-${++count}`, 'dist');
    const files = (a: string, b: string) => [
      { path: 'a.html', contents: a },
      { path: 'b/b.html', contents: b },
      { path: 'c.txt', contents: 'unchanged' },
    ];
    const first = fsWriter(out);
    await first.writeAll(files('old a', 'old b'));
    await first.commit();
    const before = contents(out);

    const second = fsWriter(out);
    expect(await second.writeAll(files('new a', 'new b'))).toEqual({ written: 2, unchanged: 1 });
    // The staged copy of the second changed file disappears: its rename fails after the first one was done.
    const [staging] = besides(path.dirname(out)).filter((name) => name.includes('-tmp-'));
    fs.rmSync(path.join(path.dirname(out), staging, 'b', 'b.html'));
    const failure = await second.commit().then(() => undefined, (cause: unknown) => cause);
    expect(failure).toBeInstanceOf(CommitError);
    expect(failure).toMatchObject({ isRestored: true, message: expect.stringMatching(/^cannot replace b\/b\.html: ENOENT/) });
    await second.abort();
    expect(contents(out)).toEqual(before);
    expect(besides(path.dirname(out))).toEqual([]);
  });
});
