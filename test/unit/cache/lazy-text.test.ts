import { describe, expect, it } from 'vitest';
import { defineLazyText, lazyTextOf, packFile, unpackFile } from '../../../src/cache/packed.js';

const text = 'Crème brûlée 🍮, <b>bold</b>';

function packed(blobs: (string | Uint8Array)[]) {
  const file = unpackFile(Buffer.concat(packFile('test 1', { n: blobs.length }, blobs)), 'test 1');
  if ('reason' in file) throw new Error(file.reason);
  return file;
}

describe('lazy text from cache files', () => {
  it('decodes a blob only when read, then keeps the string', () => {
    const file = packed([text]);
    const post = defineLazyText({ title: 't' }, 'body', file.blob(0)) as { title: string; body: string };
    expect(lazyTextOf(post, 'body')).toBeInstanceOf(Uint8Array);
    expect(Object.keys(post)).toEqual(['title', 'body']);
    expect(post.body).toBe(text);
    expect(typeof lazyTextOf(post, 'body')).toBe('string');
    expect(Object.getOwnPropertyDescriptor(post, 'body')?.value).toBe(text);
  });

  it('copies keep the bytes undecoded and each decodes on its own', () => {
    const post = defineLazyText({}, 'body', packed([text]).blob(0)) as { body: string };
    const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(post)) as { body: string };
    expect(lazyTextOf(copy, 'body')).toBeInstanceOf(Uint8Array);
    expect(copy.body).toBe(text);
    expect(lazyTextOf(post, 'body')).toBeInstanceOf(Uint8Array);
    expect(JSON.stringify(post)).toBe(JSON.stringify({ body: text }));
  });

  it('assigning replaces the lazy value without decoding it', () => {
    const post = defineLazyText({}, 'body', packed([text]).blob(0)) as { body: string | number };
    Object.assign(post, { body: 3 });
    expect(post.body).toBe(3);
  });

  it('writes undecoded blobs back byte for byte', () => {
    const first = packed([text, 'other']);
    const again = packed([first.blob(0), 'other']);
    expect(again.blob(0).toString('utf8')).toBe(text);
    expect(Buffer.concat(packFile('test 1', { n: 2 }, [first.blob(0), 'other']))).toEqual(Buffer.concat(packFile('test 1', { n: 2 }, [text, 'other'])));
  });
});
