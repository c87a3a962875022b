import path from 'node:path';
import { error, type Diagnostic } from '../diagnostics/error.js';
import { outputPath } from '../site/urls.js';
import type { FileRoute, Route } from './routes.js';

const described: Record<(Route | FileRoute)['kind'], string> = {
  post: 'the post', home: 'a home page', 'tag-index': 'the tag index', tag: 'a tag page', author: 'an author page', page: 'the page', '404': 'the 404 page',
  feed: 'a feed', sitemap: 'the sitemap', robots: 'robots.txt', static: 'a copied file', alias: 'an alias of',
};

/**
 * Two routes to one output file, when one of them is a page of pages/ or an alias (a page `pages/tags.md`, an
 * alias `/rss.xml`): a `DuplicateOutputPath` error at that page or alias, naming what else is written there. Other
 * clashes are left to the check of output files. Paths compare as file systems may: case and Unicode form folded.
 */
export function checkRouteCollisions(routes: readonly (Route | FileRoute)[], root: string): { diagnostics: Diagnostic[]; /** The clashing paths reported, case-folded. */ paths: Set<string> } {
  const diagnostics: Diagnostic[] = [];
  const paths = new Set<string>();
  const seen = new Map<string, Route | FileRoute>();
  const fileOf = (route: Route | FileRoute) => ('template' in route && route.path !== '404.html' ? outputPath(route.path) : route.path);
  const what = (route: Route | FileRoute) => {
    const source = route.origin?.file ?? ('source' in route ? route.source : undefined);
    return source ? `${described[route.kind]} ${path.relative(root, source).split(path.sep).join('/')}` : described[route.kind];
  };
  for (const route of routes) {
    const file = fileOf(route);
    const key = file.normalize('NFC').toLowerCase();
    const other = seen.get(key);
    if (!other) {
      seen.set(key, route);
      continue;
    }
    // Pages and aliases are named by hand, so their clashes are reported at them; others by the writer's check.
    const isHandmade = (r: Route | FileRoute) => (r.kind === 'page' || r.kind === 'alias') && r.origin !== undefined;
    const located = isHandmade(route) ? route : isHandmade(other) ? other : undefined;
    if (!located) continue;
    paths.add(key);
    const second = located === route ? other : route;
    diagnostics.push(error('DuplicateOutputPath', { problem: 'route', what: what(located), path: file, other: what(second), isAlias: located.kind === 'alias' }, located.origin));
  }
  return { diagnostics, paths };
}
