/**
 * The dev server's index of front matter (src/dev/post-index.ts): a second load takes every unchanged post from it,
 * with the body read from the source only when asked for, and a post whose source changed since is loaded from the
 * file; a body asked for after its source changed is an error, never another body's text.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyDigests } from '../../src/cache/body-digest.js';
import { discoverSources } from '../../src/content/discover.js';
import { loadPosts } from '../../src/content/load-posts.js';
import { postIndex } from '../../src/dev/post-index.js';
import { diskStore } from '../../src/incremental/disk-store.js';
import { copyFixture, pastRacyWindow } from '../helpers/build-fixture.js';

let tmp: string | undefined;
afterEach(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  tmp = undefined;
});

/** Dates every file under `dir` a minute back: sources saved in the clock's last tick are not indexed (see isRacy). */
async function age(dir: string): Promise<Date> {
  const past = new Date(Date.now() - 60_000);
  for (const entry of await fs.readdir(dir, { recursive: true })) await fs.utimes(path.join(dir, entry), past, past);
  await pastRacyWindow();
  return past;
}

/** A post's fields but its body, as JSON, without reading the body (a spread would). */
const fieldsOf = (post: object) => JSON.stringify(Object.keys(post).filter((key) => key !== 'body').map((key) => [key, (post as Record<string, unknown>)[key]]));

const options = { timezone: 'UTC', author: 'Someone', shouldScanBodies: false };

async function load(root: string) {
  const index = postIndex(diskStore(path.join(root, 'cache'), 'salt'), bodyDigests(), options, undefined);
  const { sources } = await discoverSources(path.join(root, 'posts'), undefined, index, root);
  const { posts } = loadPosts(sources, options, undefined, index);
  return { index, posts };
}

describe('the dev server index of front matter', () => {
  it('gives unchanged posts from the index with their bodies read on demand, and loads changed ones from their files', async () => {
    tmp = await copyFixture('kitchen-sink', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-post-index-')));
    const postsDir = path.join(tmp, 'posts');
    const past = await age(postsDir);
    const names = (await fs.readdir(postsDir)).filter((name) => name.endsWith('.md')).sort();

    const first = await load(tmp);
    expect(first.posts.length).toBeGreaterThan(3);
    expect(first.index.fromIndex).toBe(0);
    first.index.save();
    const bodies = new Map(first.posts.map((post) => [post.sourcePath, post.body]));
    const fields = new Map(first.posts.map((post) => [post.sourcePath, fieldsOf(post)]));

    const edited = path.join(postsDir, names[0]);
    await fs.appendFile(edited, '\nEdited between two starts.\n');
    await fs.utimes(edited, past, new Date(past.getTime() + 1000));
    const second = await load(tmp);
    expect(second.posts.map((post) => post.sourcePath)).toEqual(first.posts.map((post) => post.sourcePath));
    expect(second.index.fromIndex).toBe(first.posts.length - 1);
    for (const post of second.posts) {
      expect(fieldsOf(post), post.relPath).toBe(fields.get(post.sourcePath));
    }
    const changed = second.posts.find((post) => post.sourcePath === edited)!;
    expect(changed.body).toBe(`${bodies.get(edited)}\nEdited between two starts.\n`);
    const unchanged = second.posts.filter((post) => post.sourcePath !== edited);
    expect(unchanged[0].body).toBe(bodies.get(unchanged[0].sourcePath));

    // A source saved after the index was read: its body is not given as that of the post the index named.
    const later = unchanged[1];
    await fs.appendFile(later.sourcePath, '\nSaved after the start.\n');
    expect(() => later.body).toThrow(/changed after the dev server loaded it/);
  });

  it('ignores a damaged index and loads every post from its file', async () => {
    tmp = await copyFixture('kitchen-sink', await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-post-index-')));
    await age(path.join(tmp, 'posts'));
    const first = await load(tmp);
    first.index.save();
    // The index's namespace is split into files by key, like every other: the one that holds it.
    const files = (await fs.readdir(path.join(tmp, 'cache'))).filter((name) => name.startsWith('dev-posts.'));
    expect(files).toHaveLength(1);
    const file = path.join(tmp, 'cache', files[0]);
    const bytes = await fs.readFile(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x20;
    await fs.writeFile(file, bytes);
    const second = await load(tmp);
    expect(second.posts.length).toBe(first.posts.length);
    expect(second.index.fromIndex).toBe(0);
    expect(second.posts.map((post) => post.body)).toEqual(first.posts.map((post) => post.body));
  });
});
