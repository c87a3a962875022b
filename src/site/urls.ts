import type { PostDate } from '../content/dates.js';

/** URL patterns of posts, tags and pages (config `permalinks`), validated by the config schema. */
export interface Permalinks {
  /** Tokens `:year`, `:month`, `:day` (of the post's date in the site's time zone) and `:slug`. @default "/posts/:slug/" */
  readonly post: string;
  /** Token `:slug`. @default "/tags/:slug/" */
  readonly tag: string;
  /** Tokens `:path` (folders and slug, `docs/faq`) and `:slug` (`faq`). @default "/:path/" */
  readonly page: string;
}

/** The default permalinks: the URL layout of blogbuild before permalinks existed. */
export const defaultPermalinks: Permalinks = Object.freeze({ post: '/posts/:slug/', tag: '/tags/:slug/', page: '/:path/' });

/** The parts of the config that URLs depend on. */
export interface UrlConfig {
  /** Absolute base URL ending in `/`, or "". */
  url: string;
  /** `/` or `/blog/`. */
  basePath: string;
  /** @default defaultPermalinks */
  permalinks?: Permalinks;
}

/** Site path of a post's page under the post permalink, e.g. `posts/hello-world/` or `2024/12/31/hello-world/`. */
export function postPath(post: { slug: string; date: PostDate }, config: Pick<UrlConfig, 'permalinks'>): string {
  const pattern = config.permalinks?.post ?? defaultPermalinks.post;
  if (pattern === defaultPermalinks.post) return `posts/${encodeURIComponent(post.slug)}/`;
  // A post's `iso` is its calendar date, or its date-time in the site's time zone: either starts with the day.
  const day = post.date.iso.slice(0, 10);
  return expand(pattern, { year: day.slice(0, 4), month: day.slice(5, 7), day: day.slice(8, 10), slug: encodeURIComponent(post.slug) });
}

/** Site path of a tag's first page under the tag permalink, e.g. `tags/c-plus-plus/`. */
export function tagPath(slug: string, config: Pick<UrlConfig, 'permalinks'>): string {
  const pattern = config.permalinks?.tag ?? defaultPermalinks.tag;
  return pattern === defaultPermalinks.tag ? `tags/${encodeURIComponent(slug)}/` : expand(pattern, { slug: encodeURIComponent(slug) });
}

/** Site path of a page of the pages folder from its slugs (`['docs', 'faq']`) under the page permalink. */
export function pagePath(slugs: readonly string[], pattern = defaultPermalinks.page): string {
  const encoded = slugs.map(encodeURIComponent);
  return expand(pattern, { path: encoded.join('/'), slug: encoded.at(-1) ?? '' });
}

/** A pattern with its `:tokens` replaced; the leading slash dropped, empty segments (`/:path/` of the root) folded. */
function expand(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/:([a-z]+)/gi, (_, token: string) => values[token] ?? '').replace(/\/{2,}/g, '/').replace(/^\//, '');
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
