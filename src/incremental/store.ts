import { readDeferred, type DeferredText, type LazyText } from '../content/lazy-text.js';

/**
 * Where incremental builds keep what they computed: JSON values by namespace (one per kind of result, e.g.
 * `config` or `feed-html`) and key (a digest of everything the value was made from). The stages never see a store:
 * `build()` wraps a stage's work in {@link memo} once, with a key from the stage's declared inputs.
 */
export interface Store {
  /** The value stored under the key, or undefined. A value read is kept by the next {@link commit}. */
  get(namespace: string, key: string): unknown;
  /** Stores a value for this build. */
  set(namespace: string, key: string, value: unknown): void;
  /**
   * Makes this build's values last: a disk store writes each changed namespace (only the values this build read
   * or set, so a namespace does not grow forever), or only `namespace` when given (its work is done early, so its
   * write can overlap other work). Never throws; a value not kept only makes a later build slower.
   */
  commit(namespace?: string): void;
}

/**
 * Text in a stored value that a disk store keeps as raw UTF-8 (not JSON-escaped) and gives back as the bytes read,
 * undecoded (see defineLazyText): for large texts, such as post bodies and HTML, that a build often never reads. A
 * disk store may give it back unread: {@link text} reads it when first asked for (see deferBlobs in disk-store.ts).
 */
export class StoredText {
  #text: DeferredText;
  constructor(text: DeferredText) {
    this.#text = text;
  }

  /** The text; read now if it was not yet (throws {@link DamagedStoreError} when its bytes are damaged). */
  get text(): LazyText {
    return (this.#text = readDeferred(this.#text));
  }

  /** The text, or what reads it when it was not read yet: for a value that may never need it. */
  get deferred(): DeferredText {
    return this.#text;
  }
}

/**
 * A stored text whose bytes turned out damaged when they were read, after its value had been given out (see
 * deferBlobs in disk-store.ts). The store records the file; build() makes the build again without it.
 */
export class DamagedStoreError extends Error {
  constructor(readonly file: string) {
    super(`the cache file ${file} is damaged`);
  }
}

/**
 * A store in this process's memory (the dev server keeps one between builds). {@link Store.commit} keeps the values
 * read or set since the last commit and drops the others, as a disk store does, so a long session holds what the
 * last build used and not every version of every edited file.
 */
export function memoryStore(): Store {
  const namespaces = new Map<string, { values: Map<string, unknown>; used: Set<string> }>();
  const space = (namespace: string) => {
    let found = namespaces.get(namespace);
    if (!found) namespaces.set(namespace, (found = { values: new Map(), used: new Set() }));
    return found;
  };
  const commitSpace = (found: { values: Map<string, unknown>; used: Set<string> }) => {
    for (const key of found.values.keys()) if (!found.used.has(key)) found.values.delete(key);
    found.used.clear();
  };
  return {
    get(namespace, key) {
      const found = namespaces.get(namespace);
      const value = found?.values.get(key);
      if (value !== undefined) found!.used.add(key);
      return value;
    },
    set(namespace, key, value) {
      const found = space(namespace);
      found.values.set(key, value);
      found.used.add(key);
    },
    commit(namespace) {
      if (namespace === undefined) for (const found of namespaces.values()) commitSpace(found);
      else if (namespaces.has(namespace)) commitSpace(namespaces.get(namespace)!);
    },
  };
}

/**
 * Memory over another store (the dev server's memory over the disk cache): reads try the memory first, and a value
 * found below is copied up; writes go to both. Commit commits the store below (the memory is committed by its
 * owner, after each build: see finish in build-run.ts).
 */
export function layeredStore(memory: Store, below: Store): Store {
  return {
    get(namespace, key) {
      const value = memory.get(namespace, key);
      if (value !== undefined) {
        // Read below too, so the disk store keeps it when it commits; the memory's copy is the one returned.
        if (below.get(namespace, key) === undefined) below.set(namespace, key, value);
        return value;
      }
      const stored = below.get(namespace, key);
      if (stored !== undefined) memory.set(namespace, key, stored);
      return stored;
    },
    set(namespace, key, value) {
      memory.set(namespace, key, value);
      below.set(namespace, key, value);
    },
    commit: () => below.commit(),
  };
}
