import fs from 'node:fs';
import path from 'node:path';
import type { LazyText } from '../content/lazy-text.js';
import { openPackedFile, packFile, readPackedFile, writeFileAtomic } from './packed-file.js';
import { DamagedStoreError, StoredText, type Store } from './store.js';

const magic = 'blogbuild-store 3';

/**
 * The namespace files a process read or wrote last, with each file's size, mtime and inode then: a process that
 * builds again and again (the dev server) does not read and parse an unchanged file again. Create one with
 * `new Map()`; entries are never mutated once stored.
 */
export type StoreFiles = Map<string, { signature: string; values: Values }>;

/** A namespace's values as read: JSON as parsed, with blob references (decoded on first read, see {@link decode}). */
type Values = Map<string, unknown>;

/** Files a namespace is split into, by a hash of the key: an edit rewrites the one or two holding what changed. */
const shardCount = 64;

/** One file of a namespace: its values as read, those this build used or set, and whether it must be written. */
interface Shard {
  file: string;
  previous: Values;
  /** Read in part: its values are not shared with other stores (see StoreFiles). */
  isInPart: boolean;
  used: Map<string, unknown>;
  isChanged: boolean;
  written: number;
}

/**
 * The persistent store: each namespace in {@link shardCount} files, `<namespace>.<n>.store` in `dir`, a key's file
 * chosen by a hash of the key, each in the cache files' one format (packed-file.ts: a header with a CRC-32 and the
 * length, a JSON index, then the {@link StoredText}s as raw UTF-8 blobs), written atomically by writeFileAtomic.
 * A namespace's file is read when a key of it is first used; one whose checksum, length, JSON or salt is wrong (damaged, or
 * made by other code) is ignored as a whole. {@link Store.commit} rewrites a file only when this build set a value in
 * it or left some of its values unused (those are dropped): a one-post edit rewrites a 64th of the markdown
 * cache, not all of it (~8 MB at 1,000 posts).
 * The namespaces named `inPart` are read in part: each file's JSON when it is opened, each value's
 * blobs when it is read (each checked by its own checksum; a value with a damaged blob is not there), for a reader
 * that needs a few values of a large namespace (the dev server's first page). With `deferBlobs`, a blob is read only
 * when its {@link StoredText}'s text is first asked for: a one-post edit reads the JSON of 1,000 posts but not
 * their bodies, nor the HTML of pages it does not render. A blob found damaged then cannot make its value a miss:
 * the store records the file in {@link DiskStore.damaged} and throws {@link DamagedStoreError} (build() makes the
 * build again without the file).
 */
export function diskStore(dir: string, salt: string, files?: StoreFiles, inPart?: ReadonlySet<string>, deferBlobs = false): DiskStore {
  const damaged = new Set<string>();
  // A namespace's files, each read when a key of it is first used (the dev server's home page needs 10 posts' HTML:
  // at most 10 of the markdown cache's 64 files).
  const spaces = new Map<string, (Shard | undefined)[]>();
  const open = (namespace: string, n: number) => {
    let shards = spaces.get(namespace);
    if (!shards) spaces.set(namespace, (shards = new Array<Shard | undefined>(shardCount).fill(undefined)));
    let found = shards[n];
    if (!found) {
      const file = fileOf(dir, namespace, n);
      const isInPart = inPart?.has(namespace) ?? false;
      const previous = isInPart ? readNamespaceInPart(file, salt, deferBlobs ? damaged : undefined) : readNamespace(file, salt, files);
      shards[n] = found = { file, previous, isInPart, used: new Map(), isChanged: false, written: previous.size };
    }
    return found;
  };
  const shard = (namespace: string, key: string) => open(namespace, shardOf(key));
  const commitShard = (found: Shard) => {
    if (!found.isChanged && found.used.size === found.written) return;
    try {
      if (found.used.size === 0) fs.rmSync(found.file, { force: true });
      else writeFileAtomic(found.file, encode(salt, found.used));
      found.isChanged = false;
      found.written = found.used.size;
      const signature = signatureOf(found.file);
      if (files && signature) files.set(found.file, { signature, values: new Map(found.used) });
    } catch {
      // Not written: the next build computes these values again.
      files?.delete(found.file);
    }
  };
  const commitSpace = (namespace: string) => {
    // A file of a used namespace that no key led to is read now: its values, all unused, are dropped (as a file's
    // unused values are), and a later read of one finds what the file held.
    if (spaces.has(namespace)) for (let n = 0; n < shardCount; n++) commitShard(open(namespace, n));
    try {
      fs.rmSync(path.join(dir, `${namespace}.store`), { force: true });
    } catch {
      // The namespace's one file of earlier versions, stale: left when the cache folder cannot be written.
    }
  };
  return {
    damaged,
    get(namespace, key) {
      const found = shard(namespace, key);
      if (found.used.has(key)) return found.used.get(key);
      // A namespace read in part is this store's alone: its values are decoded in place, once.
      const value = decode(found.previous.get(key), found.isInPart);
      if (found.isInPart) found.previous.delete(key);
      if (value !== undefined) found.used.set(key, value);
      return value;
    },
    set(namespace, key, value) {
      const found = shard(namespace, key);
      found.used.set(key, value);
      found.isChanged = true;
    },
    commit(namespace) {
      if (namespace !== undefined) commitSpace(namespace);
      else for (const name of spaces.keys()) commitSpace(name);
    },
  };
}

/** A {@link Store} in a folder, and the files whose blobs were found damaged after their values were given out. */
export interface DiskStore extends Store {
  readonly damaged: ReadonlySet<string>;
}

function fileOf(dir: string, namespace: string, n: number): string {
  if (!/^[a-z][a-z0-9-]*$/.test(namespace)) throw new Error(`invalid store namespace ${namespace}`);
  return path.join(dir, `${namespace}.${n.toString(16)}.store`);
}

/** The file of a key: FNV-1a of its UTF-16 code units, modulo the count. */
function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shardCount;
}

/** A file's size, mtime and inode, or undefined when it cannot be stat'ed. */
function signatureOf(file: string): string | undefined {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ino}`;
  } catch {
    // Missing or unreadable: no signature, so nothing remembered about it is trusted.
    return undefined;
  }
}

/** The values of a namespace's file; none when it is missing, damaged or made under another salt. */
function readNamespace(file: string, salt: string, files: StoreFiles | undefined): Values {
  const signature = files && signatureOf(file);
  const remembered = signature ? files!.get(file) : undefined;
  if (remembered && remembered.signature === signature) return remembered.values;
  // Missing, unreadable or damaged: an empty namespace.
  const values = parseNamespace(readPackedFile(file, magic), salt);
  if (signature && values.size > 0) files!.set(file, { signature, values });
  return values;
}

/** Closes a namespace file read in part once its values are no longer reachable. */
const openFiles = new FinalizationRegistry<() => void>((close) => close());

/**
 * The values of a namespace's file read in part (see diskStore); none when it is missing, damaged or made under
 * another salt. With `damaged`, blobs are read when first needed, and a damaged one is added to it.
 */
function readNamespaceInPart(file: string, salt: string, damaged?: Set<string>): Values {
  const read = openPackedFile(file, magic);
  if ('reason' in read) return new Map();
  const blobOf = damaged && ((index: number) => new StoredText(() => {
    const bytes = read.blob(index);
    if (bytes) return bytes;
    damaged.add(file);
    throw new DamagedStoreError(file);
  }));
  const values = parseNamespace(read, salt, blobOf);
  if (values.size === 0) read.close();
  // The file is closed once nothing can read it: no value, and no unread blob of one.
  else openFiles.register(read, read.close);
  return values;
}

/** Marks a blob reference in a file's JSON: `{"\u0000": index}`. */
const blobMark = '\u0000';

/** A namespace file's values, blob references replaced by {@link StoredText}s of the blobs' bytes when read. */
function parseNamespace(read: ReturnType<typeof readPackedFile> | ReturnType<typeof openPackedFile>, salt: string, blobOf?: (index: number) => StoredText): Values {
  if ('reason' in read) return new Map();
  const data = read.data as { salt?: unknown; entries?: unknown } | null;
  if (typeof data !== 'object' || data === null || data.salt !== salt || typeof data.entries !== 'object' || data.entries === null || Array.isArray(data.entries)) {
    return new Map();
  }
  const values: Values = new Map();
  const blob = (index: number) => {
    if (!Number.isInteger(index) || index < 0 || index >= read.blobCount) return undefined;
    if (blobOf) return blobOf(index);
    const bytes = read.blob(index);
    return bytes && new StoredText(bytes);
  };
  for (const [key, value] of Object.entries(data.entries as Record<string, unknown>)) values.set(key, { [blobRefs]: blob, value });
  return values;
}

/** A value as parsed, with what resolves its blob references; decoded when first read. */
const blobRefs = Symbol('blobs');

/**
 * A value as parsed, its blob references replaced by {@link StoredText}s: in a copy (the parsed JSON may be shared
 * by several stores, see StoreFiles), or `inPlace` for JSON parsed for this store alone (no copy of a large value,
 * e.g. 10,000 posts' fields).
 */
function decode(raw: unknown, inPlace = false): unknown {
  if (typeof raw !== 'object' || raw === null || !(blobRefs in raw)) return raw;
  const { [blobRefs]: blob, value } = raw as { [blobRefs]: (index: number) => StoredText | undefined; value: unknown };
  let isValid = true;
  const walk = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      if (!inPlace) return v.map(walk);
      for (let i = 0; i < v.length; i++) {
        const item = walk(v[i]);
        if (item !== v[i]) v[i] = item;
      }
      return v;
    }
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === blobMark) {
      const text = blob((v as Record<string, number>)[blobMark]);
      if (!text) isValid = false;
      return text;
    }
    const from = v as Record<string, unknown>;
    if (inPlace) {
      for (const key of keys) {
        const item = walk(from[key]);
        if (item !== from[key]) from[key] = item;
      }
      return from;
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = walk(from[key]);
    return out;
  };
  const decoded = walk(value);
  // A reference to a blob the file does not have: the value is damaged, so it is not there.
  return isValid ? decoded : undefined;
}

/** The namespace file: values as JSON, each {@link StoredText} as a blob. */
function encode(salt: string, values: Map<string, unknown>): Uint8Array[] {
  const blobs: LazyText[] = [];
  const walk = (v: unknown): unknown => {
    if (v instanceof StoredText) return { [blobMark]: blobs.push(v.text) - 1 };
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) out[key] = walk(item);
    return out;
  };
  const entries: Record<string, unknown> = {};
  for (const [key, value] of values) entries[key] = walk(value);
  return packFile(magic, { salt, entries }, blobs);
}
