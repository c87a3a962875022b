import { createHash, randomBytes } from 'node:crypto';
import type { Site } from '../site/model.js';
import type { createViews } from './context.js';
import type { RouteKeys } from './route-keys.js';
import type { Route } from './routes.js';

// Page keys: what names a page's inputs, so that a page rendered from the same inputs last time (the previous
// output, or the dev server's memory) is not rendered again.

/**
 * Whether pages can have keys. They hash the context's JSON, where NaN and ±Infinity all read null; front matter
 * holding such numbers (the only place they can come from) turns keys off for the build rather than risk two
 * inputs with one key.
 */
export function isSiteKeyable(site: Site): boolean {
  return !site.posts.some((post) => hasNonFinite(post.data) || !Number.isFinite(post.readTime));
}

/** The site-wide part of every context (title, URLs, language…), which goes into the keys once, not once a page. */
export function siteJsonOf(views: ReturnType<typeof createViews>): string {
  return JSON.stringify(views.common('', '', '', '').site);
}

/**
 * A page's key and the objects it was made from: in memory only (the dev server), the objects compared by
 * identity and a short text of the rest; else the previous output's key when the site is unchanged, or a hash of
 * the page's context (told to `onKey`).
 */
export function routeKey(
  route: Route,
  path: string,
  context: () => Record<string, unknown>,
  keying: { inMemory: boolean; keySalt: string; memorySalt: string; previousKey?: (path: string) => string | undefined; routeKeys?: RouteKeys; onKey?: (path: string, key: string) => void },
): { renderKey: string | undefined; deps: readonly unknown[] } {
  const { keyText, memoryKey } = route.deps;
  if (keying.inMemory && memoryKey) {
    const key = memoryKey();
    return { renderKey: `${keying.memorySalt}\0${route.template}\0${path}\0${key.text}`, deps: key.deps };
  }
  const renderKey = keying.previousKey?.(path) ?? keying.routeKeys?.page(route, path) ?? pageKey(keying.keySalt, route.template, path, keyText ?? (() => JSON.stringify(context())), !keying.inMemory);
  if (!keying.inMemory) keying.onKey?.(path, renderKey);
  return { renderKey, deps: [] };
}

/**
 * A hash of everything every page's HTML is made from, when it can be had without making the pages' contexts: the
 * render salt (templates, helpers, config, versions; see `renderCacheSalt`) and, for each published post in input
 * order, what decided its fields (`identity`, from the post cache) and its HTML, excerpt and word count (`htmlKey`,
 * the markdown cache's key). Undefined when some post lacks either. Drafts and scheduled posts appear on no page.
 */
export function siteFingerprint(renderSalt: string, posts: Iterable<{ identity?: string; htmlKey?: string }>): string | undefined {
  const hash = createHash('sha1').update('site 1\0').update(renderSalt);
  for (const { identity, htmlKey } of posts) {
    if (identity === undefined || htmlKey === undefined) return undefined;
    hash.update('\0').update(identity).update('\0').update(htmlKey);
  }
  return hash.digest('hex');
}

/**
 * A hash of everything a page's HTML is made from: the salt (templates, helpers, config, the site-wide context),
 * the template, the path and the rest of the context (`text`, its JSON or names of its parts).
 */
function pageKey(salt: string, template: string, path: string, text: () => string, isHashed: boolean): string {
  let json: string;
  try {
    json = text();
  } catch {
    // Front matter JSON cannot hold (a cycle): such a page gets a key of its own, so it is always rendered.
    json = `unkeyable ${randomBytes(16).toString('hex')}`;
  }
  if (!isHashed) return `${salt}\0${template}\0${path}\0${json}`;
  return createHash('sha1').update(salt).update('\0').update(template).update('\0').update(path).update('\0').update(json).digest('hex');
}

/** Whether two lists hold the same objects in the same order. */
export function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Whether a front-matter value holds NaN or ±Infinity, which JSON cannot tell apart. */
export function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasNonFinite);
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return Object.values(value).some(hasNonFinite);
  return false;
}
