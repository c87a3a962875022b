import fs from 'node:fs';
import path from 'node:path';
import type { LazyText } from '../content/lazy-text.js';
import { openPackedFile, packFile, readPackedFile, writeFileAtomic } from './packed-file.js';
import { StoredText, type Store } from './store.js';

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
const shardCount = 16;

/** One file of a namespace: its values as read, those this build used or set, and whether it must be written. */
interface Shard {
  file: string;
  previous: Values;
  used: Map<string, unknown>;
  isChanged: boolean;
  written: number;
}

/**
 * The persistent store: each namespace in {@link shardCount} files, `<namespace>.<n>.store` in `dir`, a key's file
 * chosen by a hash of the key, each in the cache files' one format (packed-file.ts: a header with a CRC-32 and the
 * length, a JSON index, then the {@link StoredText}s as raw UTF-8 blobs), written atomically by writeFileAtomic.
 * A namespace's files are read when it is first used; one whose checksum, length, JSON or salt is wrong (damaged, or
 * made by other code) is ignored as a whole. {@link Store.commit} rewrites a file only when this build set a value in
 * it or left some of its values unused (those are dropped): a one-post edit rewrites a sixteenth of the markdown
 * cache, not all of it (~8 MB at 1,000 posts).
 * The namespaces named `inPart` are read in part: each file's JSON when the namespace is first used, each value's
 * blobs when it is read (each checked by its own checksum; a value with a damaged blob is not there), for a reader
 * that needs a few values of a large namespace (the dev server's first page).
 */
export function diskStore(dir: string, salt: string, files?: StoreFiles, inPart?: ReadonlySet<string>): Store {
  const spaces = new Map<string, Shard[]>();
  const space = (namespace: string) => {
    let found = spaces.get(namespace);
    if (!found) {
      const isInPart = inPart?.has(namespace) ?? false;
      found = Array.from({ length: shardCount }, (_, n) => {
        const file = fileOf(dir, namespace, n);
        const previous = isInPart ? readNamespaceInPart(file, salt) : readNamespace(file, salt, files);
        return { file, previous, used: new Map(), isChanged: false, written: previous.size };
      });
      spaces.set(namespace, found);
    }
    return found;
  };
  const shard = (namespace: string, key: string) => space(namespace)[shardOf(key)];
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
    for (const found of spaces.get(namespace) ?? []) commitShard(found);
    try {
      fs.rmSync(path.join(dir, `${namespace}.store`), { force: true });
    } catch {
      // The namespace's one file of earlier versions, stale: left when the cache folder cannot be written.
    }
  };
  return {
    get(namespace, key) {
      const found = shard(namespace, key);
      if (found.used.has(key)) return found.used.get(key);
      const value = decode(found.previous.get(key));
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

/** The values of a namespace's file read in part (see diskStore); none when it is missing, damaged or made under another salt. */
function readNamespaceInPart(file: string, salt: string): Values {
  const read = openPackedFile(file, magic);
  if ('reason' in read) return new Map();
  const values = parseNamespace(read, salt);
  if (values.size === 0) read.close();
  else openFiles.register(values, read.close);
  return values;
}

/** Marks a blob reference in a file's JSON: `{"\u0000": index}`. */
const blobMark = '\u0000';

/** A namespace file's values, blob references replaced by {@link StoredText}s of the blobs' bytes when read. */
function parseNamespace(read: ReturnType<typeof readPackedFile> | ReturnType<typeof openPackedFile>, salt: string): Values {
  if ('reason' in read) return new Map();
  const data = read.data as { salt?: unknown; entries?: unknown } | null;
  if (typeof data !== 'object' || data === null || data.salt !== salt || typeof data.entries !== 'object' || data.entries === null || Array.isArray(data.entries)) {
    return new Map();
  }
  const values: Values = new Map();
  const blob = (index: number) => {
    const bytes = Number.isInteger(index) && index >= 0 && index < read.blobCount ? read.blob(index) : undefined;
    return bytes && new StoredText(bytes);
  };
  for (const [key, value] of Object.entries(data.entries as Record<string, unknown>)) values.set(key, { [blobRefs]: blob, value });
  return values;
}

/** A value as parsed, with what resolves its blob references; decoded when first read. */
const blobRefs = Symbol('blobs');

function decode(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || !(blobRefs in raw)) return raw;
  const { [blobRefs]: blob, value } = raw as { [blobRefs]: (index: number) => StoredText | undefined; value: unknown };
  let isValid = true;
  const walk = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map(walk);
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === blobMark) {
      const text = blob((v as Record<string, number>)[blobMark]);
      if (!text) isValid = false;
      return text;
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = walk((v as Record<string, unknown>)[key]);
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
