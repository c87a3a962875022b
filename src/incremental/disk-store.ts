import fs from 'node:fs';
import path from 'node:path';
import { packFile, unpackFile, writeFileAtomic } from '../cache/packed.js';
import type { Store } from './store.js';

const magic = 'blogbuild-store 1';

/**
 * The persistent store: one file a namespace, `<namespace>.store` in `dir`, in the cache files' one format
 * (packed.ts: a header with a CRC-32 and the length, then JSON), written atomically. A file is read when its
 * namespace is first used; one whose checksum, length, JSON or salt is wrong (damaged, or made by other code) is
 * ignored as a whole. {@link Store.commit} rewrites a namespace only when this build set a value in it or left
 * some of its values unused (those are dropped).
 */
export function diskStore(dir: string, salt: string): Store {
  const spaces = new Map<string, { previous: Record<string, unknown>; used: Map<string, unknown>; isChanged: boolean }>();
  const space = (namespace: string) => {
    let found = spaces.get(namespace);
    if (!found) {
      found = { previous: readNamespace(fileOf(dir, namespace), salt), used: new Map(), isChanged: false };
      spaces.set(namespace, found);
    }
    return found;
  };
  return {
    get(namespace, key) {
      const { previous, used } = space(namespace);
      const value = used.has(key) ? used.get(key) : previous[key];
      if (value !== undefined) used.set(key, value);
      return value;
    },
    set(namespace, key, value) {
      const found = space(namespace);
      found.used.set(key, value);
      found.isChanged = true;
    },
    commit() {
      for (const [namespace, { previous, used, isChanged }] of spaces) {
        if (!isChanged && used.size === Object.keys(previous).length) continue;
        try {
          writeFileAtomic(fileOf(dir, namespace), packFile(magic, { salt, entries: Object.fromEntries(used) }, []));
        } catch {
          // Not written: the next build computes these values again.
        }
      }
      spaces.clear();
    },
  };
}

function fileOf(dir: string, namespace: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(namespace)) throw new Error(`invalid store namespace ${namespace}`);
  return path.join(dir, `${namespace}.store`);
}

/** The values of a namespace's file; none when it is missing, damaged or made under another salt. */
function readNamespace(file: string, salt: string): Record<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    // Missing (or unreadable): an empty namespace.
    return Object.create(null) as Record<string, unknown>;
  }
  const read = unpackFile(bytes, magic);
  if ('reason' in read) return Object.create(null) as Record<string, unknown>;
  const data = read.data as { salt?: unknown; entries?: unknown } | null;
  if (typeof data !== 'object' || data === null || data.salt !== salt || typeof data.entries !== 'object' || data.entries === null || Array.isArray(data.entries)) {
    return Object.create(null) as Record<string, unknown>;
  }
  return Object.assign(Object.create(null), data.entries) as Record<string, unknown>;
}
