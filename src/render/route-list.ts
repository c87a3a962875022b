import type { UrlConfig } from '../site/urls.js';
import { outputPath, siteUrl } from '../site/urls.js';
import type { FileRoute, Route } from './routes.js';

/** One output file of a build, as the build report lists it. */
export interface BuiltFile {
  /** Output path, relative to the output folder: `posts/x/index.html`, `rss.xml`. */
  file: string;
  /** Link to it, with the base path: `/blog/posts/x/`. */
  url: string;
  /** `post`, `home`, `tag-index`, `tag`, `page`, `404`, `feed`, `sitemap`, `robots`, `alias` or `static`. */
  kind: (Route | FileRoute)['kind'];
  /** The post or page it is made from (an alias: the post or page it points to), or the file it copies. */
  source?: string;
}

/** The routes of a build as files with their kinds and sources, in the order they were made. */
export function listRoutes(routes: readonly (Route | FileRoute)[], config: UrlConfig): BuiltFile[] {
  return routes.map((route) => {
    const isPage = 'template' in route;
    const file = isPage && route.path !== '404.html' ? outputPath(route.path) : route.path;
    // An alias written as `old/index.html` is linked as `old/`, as pages are.
    const url = siteUrl(config, isPage ? route.path : encodeURI(route.path).replace(/(^|\/)index\.html$/, '$1'));
    const source = route.origin?.file ?? (isPage ? undefined : route.source);
    return { file, url, kind: route.kind, ...(source !== undefined ? { source } : {}) };
  });
}
