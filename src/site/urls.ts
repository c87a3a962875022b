/** The parts of the config that URLs depend on. */
export interface UrlConfig {
  /** Absolute base URL ending in `/`, or "". */
  url: string;
  /** `/` or `/blog/`. */
  basePath: string;
}

/** Site path of a post's page, e.g. `posts/hello-world/`. */
export function postPath(slug: string): string {
  return `posts/${encodeURIComponent(slug)}/`;
}

/** Site path of a tag's first page, e.g. `tags/c-plus-plus/`. */
export function tagPath(slug: string): string {
  return `tags/${encodeURIComponent(slug)}/`;
}

/** Site path of an author's first page, e.g. `authors/alice/`. */
export function authorPath(slug: string): string {
  return `authors/${encodeURIComponent(slug)}/`;
}

/** Root-relative URL of a site path, honouring the base path: `posts/x/` → `/blog/posts/x/`. */
export function siteUrl(config: UrlConfig, sitePath: string): string {
  if (/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(sitePath)) return sitePath;
  return config.basePath + sitePath.replace(/^\/+/, '');
}

/** Absolute URL of a site path when the site has a `url`; root-relative otherwise. */
export function absoluteUrl(config: UrlConfig, sitePath: string): string {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(sitePath)) return sitePath;
  const relative = sitePath.replace(/^\/+/, '');
  return config.url ? config.url + relative : config.basePath + relative;
}

/** Output file of a site path: `posts/x/` → `posts/x/index.html`; decoded, so non-ASCII slugs are real names. */
export function outputPath(sitePath: string): string {
  const decoded = decodeURIComponent(sitePath);
  return decoded === '' || decoded.endsWith('/') ? `${decoded}index.html` : decoded;
}

/**
 * Where a feed item's relative URLs resolve: the post's absolute URL, or, when the site has no `url`, the post's
 * path under a reserved dummy origin (never one an author could link to, unlike localhost), stripped again after.
 */
export interface FeedItemBase {
  base: string;
  rootRelative: boolean;
}

/** The origin that stands in for a site without `url`. */
export const unresolvedOrigin = 'https://blogbuild.invalid';
