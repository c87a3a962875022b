import type { PostDate } from '../content/dates.js';
import type { Site } from './model.js';
import { paginate } from './paginate.js';
import { absoluteUrl, authorPath, postPath, tagPath, type UrlConfig } from './urls.js';
import { escapeXml } from './xml.js';

/** What the sitemap needs from the config. */
export interface SitemapOptions extends UrlConfig {
  postsPerPage: number;
}

/**
 * The sitemap (sitemaps.org 0.9): every published page with its absolute URL and `lastmod`, the newest
 * date of what the page shows. Lists the same pages the renderer writes, from the same paginate().
 */
export function renderSitemap(site: Site, options: SitemapOptions): string {
  const entries: { path: string; lastmod?: PostDate }[] = [];
  const newest = (posts: Site['posts']) =>
    posts.reduce<PostDate | undefined>((latest, post) => {
      const date = post.updated ?? post.date;
      return !latest || date.instant > latest.instant ? date : latest;
    }, undefined);

  for (const page of paginate(site.posts, options.postsPerPage, '')) entries.push({ path: page.path, lastmod: newest(page.items) });
  for (const post of site.posts) entries.push({ path: postPath(post.slug), lastmod: post.updated ?? post.date });
  entries.push({ path: 'tags/', lastmod: newest(site.posts) });
  for (const tag of site.tags) {
    for (const page of paginate(tag.posts, options.postsPerPage, tagPath(tag.slug))) {
      entries.push({ path: page.path, lastmod: newest(page.items) });
    }
  }
  // Author pages exist when the blog has more than one author (see authorRoutes).
  for (const author of site.authors.length > 1 ? site.authors : []) {
    for (const page of paginate(author.posts, options.postsPerPage, authorPath(author.slug))) {
      entries.push({ path: page.path, lastmod: newest(page.items) });
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...entries.map(
      (entry) =>
        `  <url><loc>${escapeXml(absoluteUrl(options, entry.path))}</loc>${entry.lastmod ? `<lastmod>${entry.lastmod.iso}</lastmod>` : ''}</url>`,
    ),
    '</urlset>',
    '',
  ].join('\n');
}

/** robots.txt allowing everything and pointing at the sitemap (the Sitemap line needs an absolute URL). */
export function renderRobots(options: UrlConfig): string {
  return ['User-agent: *', 'Allow: /', ...(options.url ? ['', `Sitemap: ${absoluteUrl(options, 'sitemap.xml')}`] : []), ''].join('\n');
}
