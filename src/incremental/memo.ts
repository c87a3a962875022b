import type { Store } from './store.js';

/**
 * The value of `compute()`, or the one stored under `namespace` and `key` by an earlier build: the only place that
 * decides a hit or a miss. `key` must name every input of `compute` (see keys in code-salt.ts); undefined means
 * the inputs cannot be named, and the value is computed. Undefined results are not stored. Without a store
 * (`--no-cache`), everything is computed.
 */
export function memo<T>(store: Store | undefined, namespace: string, key: string | undefined, compute: () => T): T {
  if (!store || key === undefined) return compute();
  const stored = store.get(namespace, key);
  if (stored !== undefined) return stored as T;
  const value = compute();
  if (value instanceof Promise) {
    return value.then((resolved: unknown) => {
      if (resolved !== undefined) store.set(namespace, key, resolved);
      return resolved;
    }) as T;
  }
  if (value !== undefined) store.set(namespace, key, value);
  return value;
}
