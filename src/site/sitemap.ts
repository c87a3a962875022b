import type { PostDate } from '../content/dates.js';
import type { Site } from './model.js';
import { pageCount, paginate } from './paginate.js';
import { absoluteUrl, authorPath, postPath, tagPath, type UrlConfig } from './urls.js';
import { escapeXml } from './xml.js';

/** What the sitemap needs from the config. */
export interface SitemapOptions extends UrlConfig {
  postsPerPage: number;
  /** URLs per sitemap file; past it, `sitemap.xml` is an index of parts. @default 50000 (the sitemaps.org limit) */
  maxUrls?: number;
}

/** The sitemaps.org limit of URLs in one sitemap file. */
export const sitemapMaxUrls = 50_000;

/** One URL of the sitemap: a site path and the newest date of what the page shows. */
interface SitemapEntry {
  path: string;
  lastmod?: PostDate;
}

/**
 * The sitemap files (sitemaps.org 0.9): every published page with its absolute URL and `lastmod`. Up to `maxUrls`
 * pages, one `sitemap.xml`; past it, `sitemap-1.xml`, `sitemap-2.xml`… of at most `maxUrls` URLs each and a
 * `sitemap.xml` that is their index (robots.txt and the pages' heads keep pointing at it). Lists the same pages the
 * renderer writes, from the same paginate(). Each file's text is made when asked for.
 */
export function sitemapFiles(site: Site, options: SitemapOptions): { path: string; contents: () => string }[] {
  const max = options.maxUrls ?? sitemapMaxUrls;
  // One file (nearly every blog): its entries are made when it is written or served, not with the routes (the dev
  // server's start made them for 10,000 posts before its first page, ~30 ms).
  if (sitemapSize(site, options) <= max) return [{ path: 'sitemap.xml', contents: () => renderUrlset(sitemapEntries(site, options), options) }];
  const entries = sitemapEntries(site, options);
  const parts: SitemapEntry[][] = [];
  for (let i = 0; i < entries.length; i += max) parts.push(entries.slice(i, i + max));
  const names = parts.map((_, i) => `sitemap-${i + 1}.xml`);
  return [
    { path: 'sitemap.xml', contents: () => renderIndex(parts.map((part, i) => ({ path: names[i], lastmod: newestOf(part.map((e) => e.lastmod)) })), options) },
    ...parts.map((part, i) => ({ path: names[i], contents: () => renderUrlset(part, options) })),
  ];
}

/** The sitemap when it is one file (see {@link sitemapFiles}). */
export function renderSitemap(site: Site, options: SitemapOptions): string {
  return renderUrlset(sitemapEntries(site, options), options);
}

function sitemapEntries(site: Site, options: SitemapOptions): SitemapEntry[] {
  const entries: SitemapEntry[] = [];
  const newest = (posts: Site['posts']) => newestOf(posts.map((post) => post.updated ?? post.date));
  const lists = (posts: Site['posts'], base: string) => {
    for (const page of paginate(posts, options.postsPerPage, base)) entries.push({ path: page.path, lastmod: newest(page.items) });
  };
  lists(site.posts, '');
  for (const post of site.posts) entries.push({ path: postPath(post, options), lastmod: post.updated ?? post.date });
  entries.push({ path: 'tags/', lastmod: newest(site.posts) });
  for (const page of site.pages) entries.push({ path: page.path });
  for (const tag of site.tags) lists(tag.posts, tagPath(tag.slug, options));
  // Author pages exist when the blog has more than one author (see authorRoutes).
  for (const author of site.authors.length > 1 ? site.authors : []) lists(author.posts, authorPath(author.slug));
  return entries;
}

/** How many entries {@link sitemapEntries} gives, counted as it makes them. */
function sitemapSize(site: Site, options: SitemapOptions): number {
  const lists = (posts: Site['posts']) => pageCount(posts.length, options.postsPerPage);
  let size = lists(site.posts) + site.posts.length + 1 + site.pages.length;
  for (const tag of site.tags) size += lists(tag.posts);
  for (const author of site.authors.length > 1 ? site.authors : []) size += lists(author.posts);
  return size;
}

function newestOf(dates: readonly (PostDate | undefined)[]): PostDate | undefined {
  return dates.reduce<PostDate | undefined>((latest, date) => (date && (!latest || date.instant > latest.instant) ? date : latest), undefined);
}

function renderUrlset(entries: readonly SitemapEntry[], options: UrlConfig): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...entries.map((entry) => `  <url><loc>${escapeXml(absoluteUrl(options, entry.path))}</loc>${lastmod(entry)}</url>`),
    '</urlset>',
    '',
  ].join('\n');
}

function renderIndex(parts: readonly SitemapEntry[], options: UrlConfig): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...parts.map((part) => `  <sitemap><loc>${escapeXml(absoluteUrl(options, part.path))}</loc>${lastmod(part)}</sitemap>`),
    '</sitemapindex>',
    '',
  ].join('\n');
}

const lastmod = (entry: SitemapEntry) => (entry.lastmod ? `<lastmod>${entry.lastmod.iso}</lastmod>` : '');

/** robots.txt allowing everything and pointing at the sitemap (the Sitemap line needs an absolute URL). */
export function renderRobots(options: UrlConfig): string {
  return ['User-agent: *', 'Allow: /', ...(options.url ? ['', `Sitemap: ${absoluteUrl(options, 'sitemap.xml')}`] : []), ''].join('\n');
}
