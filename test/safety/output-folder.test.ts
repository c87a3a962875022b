/**
 * Issue 9, items 1 and 4: blogbuild replaces only an output folder it made (it holds the `.blogbuild` marker), an
 * empty one or a new one, and the output, source and public folders may not overlap. Anything else is a usage error
 * (exit 2) that changes not one file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFixture } from '../helpers/build-fixture.js';
import { contents, makeBlog, run, snapshot } from './cli-site.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-out-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let count = 0;
const blog = (config?: Record<string, unknown>) => makeBlog(path.join(scratch, `blog-${++count}`), config);

/** A folder of someone's own files. */
function thesis(dir: string): string {
  fs.mkdirSync(path.join(dir, 'chapters'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'thesis.tex'), '\\documentclass{book}\n');
  fs.writeFileSync(path.join(dir, 'chapters', 'one.tex'), '\\chapter{One}\n');
  return dir;
}

describe('an output folder blogbuild did not make is never replaced', () => {
  it('--out ~/thesis: exit 2 naming the folder and --force, and not one file changes', () => {
    const root = blog();
    const folder = thesis(path.join(scratch, `thesis-${count}`));
    const before = snapshot(folder);
    const { code, stderr, stdout } = run(root, ['build', '--out', folder]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`error: the output folder ${path.relative(root, folder)} holds files blogbuild did not write (it has no .blogbuild marker); a build replaces everything in it, so nothing was changed [OutputFolderForeign]`);
    expect(stderr).toMatch(/hint: choose a new or empty output folder \(--out\), or pass --force to delete everything in .*thesis/);
    expect(snapshot(folder)).toEqual(before);
    expect(fs.readdirSync(path.dirname(folder)).filter((name) => name.includes('blogbuild-'))).toEqual([]);
  });

  it('--out .git leaves the repository alone', () => {
    const root = blog();
    execFileSync('git', ['init', '-q'], { cwd: root });
    const before = snapshot(path.join(root, '.git'));
    const { code, stderr } = run(root, ['build', '--out', '.git']);
    expect(code).toBe(2);
    expect(stderr).toContain('[OutputFolderForeign]');
    expect(snapshot(path.join(root, '.git'))).toEqual(before);
    expect(execFileSync('git', ['status', '--short'], { cwd: root, encoding: 'utf8' })).toContain('posts/');
  });

  it('--out node_modules leaves the packages alone', () => {
    const root = blog();
    fs.mkdirSync(path.join(root, 'node_modules', 'left-pad'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'left-pad', 'package.json'), '{"name":"left-pad"}');
    // The build cache lives in node_modules/.cache: every build may write there, this one included.
    const packages = () => Object.fromEntries(Object.entries(snapshot(path.join(root, 'node_modules'))).filter(([file]) => !file.startsWith('.cache/')));
    const before = packages();
    expect(run(root, ['build', '--out', 'node_modules']).code).toBe(2);
    expect(packages()).toEqual(before);
  });

  it('a file given as --out is refused too', () => {
    const root = blog();
    fs.writeFileSync(path.join(root, 'notes.txt'), 'mine');
    const { code, stderr } = run(root, ['build', '--out', 'notes.txt']);
    expect(code).toBe(2);
    expect(stderr).toContain('the output folder notes.txt is not a folder');
    expect(fs.readFileSync(path.join(root, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('--force replaces it, and the output then carries the marker, so the next build needs no --force', () => {
    const root = blog();
    const folder = thesis(path.join(root, 'site'));
    const forced = run(root, ['build', '--out', 'site', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.existsSync(path.join(folder, 'thesis.tex'))).toBe(false);
    expect(fs.readFileSync(path.join(folder, '.blogbuild'), 'utf8')).toMatch(/output of blogbuild/);
    fs.appendFileSync(path.join(root, 'posts', '2024-01-01-post-1.md'), 'More.\n');
    expect(run(root, ['build', '--out', 'site']).code).toBe(0);
    expect(fs.readFileSync(path.join(folder, 'posts', 'post-1', 'index.html'), 'utf8')).toContain('More.');
  });

  it('an empty or new folder is built into, and gets the marker', () => {
    const root = blog();
    fs.mkdirSync(path.join(root, 'empty'));
    expect(run(root, ['build', '--out', 'empty']).code).toBe(0);
    expect(run(root, ['build', '--out', 'new/deeper']).code).toBe(0);
    for (const out of ['empty', 'new/deeper']) {
      expect(fs.existsSync(path.join(root, out, '.blogbuild'))).toBe(true);
      expect(fs.existsSync(path.join(root, out, 'index.html'))).toBe(true);
    }
    // Rebuilding into the same folders is fine, and the summary does not count the marker.
    const again = run(root, ['build', '--out', 'empty']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/ (\d+) files \(0 written, \1 unchanged\)/);
  });

  it('a dist/ made before the marker existed is accepted when the build cache lists every file in it; one extra file is not', () => {
    const root = blog();
    expect(run(root, ['build']).code).toBe(0);
    // What an earlier blogbuild left: the same files, no marker.
    fs.rmSync(path.join(root, 'dist', '.blogbuild'));
    expect(run(root, ['build']).code).toBe(0);
    expect(fs.existsSync(path.join(root, 'dist', '.blogbuild'))).toBe(true);

    fs.rmSync(path.join(root, 'dist', '.blogbuild'));
    fs.writeFileSync(path.join(root, 'dist', 'CNAME'), 'example.org\n');
    const before = snapshot(path.join(root, 'dist'));
    expect(run(root, ['build']).code).toBe(2);
    expect(snapshot(path.join(root, 'dist'))).toEqual(before);
    // Without the cache there is no record of what blogbuild wrote.
    fs.rmSync(path.join(root, 'dist', 'CNAME'));
    expect(run(root, ['build', '--no-cache']).code).toBe(2);
  });

  it('the in-memory build (check, serve, the golden trees) has no marker', async () => {
    const result = await buildFixture('no-url');
    expect(result.ok).toBe(true);
    expect(result.has('.blogbuild')).toBe(false);
    expect(result.files).not.toContain('.blogbuild');
  });
});

describe('output, sources and public folder may not overlap', () => {
  it('--out public/site: exit 2, and nothing is written (it used to copy the last output back in, 13 → 26 → 39 files)', () => {
    const root = blog();
    fs.mkdirSync(path.join(root, 'public'));
    fs.writeFileSync(path.join(root, 'public', 'favicon.ico'), 'icon');
    for (let i = 0; i < 2; i++) {
      const { code, stderr } = run(root, ['build', '--out', 'public/site']);
      expect(code).toBe(2);
      expect(stderr).toContain('error: the public folder public holds the output folder public/site, which every build would publish [FoldersOverlap]');
    }
    expect(fs.readdirSync(path.join(root, 'public'))).toEqual(['favicon.ico']);
  });

  it('publicDir "." would publish the drafts and the config: exit 2', () => {
    const root = blog({ title: 'Dot', publicDir: '.' });
    const { code, stderr } = run(root, ['build']);
    expect(code).toBe(2);
    expect(stderr).toContain('error: the public folder . holds posts, which every build would publish [FoldersOverlap]');
    expect(stderr).toContain('hint: set `publicDir` to a folder of static files only');
    expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
  });

  it('a public folder holding the config file: exit 2', () => {
    const root = blog({ title: 'Config inside', publicDir: 'site-root' });
    fs.mkdirSync(path.join(root, 'site-root'));
    fs.renameSync(path.join(root, 'blogbuild.config.json'), path.join(root, 'site-root', 'blogbuild.config.json'));
    const { code, stderr } = run(root, ['build', '--config', 'site-root/blogbuild.config.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('holds blogbuild.config.json, which every build would publish [FoldersOverlap]');
  });

  it.each([['posts/out', 'posts'], ['templates/out', 'templates']])('--out %s (inside %s): exit 2', (out, inside) => {
    const root = blog();
    fs.mkdirSync(path.join(root, 'templates'), { recursive: true });
    const { code, stderr } = run(root, ['build', '--out', out]);
    expect(code).toBe(2);
    expect(stderr).toContain(`the output folder is inside ${inside}, so every build would read its own output back in [FoldersOverlap]`);
    expect(fs.existsSync(path.join(root, out))).toBe(false);
  });

  it('a dist/ that is a symlink into posts/ is inside posts/', () => {
    const root = blog();
    fs.symlinkSync(path.join(root, 'posts', 'generated'), path.join(root, 'dist'));
    const { code, stderr } = run(root, ['build']);
    expect(code).toBe(2);
    expect(stderr).toContain('[FoldersOverlap]');
    expect(fs.readdirSync(path.join(root, 'posts')).sort()).toEqual(['2024-01-01-post-1.md', '2024-02-01-post-2.md', '2024-03-01-post-3.md']);
  });

  it('the blog folder itself as --out stays an error', () => {
    const root = blog();
    const sources = () => Object.fromEntries(Object.entries(contents(root)).filter(([file]) => !file.startsWith('node_modules/.cache/')));
    const before = sources();
    expect(run(root, ['build', '--out', '.']).code).toBe(2);
    expect(sources()).toEqual(before);
  });
});
