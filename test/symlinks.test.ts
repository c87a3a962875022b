/**
 * Symbolic links in posts/, public/ and page bundles (issue 14): links to files inside the blog are followed,
 * every other link is skipped with a SymlinkSkipped warning naming it. Built in memory from a temp blog, since
 * links that leave the blog cannot live in the repository.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, type FixtureBuild } from './helpers/build-fixture.js';

let tmp: string;
let blog: string;
let result: FixtureBuild;

const post = (title: string, date: string) => `---\ntitle: ${title}\ndate: ${date}\n---\nBody of ${title}.\n`;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-links-'));
  blog = path.join(tmp, 'blog');
  const outside = path.join(tmp, 'outside');
  const write = async (rel: string, text: string) => {
    await fs.mkdir(path.dirname(path.join(tmp, rel)), { recursive: true });
    await fs.writeFile(path.join(tmp, rel), text);
  };
  await write('blog/blogbuild.config.json', '{ "url": "https://example.org/" }\n');
  await write('blog/posts/real.md', post('Real', '2024-01-01'));
  await write('blog/shared/linked.md', post('Linked from shared', '2024-01-02'));
  await write('blog/shared/more/nested.md', post('Nested in a linked folder', '2024-01-03'));
  await write('blog/posts/trip/index.md', `${post('Trip', '2024-01-04')}\n![A photo](photo.jpg)\n`);
  await write('blog/art/logo.txt', 'logo\n');
  await write('outside/secret.md', post('Secret', '2024-01-05'));
  await write('outside/secret.txt', 'secret\n');
  await write('outside/photo.jpg', 'jpeg\n');
  const link = (target: string, rel: string) => fs.symlink(target, path.join(blog, rel));
  await link('../shared/linked.md', 'posts/linked.md');
  await link(path.join(blog, 'shared/more'), 'posts/more');
  await link(path.join(outside, 'secret.md'), 'posts/secret.md');
  await link(path.join(blog, 'nowhere.md'), 'posts/broken.md');
  await link('..', 'posts/loop');
  await link(path.join(outside, 'photo.jpg'), 'posts/trip/photo.jpg');
  await fs.mkdir(path.join(blog, 'public'));
  await link('../art/logo.txt', 'public/logo.txt');
  await link(path.join(outside, 'secret.txt'), 'public/secret.txt');
  result = await buildFixture(blog, { cache: false });
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('symbolic links', () => {
  it('follows links to files and folders inside the blog', () => {
    expect(result.ok, JSON.stringify(result.diagnostics)).toBe(true);
    expect(result.read('posts/linked/index.html')).toContain('Body of Linked from shared.');
    expect(result.read('posts/nested/index.html')).toContain('Body of Nested in a linked folder.');
    expect(result.read('logo.txt')).toBe('logo\n');
  });

  it('skips links that leave the blog, point nowhere or loop, with one warning each', () => {
    const warnings = result.diagnostics
      .filter((d) => d.code === 'SymlinkSkipped')
      .map((d) => [path.relative(blog, d.loc!.file), d.severity, d.message.replace(tmp, '<tmp>')])
      .sort();
    expect(warnings).toEqual([
      ['posts/broken.md', 'warning', 'symbolic link skipped: it points to nothing'],
      ['posts/loop', 'warning', 'symbolic link skipped: it points to a folder that is read anyway, or that holds the link (a loop)'],
      ['posts/secret.md', 'warning', 'symbolic link skipped: it points outside the blog (to <tmp>/outside/secret.md)'],
      ['posts/trip/photo.jpg', 'warning', 'symbolic link skipped: it points outside the blog (to <tmp>/outside/photo.jpg)'],
      ['public/secret.txt', 'warning', 'symbolic link skipped: it points outside the blog (to <tmp>/outside/secret.txt)'],
    ]);
    expect(result.has('posts/secret/index.html')).toBe(false);
    expect(result.has('secret.txt')).toBe(false);
    expect(result.has('posts/trip/photo.jpg')).toBe(false);
    for (const [file, bytes] of result.writer.files) expect(Buffer.from(bytes).toString('utf8'), file).not.toContain('Secret');
  });
});
