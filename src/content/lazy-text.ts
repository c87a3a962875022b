/** Text kept as the UTF-8 bytes it was read as until some code needs it as a string. */
export type LazyText = string | Uint8Array;

/** A {@link LazyText}, or what reads its bytes when first needed (a cache file's blob, see disk-store.ts). */
export type DeferredText = LazyText | (() => LazyText);

/** The text of a {@link DeferredText}, read now if it was not yet. */
export function readDeferred(text: DeferredText): LazyText {
  return typeof text === 'function' ? text() : text;
}

/** The string of a {@link LazyText}. */
export function textOf(text: LazyText): string {
  return typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
}

/**
 * Defines `target[key]` as `text`, decoded from UTF-8 only when first read (then stored as a plain value). A build
 * whose pages are all unchanged never needs most posts' bodies or HTML: decoding them all would cost time and
 * twice their size in memory (V8 stores non-Latin-1 text, e.g. emoji, as UTF-16). Copy such a property with
 * {@link copyLazyText}, or a whole object by all its property descriptors (symbols included): a spread reads (decodes)
 * every property.
 *
 * Every object's `key` has the same getter and setter, and the undecoded text is in a slot beside it
 * (a symbol of the key's): objects made alike keep sharing one hidden class. A getter made for each object gave
 * each its own (10,000 posts, 10,000 hidden classes), which made every later read of a post's fields slow and
 * cost a 10,000-post rebuild ~70 ms to define and more in garbage collection.
 */
export function defineLazyText<T extends object>(target: T, key: string, text: DeferredText): T {
  if (typeof text === 'string') {
    Object.defineProperty(target, key, { value: text, writable: true, enumerable: true, configurable: true });
    return target;
  }
  const lazy = lazyKey(key);
  // A plain store (a symbol key is not a field: keys, for…in and JSON skip it), cheaper than defining it.
  (target as Record<symbol, DeferredText>)[lazy.slot] = text;
  Object.defineProperty(target, key, lazy.descriptor);
  return target;
}

interface LazyKey {
  /** Where an object keeps the undecoded text (or its reader) of this key until it is read. */
  slot: symbol;
  /** The accessor every object's lazy property of this key has. */
  descriptor: PropertyDescriptor;
}

const lazyKeys = new Map<string, LazyKey>();

function lazyKey(key: string): LazyKey {
  let lazy = lazyKeys.get(key);
  if (lazy) return lazy;
  const slot = Symbol(`lazy ${key}`);
  const settle = (target: object, value: unknown) => {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    (target as Record<symbol, unknown>)[slot] = undefined;
  };
  lazy = {
    slot,
    descriptor: {
      enumerable: true,
      configurable: true,
      get(this: object) {
        const value = textOf(readDeferred((this as Record<symbol, DeferredText>)[slot]));
        settle(this, value);
        return value;
      },
      set(this: object, value: unknown) {
        settle(this, value);
      },
    },
  };
  lazyKeys.set(key, lazy);
  return lazy;
}

/**
 * Copies `source[key]` to `target` as it is: a lazy text stays undecoded (with its bytes or reader), any other
 * property is copied by its descriptor. Nothing is defined when `source` has no such property.
 */
export function copyLazyText<T extends object>(target: T, source: object, key: string): T {
  const descriptor = Object.getOwnPropertyDescriptor(source, key);
  if (!descriptor) return target;
  const lazy = lazyKeys.get(key);
  if (lazy && descriptor.get === lazy.descriptor.get) {
    (target as Record<symbol, unknown>)[lazy.slot] = (source as Record<symbol, unknown>)[lazy.slot];
  }
  Object.defineProperty(target, key, descriptor);
  return target;
}

/** The undecoded text (or its reader) of `target[key]` while it is a lazy property, else undefined. */
function pendingOf(target: object, key: string): DeferredText | undefined {
  const lazy = lazyKeys.get(key);
  if (!lazy || Object.getOwnPropertyDescriptor(target, key)?.get !== lazy.descriptor.get) return undefined;
  return (target as Record<symbol, DeferredText | undefined>)[lazy.slot];
}

/** The bytes a still-undecoded lazy property would decode (read now if they were not yet), or its current string. */
export function lazyTextOf(target: object, key: string): LazyText {
  const text = pendingOf(target, key);
  return (text !== undefined ? readDeferred(text) : undefined) ?? (target as Record<string, string>)[key];
}

/** The bytes a still-undecoded lazy property would decode, or its reader when they are not read yet, or its current string. */
export function deferredTextOf(target: object, key: string): DeferredText {
  return pendingOf(target, key) ?? (target as Record<string, string>)[key];
}
