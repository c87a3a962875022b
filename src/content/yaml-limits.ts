/**
 * Bounds on what front matter may expand to. js-yaml has no limit on aliases: `b: &b [*a, *a, …]` nine levels
 * deep is a few hundred bytes of YAML that loads (by reference) into a value of 9^9 leaves, and whatever walks it
 * (the post cache serialising it, a template's `{{json post.data}}`) runs for minutes and out of memory.
 */

/** The most values (scalars, lists, mappings) the front matter may hold once aliases are expanded. */
export const maxFrontMatterValues = 100_000;

/** The most characters of text the front matter may hold once aliases are expanded. */
export const maxFrontMatterChars = 10_000_000;

/** A front matter value that expands beyond the limits. */
export class FrontMatterTooLargeError extends Error {
  constructor(readonly limit: 'values' | 'chars') {
    super(limit === 'values' ? `expands to more than ${maxFrontMatterValues.toLocaleString('en')} values` : `expands to more than ${maxFrontMatterChars.toLocaleString('en')} characters of text`);
    this.name = 'FrontMatterTooLargeError';
  }
}

/**
 * Walks `value` as the tree it stands for (a value reached twice through aliases counts twice) and throws
 * {@link FrontMatterTooLargeError} as soon as it passes a limit, so the walk itself is bounded. A cycle (`&a [*a]`)
 * never ends, so it passes the limit too.
 */
export function checkExpandedSize(value: unknown): void {
  let values = 0;
  let chars = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (++values > maxFrontMatterValues) throw new FrontMatterTooLargeError('values');
    if (typeof item === 'string') {
      chars += item.length;
      if (chars > maxFrontMatterChars) throw new FrontMatterTooLargeError('chars');
    } else if (Array.isArray(item)) {
      for (const child of item) stack.push(child);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        chars += key.length;
        stack.push(child);
      }
    }
  }
}
