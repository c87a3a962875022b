import { DamagedStoreError, type Store } from './store.js';

/**
 * How a value is kept in a store when it is not kept as it is: `encode` gives what is stored (undefined: this value
 * is not kept, e.g. a post with errors), `decode` the value again (undefined: what is stored has the wrong shape, so
 * it is not there).
 */
export interface Codec<T> {
  encode(value: T): unknown;
  decode(stored: unknown): T | undefined;
}

/**
 * The value of `compute()`, or the one stored under `namespace` and `key` by an earlier build: with {@link recall}
 * (its hit test), the only place that decides a hit or a miss. `key` must name every input of `compute` (the
 * store's salt adds the code salt, see code-salt.ts); undefined means the inputs cannot be named (or not trusted, such as a file modified within the
 * clock's granularity), and the value is computed. Undefined results are not stored. Without a store
 * (`--no-cache`), everything is computed. With a `codec`, a stored value that does not decode is a miss; a promise's
 * value is encoded when it resolves, and a hit gives the decoded value itself.
 */
export function memo<T>(store: Store | undefined, namespace: string, key: string | undefined, compute: () => T, codec?: Codec<Awaited<T>>): T {
  if (!store || key === undefined) return compute();
  const found = recall(store, namespace, key, codec);
  if (found !== undefined) return found as T;
  const value = compute();
  if (value instanceof Promise) {
    return value.then((resolved: unknown) => {
      remember(store, namespace, key, resolved, codec as Codec<unknown> | undefined);
      return resolved;
    }) as T;
  }
  remember(store, namespace, key, value as Awaited<T>, codec);
  return value;
}

/**
 * The value an earlier build stored under `namespace` and `key`, decoded, or undefined (a miss): memo's hit test,
 * for a caller that learns whether it has a value before it can compute one (e.g. a page rendered later, by the
 * writer; see {@link remember}).
 */
export function recall<T>(store: Store, namespace: string, key: string, codec?: Codec<T>): T | undefined {
  const stored = store.get(namespace, key);
  if (stored === undefined) return undefined;
  try {
    return codec ? codec.decode(stored) : (stored as T);
  } catch (cause) {
    // A blob the codec read and found damaged (see deferBlobs in disk-store.ts): the value is not there.
    if (cause instanceof DamagedStoreError) return undefined;
    throw cause;
  }
}

/** Stores a value computed after {@link recall} missed (undefined is not stored). */
export function remember<T>(store: Store, namespace: string, key: string, value: T, codec: Codec<T> | undefined): void {
  const stored = codec && value !== undefined ? codec.encode(value) : value;
  if (stored !== undefined) store.set(namespace, key, stored);
}
