import { createHash } from 'node:crypto';
import type { RenderedPost } from '../site/model.js';
import type { FileRoute, Route } from './routes.js';

// Render keys made without the pages' data. A page's data is made from the site's structure (every published post's
// fields but its body, in order; the pages folder; the config and templates) and the bodies of the posts it shows
// (`deps.posts`: a post page its post, a list page its summaries, a feed its items). Named by a hash of the first
// and the posts' HTML keys, a page keeps its key while neither changes: after a body-only edit, only the pages and
// feeds showing the edited post get a new key and are rendered, and no page's data is made to key it (its JSON was
// most of a one-edit build's page work).

/** The keys of pages and files by the site's structure and their posts' HTML keys. */
export interface RouteKeys {
  page(route: Route, path: string): string | undefined;
  file(route: FileRoute): string | undefined;
}

/**
 * A hash of the site's structure: `salt` (render salt, pages folder, sitemap size) and each published post's
 * `fields` (a hash of every field but the body, see PostCache.fieldsKey) and cover size, in input order.
 * Undefined when some post's fields cannot be named.
 */
export function structureFingerprint(salt: string, posts: Iterable<{ fields?: string; cover?: { width: number; height: number } }>): string | undefined {
  const hash = createHash('sha1').update('structure 1\0').update(salt);
  for (const { fields, cover } of posts) {
    if (fields === undefined) return undefined;
    hash.update(`\0${fields}:${cover ? `${cover.width}x${cover.height}` : ''}`);
  }
  return hash.digest('hex');
}

/** Route keys under `structure`; a route showing a post without an HTML key has none (its data is hashed instead). */
export function routeKeys(structure: string, htmlKey: (post: RenderedPost) => string | undefined): RouteKeys {
  const keyOf = (kind: string, name: string, path: string, posts: readonly RenderedPost[] = []) => {
    const hash = createHash('sha1').update(`route 1\0${structure}\0${kind}\0${name}\0${path}`);
    for (const post of posts) {
      const key = htmlKey(post);
      if (key === undefined) return undefined;
      hash.update('\0').update(key);
    }
    return hash.digest('hex');
  };
  return {
    page: (route, path) => keyOf('page', route.template, path, route.deps.posts),
    file: (route) => keyOf('file', route.kind, route.path, route.posts),
  };
}
