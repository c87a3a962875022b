import { describe, expect, it } from 'vitest';
import { defineLazyText } from '../../../src/content/lazy-text.js';
import { packFile, unpackFile } from '../../../src/incremental/packed-file.js';

const text = 'Crème brûlée 🍮, <b>bold</b>';

function packed(blobs: (string | Uint8Array)[]) {
  const file = unpackFile(Buffer.concat(packFile('test 1', { n: blobs.length }, blobs)), 'test 1');
  if ('reason' in file) throw new Error(file.reason);
  return file;
}

describe('lazy text from cache files', () => {
  it('reads as the same string, keys and JSON as the text itself, also after assigning', () => {
    const post = defineLazyText({ title: 't' }, 'body', packed([text]).blob(0)) as { title: string; body: string | number };
    expect(Object.keys(post)).toEqual(['title', 'body']);
    expect(JSON.stringify(post)).toBe(JSON.stringify({ title: 't', body: text }));
    expect(post.body).toBe(text);
    Object.assign(post, { body: 3 });
    expect(post.body).toBe(3);
  });

  it('keeps each object its own text, also in a copy by descriptors, until read', async () => {
    const { deferredTextOf, lazyTextOf } = await import('../../../src/content/lazy-text.js');
    const file = packed([text, 'second body']);
    const a = defineLazyText({ title: 'a' }, 'body', file.blob(0)) as { title: string; body: string };
    const b = defineLazyText({ title: 'b' }, 'body', () => file.blob(1)) as { title: string; body: string };
    const copy = Object.create(Object.getPrototypeOf(a), Object.getOwnPropertyDescriptors(a)) as typeof a;
    // Undecoded: the bytes (or the reader) are what the caches write back.
    expect(Buffer.from(lazyTextOf(a, 'body') as Uint8Array).toString('utf8')).toBe(text);
    expect(typeof deferredTextOf(b, 'body')).toBe('function');
    expect(b.body).toBe('second body');
    expect(deferredTextOf(b, 'body')).toBe('second body');
    expect(copy.body).toBe(text);
    expect(a.body).toBe(text);
    // The slot is not a field: keys, spreads and JSON see only the text.
    expect(Object.keys({ ...b })).toEqual(['title', 'body']);
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ title: 'a', body: text }));
    // Every lazy body has the same accessor, so objects made alike share V8's hidden class.
    const c = defineLazyText({ title: 'c' }, 'body', file.blob(1));
    expect(Object.getOwnPropertyDescriptor(c, 'body')!.get).toBe(Object.getOwnPropertyDescriptor(defineLazyText({ title: 'd' }, 'body', file.blob(0)), 'body')!.get);
  });

  it('writes undecoded blobs back byte for byte', () => {
    const first = packed([text, 'other']);
    const again = packed([first.blob(0), 'other']);
    expect(again.blob(0).toString('utf8')).toBe(text);
    expect(Buffer.concat(packFile('test 1', { n: 2 }, [first.blob(0), 'other']))).toEqual(Buffer.concat(packFile('test 1', { n: 2 }, [text, 'other'])));
  });
});

describe('posts read as bytes', () => {
  it('keep the body as the file bytes after the front matter: the same text, digest and post as from a string', async () => {
    const { loadPosts } = await import('../../../src/content/load-posts.js');
    const { bodyDigests } = await import('../../../src/cache/body-digest.js');
    const { createHash } = await import('node:crypto');
    // Non-ASCII before the body (so byte and character offsets differ), CRLF lines, emoji in the body.
    const file = '---\r\ntitle: "Crème brûlée 🍮"\r\ndate: 2024-12-31\r\ntags: [café, 🍞]\r\n---\r\n# Crème brûlée 🍮\r\n\r\n- 🍞 bread\r\n- ☕ coffee\r\n';
    const bytes = Buffer.from(file, 'utf8');
    const fromBytes = loadPosts([{ path: '/blog/posts/a.md', relPath: 'a.md', assets: [], bytes, get text() { return bytes.toString('utf8'); } }], { timezone: 'UTC', author: 'A' });
    const fromText = loadPosts([{ path: '/blog/posts/a.md', relPath: 'a.md', assets: [], text: file }], { timezone: 'UTC', author: 'A' });
    expect(fromBytes.diagnostics).toEqual([]);
    const [post] = fromBytes.posts;
    expect(bodyDigests().of(post)).toBe(createHash('sha1').update(fromText.posts[0].body).digest('hex'));
    expect(post.body).toBe('# Crème brûlée 🍮\r\n\r\n- 🍞 bread\r\n- ☕ coffee\r\n');
    expect(JSON.stringify(post)).toBe(JSON.stringify(fromText.posts[0]));
    expect(Object.keys(post)).toEqual(Object.keys(fromText.posts[0]));
  });
});

describe('writeChunksSync', () => {
  it('writes more chunks than one gathered write takes, in order', async () => {
    const { writeChunksSync } = await import('../../../src/incremental/packed-file.js');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-chunks-'));
    try {
      const chunks = Array.from({ length: 2500 }, (_, i) => Buffer.from(i % 7 === 0 ? '' : `${i}:${'é'.repeat(i % 13)};`));
      const file = path.join(dir, 'out');
      writeChunksSync(file, chunks);
      expect(fs.readFileSync(file).equals(Buffer.concat(chunks))).toBe(true);
      writeChunksSync(file, [Buffer.from('short')]);
      expect(fs.readFileSync(file, 'utf8')).toBe('short');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
