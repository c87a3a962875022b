import type { RenderedPost, Site } from './model.js';
import { tagSlug } from './tags.js';
import { absoluteUrl, postPath, type UrlConfig } from './urls.js';
import { escapeXml, cdata } from './xml.js';

/** What the feed needs from the config. */
export interface FeedOptions extends UrlConfig {
  title: string;
  description: string;
  language: string;
  /** Number of newest posts in the feed. @default 20 */
  items?: number;
  /** Generator string. */
  generator?: string;
}

/** A store for the items' absolutized HTML between builds (the persistent cache). */
export interface FeedHtmlStore {
  /** The stored HTML for a key made by `key`, or undefined. */
  get(key: string): string | undefined;
  set(key: string, html: string): void;
  /** A key for the item HTML of `html` absolutized against `base`. */
  key(html: string, base: string): string;
}

/**
 * The HTML of each feed item (the newest `items` posts) with every URL made absolute, for `content:encoded`.
 * Absolutizing re-parses the HTML (parse5), so results are taken from `store` when it has them, and the parser
 * is loaded only when some item is not stored.
 */
export async function renderFeedItemsHtml(site: Site, options: FeedOptions, store?: FeedHtmlStore): Promise<Map<RenderedPost, string>> {
  const result = new Map<RenderedPost, string>();
  let absolutizeHtml: ((html: string, base: string) => string) | undefined;
  for (const post of site.posts.slice(0, options.items ?? 20)) {
    const link = absoluteUrl(options, postPath(post.slug));
    // Without a configured url, links stay root-relative; resolving against a reserved dummy origin (never
    // one an author could link to, unlike localhost) and stripping it again keeps them so.
    const dummy = 'https://blogbuild.invalid';
    const base = options.url ? link : `${dummy}${link}`;
    const key = store?.key(post.html, base);
    let html = key === undefined ? undefined : store!.get(key);
    if (html === undefined) {
      absolutizeHtml ??= (await import('./absolute-urls.js')).absolutizeHtml;
      html = absolutizeHtml(post.html, base);
      if (!options.url) html = html.replaceAll(`${dummy}/`, '/');
      if (key !== undefined) store!.set(key, html);
    }
    result.set(post, html);
  }
  return result;
}

/**
 * RSS 2.0 for the newest posts: absolute links, `guid isPermaLink="true"`, RFC 822 dates, `dc:creator`
 * for authors (RSS's own `<author>` must be an e-mail address), a category per tag, and the full HTML in
 * `content:encoded` with every URL made absolute (`itemsHtml`, from {@link renderFeedItemsHtml}). Dates come from
 * the posts, so the feed is deterministic.
 */
export function renderFeed(site: Site, options: FeedOptions & { itemsHtml: ReadonlyMap<RenderedPost, string> }): string {
  const items = site.posts.slice(0, options.items ?? 20);
  const home = absoluteUrl(options, '');
  const self = absoluteUrl(options, 'rss.xml');
  const lastBuild = items.reduce<Date | undefined>((latest, post) => {
    const date = (post.updated ?? post.date).instant;
    return !latest || date > latest ? date : latest;
  }, undefined);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${escapeXml(options.title)}</title>`,
    `    <link>${escapeXml(home)}</link>`,
    `    <description>${escapeXml(options.description || options.title)}</description>`,
    `    <language>${escapeXml(options.language)}</language>`,
    ...(lastBuild ? [`    <lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`] : []),
    ...(options.generator ? [`    <generator>${escapeXml(options.generator)}</generator>`] : []),
    `    <atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml"/>`,
    ...items.map((post) => renderItem(post, site, options)),
    '  </channel>',
    '</rss>',
    '',
  ];
  return lines.join('\n');
}

function renderItem(post: RenderedPost, site: Site, options: FeedOptions & { itemsHtml: ReadonlyMap<RenderedPost, string> }): string {
  const link = absoluteUrl(options, postPath(post.slug));
  const html = options.itemsHtml.get(post);
  if (html === undefined) throw new Error(`no feed HTML for ${post.slug}: call renderFeedItemsHtml first`);
  return [
    '    <item>',
    `      <title>${escapeXml(post.title)}</title>`,
    `      <link>${escapeXml(link)}</link>`,
    `      <guid isPermaLink="true">${escapeXml(link)}</guid>`,
    `      <pubDate>${post.date.instant.toUTCString()}</pubDate>`,
    ...(post.author ? [`      <dc:creator>${escapeXml(post.author)}</dc:creator>`] : []),
    // The tag's site-wide name, so a tag spelled two ways is one category, named as on its tag page.
    ...post.tags.map((tag) => `      <category>${escapeXml(site.tagsBySlug.get(tagSlug(tag))?.name ?? tag)}</category>`),
    `      <description>${escapeXml(post.description ?? post.excerpt)}</description>`,
    `      <content:encoded>${cdata(html)}</content:encoded>`,
    '    </item>',
  ].join('\n');
}
