import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskStore } from '../../../src/incremental/disk-store.js';
import { memo } from '../../../src/incremental/memo.js';
import { DamagedStoreError, layeredStore, memoryStore, StoredText } from '../../../src/incremental/store.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blogbuild-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the disk store', () => {
  it('keeps what a build set for the next build, by namespace and key', () => {
    const first = diskStore(dir, 'salt');
    first.set('feed-html', 'a', '<p>ä 🍞</p>');
    first.set('config', 'a', { title: 'Blog' });
    first.commit();
    const second = diskStore(dir, 'salt');
    expect(second.get('feed-html', 'a')).toBe('<p>ä 🍞</p>');
    expect(second.get('config', 'a')).toEqual({ title: 'Blog' });
    expect(second.get('config', 'b')).toBeUndefined();
  });

  it('drops the values a build neither read nor set, so a namespace does not grow forever', () => {
    const first = diskStore(dir, 'salt');
    first.set('feed-html', 'old', 'x');
    first.set('feed-html', 'kept', 'y');
    first.commit();
    const second = diskStore(dir, 'salt');
    expect(second.get('feed-html', 'kept')).toBe('y');
    second.commit();
    const third = diskStore(dir, 'salt');
    expect(third.get('feed-html', 'old')).toBeUndefined();
    expect(third.get('feed-html', 'kept')).toBe('y');
  });

  it('ignores a file made under another salt (other code), or damaged in any byte', () => {
    const store = diskStore(dir, 'salt');
    store.set('config', 'k', { title: 'Blog' });
    store.commit();
    expect(diskStore(dir, 'other code').get('config', 'k')).toBeUndefined();
    const [file] = fs.readdirSync(dir).map((name) => path.join(dir, name));
    const bytes = fs.readFileSync(file!);
    // Same length, one letter changed: only the checksum can tell.
    fs.writeFileSync(file!, Buffer.from(bytes.toString('latin1').replace('Blog', 'Blob'), 'latin1'));
    expect(diskStore(dir, 'salt').get('config', 'k')).toBeUndefined();
    fs.writeFileSync(file!, bytes.subarray(0, bytes.length - 3));
    expect(diskStore(dir, 'salt').get('config', 'k')).toBeUndefined();
    fs.writeFileSync(file!, bytes);
    expect(diskStore(dir, 'salt').get('config', 'k')).toEqual({ title: 'Blog' });
  });

  it('keeps stored texts as raw bytes, gives them back undecoded, and ignores the file when one of their bytes is damaged', () => {
    const html = '<p>Große 🍞 "quotes" \\ and \n lines</p>';
    const first = diskStore(dir, 'salt');
    first.set('markdown', 'k', [new StoredText(html), 'excerpt', 3]);
    first.commit();
    const [file] = fs.readdirSync(dir).map((name) => path.join(dir, name));
    const bytes = fs.readFileSync(file!);
    // Raw UTF-8, not JSON-escaped: the text's own bytes are in the file.
    expect(bytes.includes(Buffer.from(html))).toBe(true);
    const [text, excerpt, words] = diskStore(dir, 'salt').get('markdown', 'k') as [StoredText, string, number];
    expect(text).toBeInstanceOf(StoredText);
    expect(text.text).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(text.text).toString('utf8')).toBe(html);
    expect([excerpt, words]).toEqual(['excerpt', 3]);
    const damaged = Buffer.from(bytes);
    damaged[bytes.indexOf(Buffer.from('Große'))] ^= 0x20;
    fs.writeFileSync(file!, damaged);
    expect(diskStore(dir, 'salt').get('markdown', 'k')).toBeUndefined();
  });

  it('reads a namespace in part: only the values asked for, a value with a damaged blob missing, the others intact, a file as it was opened', () => {
    const first = diskStore(dir, 'salt');
    for (const key of ['a', 'b', 'c']) first.set('markdown', key, [new StoredText(`<p>HTML of ${key} 🍞</p>`), `excerpt ${key}`, 3]);
    first.commit();
    // The namespace is split into files by key: the one holding `text`, as first written.
    const written = new Map(fs.readdirSync(dir).map((name) => [path.join(dir, name), fs.readFileSync(path.join(dir, name))]));
    const fileWith = (text: string) => [...written].find(([, content]) => content.includes(text))![0];
    let file = fileWith('HTML of b');
    let bytes = fs.readFileSync(file);
    const damaged = Buffer.from(bytes);
    damaged[bytes.indexOf(Buffer.from('HTML of b'))] ^= 0x20;
    fs.writeFileSync(file, damaged);
    // Read whole, the file is ignored; read in part, only the value whose blob is damaged is.
    expect(diskStore(dir, 'salt').get('markdown', 'b')).toBeUndefined();
    const inPart = diskStore(dir, 'salt', undefined, new Set(['markdown']));
    const html = (key: string) => {
      const value = inPart.get('markdown', key) as [StoredText, string, number] | undefined;
      return value && Buffer.from(value[0].text).toString('utf8');
    };
    expect(html('a')).toBe('<p>HTML of a 🍞</p>');
    expect(html('b')).toBeUndefined();
    // Written again (a rename, as every cache write) after a read in part opened it: its texts still read as opened.
    const deferred = diskStore(dir, 'salt', undefined, new Set(['markdown']), true);
    const c = deferred.get('markdown', 'c') as [StoredText, string, number];
    const other = diskStore(dir, 'salt');
    other.set('markdown', 'c', [new StoredText('<p>other</p>'), 'x', 1]);
    other.commit();
    expect(Buffer.from(c[0].text).toString('utf8')).toBe('<p>HTML of c 🍞</p>');
    // A damaged index (the JSON part) or another salt: nothing is read.
    file = fileWith('excerpt a');
    bytes = written.get(file)!;
    fs.writeFileSync(file, Buffer.from(bytes.toString('latin1').replace('excerpt a', 'excerpt A'), 'latin1'));
    expect(diskStore(dir, 'salt', undefined, new Set(['markdown'])).get('markdown', 'a')).toBeUndefined();
    fs.writeFileSync(file, bytes);
    expect(diskStore(dir, 'other', undefined, new Set(['markdown'])).get('markdown', 'a')).toBeUndefined();
    expect(diskStore(dir, 'salt', undefined, new Set(['markdown'])).get('markdown', 'a')).toBeDefined();
  });

  it('with deferred blobs, reads a text only when asked for; a damaged one throws then, names its file, and is written back only if intact', () => {
    const first = diskStore(dir, 'salt');
    const keys = Array.from({ length: 400 }, (_, i) => `k${i}`);
    for (const key of keys) first.set('markdown', key, [new StoredText(`<p>HTML of ${key}. 🍞</p>`), `excerpt ${key}.`, 3]);
    first.commit();
    const files = fs.readdirSync(dir).map((name) => path.join(dir, name));
    const fileOf = (text: string) => files.find((file) => fs.readFileSync(file).includes(text))!;
    const damagedFile = fileOf('HTML of k1.');
    const bytes = fs.readFileSync(damagedFile);
    bytes[bytes.indexOf(Buffer.from('HTML of k1.'))] ^= 0x20;
    fs.writeFileSync(damagedFile, bytes);
    // The file holds other values too: a store that uses only k1 writes it again without them.
    expect(keys.filter((key) => bytes.includes(`excerpt ${key}.`)).length).toBeGreaterThan(1);

    const store = diskStore(dir, 'salt', undefined, new Set(['markdown']), true);
    const intact = store.get('markdown', 'k0') as [StoredText, string, number];
    const damaged = store.get('markdown', 'k1') as [StoredText, string, number];
    // The values are there with their JSON; the texts are not read yet.
    expect(damaged[1]).toBe('excerpt k1.');
    expect(typeof intact[0].deferred).toBe('function');
    expect(store.damaged.size).toBe(0);
    expect(Buffer.from(intact[0].text).toString('utf8')).toBe('<p>HTML of k0. 🍞</p>');
    expect(() => damaged[0].text).toThrow(DamagedStoreError);
    expect([...store.damaged]).toEqual([damagedFile]);
    // The file holding the damaged text is not written again (the build that found it removes it and builds again).
    store.commit();
    expect(fs.readFileSync(damagedFile)).toEqual(bytes);
    // memo takes a value whose codec finds a damaged text for a miss.
    const fresh = diskStore(dir, 'salt', undefined, new Set(['markdown']), true);
    const codec = { encode: (html: string) => [new StoredText(html), '', 0], decode: (stored: unknown) => Buffer.from((stored as [StoredText])[0].text).toString('utf8') };
    expect(memo(fresh, 'markdown', 'k1', () => 'computed', codec)).toBe('computed');
    expect(memo(fresh, 'markdown', 'k0', () => 'computed', codec)).toBe('<p>HTML of k0. 🍞</p>');
  });

  it('reads an unchanged file once for a process that keeps its files (the dev server), and again once it changed', () => {
    const files = new Map();
    const first = diskStore(dir, 'salt', files);
    first.set('config', 'k', { title: 'Blog' });
    first.commit();
    const [file] = fs.readdirSync(dir).map((name) => path.join(dir, name));
    expect(diskStore(dir, 'salt', files).get('config', 'k')).toEqual({ title: 'Blog' });
    // Another process replaced the file: the new one is read.
    const other = diskStore(dir, 'salt');
    other.set('config', 'k', { title: 'Other' });
    other.commit();
    expect(fs.readdirSync(dir)).toEqual([path.basename(file!)]);
    expect(diskStore(dir, 'salt', files).get('config', 'k')).toEqual({ title: 'Other' });
  });

  it('leaves no temp files and writes nothing when nothing changed', () => {
    const store = diskStore(dir, 'salt');
    store.set('config', 'k', 1);
    store.commit();
    const [name] = fs.readdirSync(dir);
    const mtime = fs.statSync(path.join(dir, name!)).mtimeMs;
    const again = diskStore(dir, 'salt');
    expect(again.get('config', 'k')).toBe(1);
    again.commit();
    expect(fs.readdirSync(dir)).toEqual([name]);
    expect(fs.statSync(path.join(dir, name!)).mtimeMs).toBe(mtime);
  });
});

describe('memo', () => {
  it('computes on a miss, stores the value, and returns the stored value on a hit', async () => {
    const store = memoryStore();
    let calls = 0;
    const compute = () => ++calls;
    expect(memo(store, 'n', 'k', compute)).toBe(1);
    expect(memo(store, 'n', 'k', compute)).toBe(1);
    expect(memo(store, 'n', 'other', compute)).toBe(2);
    expect(await memo(store, 'async', 'k', async () => 'made')).toBe('made');
    expect(await memo(store, 'async', 'k', async () => 'again')).toBe('made');
  });

  it('computes every time without a store or without a key', () => {
    let calls = 0;
    expect(memo(undefined, 'n', 'k', () => ++calls)).toBe(1);
    expect(memo(undefined, 'n', 'k', () => ++calls)).toBe(2);
    expect(memo(memoryStore(), 'n', undefined, () => ++calls)).toBe(3);
  });
});

describe('memory store', () => {
  it('keeps, at each commit, the values read or set since the last one, as a disk store keeps a build\'s', () => {
    const store = memoryStore();
    store.set('n', 'read', 1);
    store.set('n', 'dropped', 2);
    store.commit();
    expect(store.get('n', 'read')).toBe(1);
    store.set('n', 'new', 3);
    store.commit();
    expect([store.get('n', 'read'), store.get('n', 'dropped'), store.get('n', 'new')]).toEqual([1, undefined, 3]);
    store.commit('other');
    expect(store.get('n', 'new')).toBe(3);
  });
});

describe('memory over disk', () => {
  it('serves from memory, fills memory from disk, and commits what either held to disk', () => {
    const disk = diskStore(dir, 'salt');
    disk.set('feed-html', 'from-disk', 'd');
    disk.commit();
    const memory = memoryStore();
    memory.set('feed-html', 'from-memory', 'm');
    const layered = layeredStore(memory, diskStore(dir, 'salt'));
    expect(layered.get('feed-html', 'from-disk')).toBe('d');
    expect(memory.get('feed-html', 'from-disk')).toBe('d');
    expect(layered.get('feed-html', 'from-memory')).toBe('m');
    layered.commit();
    const later = diskStore(dir, 'salt');
    expect(later.get('feed-html', 'from-disk')).toBe('d');
    expect(later.get('feed-html', 'from-memory')).toBe('m');
  });
});
