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
 * twice their size in memory (V8 stores non-Latin-1 text, e.g. emoji, as UTF-16). Copy such objects by their
 * property descriptors: a spread reads (decodes) every property.
 */
export function defineLazyText<T extends object>(target: T, key: string, text: DeferredText): T {
  if (typeof text === 'string') {
    Object.defineProperty(target, key, { value: text, writable: true, enumerable: true, configurable: true });
    return target;
  }
  const get = function (this: object) {
    const value = textOf(readDeferred(text));
    Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  lazySources.set(get, text);
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get,
    set(this: object, value: unknown) {
      Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
    },
  });
  return target;
}

/** The bytes (or their reader) behind each lazy property's getter. */
const lazySources = new WeakMap<() => string, Uint8Array | (() => LazyText)>();

/** The bytes a still-undecoded lazy property would decode (read now if they were not yet), or its current string. */
export function lazyTextOf(target: object, key: string): LazyText {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  const text = descriptor?.get ? lazySources.get(descriptor.get as () => string) : undefined;
  return (text && readDeferred(text)) ?? (target as Record<string, string>)[key];
}

/** The bytes a still-undecoded lazy property would decode, or its reader when they are not read yet, or its current string. */
export function deferredTextOf(target: object, key: string): DeferredText {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  return (descriptor?.get ? lazySources.get(descriptor.get as () => string) : undefined) ?? (target as Record<string, string>)[key];
}
