import { createHash } from 'node:crypto';
import { readDeferred, textOf, type DeferredText } from '../content/lazy-text.js';
import type { RenderedPost, Site, Tag } from './model.js';
import { tagSlug } from './tags.js';
import { absoluteUrl, postPath, tagPath, unresolvedOrigin, type FeedItemBase, type UrlConfig } from './urls.js';
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

/** What one feed lists: the site's posts, or a tag's (newest first), and the page it is the feed of. */
export interface FeedScope {
  posts: readonly RenderedPost[];
  /** Site path of the page the feed belongs to, which is also the feed's folder: `` or `tags/x/`. */
  pagePath: string;
  title: string;
  description: string;
}

/** The site-wide feeds' scope. */
export function siteScope(site: Site, options: FeedOptions): FeedScope {
  return { posts: site.posts, pagePath: '', title: options.title, description: options.description };
}

/** A tag's feeds' scope: its posts, under its page's folder. */
export function tagScope(tag: Tag, options: FeedOptions): FeedScope {
  return { posts: tag.posts, pagePath: tagPath(tag.slug, options), title: `${options.title}: ${tag.name}`, description: `Posts tagged “${tag.name}” on ${options.title}` };
}

/** The items' absolutized HTML of earlier builds (the build wraps its store in one of these). */
export interface FeedHtmlMemo {
  /** A key for the item HTML of the post's HTML absolutized against `base`. */
  key(post: RenderedPost, base: string): string;
  /** The HTML an earlier build made under `key` (perhaps not read yet), or `compute()`'s, kept for later builds. */
  memo(key: string, compute: () => Promise<string>): DeferredText | Promise<DeferredText>;
}

/** Feed items' absolute HTML by post (a map, or what renderFeedItemsHtml gives). */
export type ItemsHtml = Pick<ReadonlyMap<RenderedPost, string>, 'get'>;

/**
 * The HTML of each feed item (the newest `items` posts) with every URL made absolute, for `content:encoded`.
 * Absolutizing re-parses the HTML (parse5), so results are taken from `precomputed` (worth it when the markdown
 * workers did it: see {@link feedItemBase}) or from `store` when they have them, and the parser is loaded only when
 * some item is in neither. The store's HTML is read when an item is first asked for: a rebuild after a one-post
 * edit writes only the feeds that list that post.
 */
export async function renderFeedItemsHtml(
  site: Site,
  options: FeedOptions,
  store?: FeedHtmlMemo,
  precomputed?: ReadonlyMap<RenderedPost, { base: string; html: string }>,
): Promise<ItemsHtml> {
  const result = new Map<RenderedPost, DeferredText>();
  let feedItemHtml: typeof import('./absolute-urls.js').feedItemHtml | undefined;
  // The site's tags are the word on which posts each tag feed lists; allFeedPosts is what the workers were given.
  const posts = new Set([...allFeedPosts(site.posts, options), ...site.tags.flatMap((tag) => feedPosts(tag.posts, options))]);
  for (const post of posts) {
    const itemBase = feedItemBase(options, post);
    const compute = async () => {
      const known = precomputed?.get(post);
      if (known?.base === itemBase.base) return known.html;
      feedItemHtml ??= (await import('./absolute-urls.js')).feedItemHtml;
      return feedItemHtml(post.html, itemBase);
    };
    result.set(post, store ? await store.memo(store.key(post, itemBase.base), compute) : await compute());
  }
  return {
    get(post) {
      const html = result.get(post);
      if (html === undefined || typeof html === 'string') return html;
      const text = textOf(readDeferred(html));
      result.set(post, text);
      return text;
    },
  };
}

/** The posts in the feed: the first `items` of `posts`, which are sorted newest first (see `comparePosts`). */
export function feedPosts<P>(posts: readonly P[], options: Pick<FeedOptions, 'items'>): P[] {
  return posts.slice(0, options.items ?? 20);
}

/** The latest date (updated, else published) of the feed's posts; none for an empty feed. */
export function feedUpdated(items: readonly RenderedPost[]): Date | undefined {
  return items.reduce<Date | undefined>((latest, post) => {
    const date = (post.updated ?? post.date).instant;
    return !latest || date > latest ? date : latest;
  }, undefined);
}

/** A feed item made for a post, with what of the post's body it was made from. */
export interface MadeItem {
  html: string | undefined;
  excerpt: string;
  item: string;
}

/**
 * A post's item in a feed, made once per build with `made` (when given): an item does not depend on the feed it is
 * in, and a post is in the site's feed and up to one feed per tag (each escapes its whole HTML). The dev server
 * gives a post a new body in place (the same object, routes kept): an item made from its old body is made again.
 */
export function itemOnce(made: Map<RenderedPost, MadeItem> | undefined, post: RenderedPost, html: string | undefined, make: () => string): string {
  const known = made?.get(post);
  if (known && known.html === html && known.excerpt === post.excerpt) return known.item;
  const item = make();
  made?.set(post, { html, excerpt: post.excerpt, item });
  return item;
}

/** A feed item's absolute HTML, from {@link renderFeedItemsHtml}. */
export function feedItemHtml(post: RenderedPost, itemsHtml: ItemsHtml): string {
  const html = itemsHtml.get(post);
  if (html === undefined) throw new Error(`no feed HTML for ${post.slug}: call renderFeedItemsHtml first`);
  return html;
}

/**
 * Every post in some feed: the site feed's, then each tag feed's (a tag's newest posts may be older than the site's
 * newest), each once. `posts` are sorted newest first, so each tag's posts are too.
 */
export function allFeedPosts<P extends { tags: readonly string[] }>(posts: readonly P[], options: Pick<FeedOptions, 'items'>): P[] {
  const limit = options.items ?? 20;
  const result = new Set(feedPosts(posts, options));
  const perTag = new Map<string, number>();
  for (const post of posts) {
    for (const slug of new Set(post.tags.map(tagSlug))) {
      const count = perTag.get(slug) ?? 0;
      if (count >= limit) continue;
      perTag.set(slug, count + 1);
      result.add(post);
    }
  }
  return [...result];
}

/**
 * The id of a feed, entry or item at a site path: its absolute URL when the site has a `url` (what the ids have always
 * been, so readers see no item twice). Without one, links are root-relative, which Atom's ids (IRIs) and RSS
 * permalinks may not be: the id is then a name-based UUID (RFC 9562 version 5, `urn:uuid:…`) of the site's title and
 * the path, the same on every rebuild and machine, and different for two blogs of other titles.
 */
export function feedId(options: UrlConfig & { title: string }, sitePath: string): string {
  return options.url ? absoluteUrl(options, sitePath) : `urn:uuid:${uuidV5(`blogbuild:${options.title}:${options.basePath}${sitePath}`)}`;
}

/** The URL namespace of RFC 9562 (6ba7b811-9dad-11d1-80b4-00c04fd430c8). */
const urlNamespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

function uuidV5(name: string): string {
  const bytes = createHash('sha1').update(urlNamespace).update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The display names of a post's authors (see groupAuthors), for the feeds. */
export function authorNames(site: Site, post: RenderedPost): string[] {
  return (site.authorsOf.get(post) ?? []).map((author) => author.name);
}

/** Where the relative URLs of a post's feed item resolve. */
export function feedItemBase(options: UrlConfig, post: Parameters<typeof postPath>[0]): FeedItemBase {
  const link = absoluteUrl(options, postPath(post, options));
  return options.url ? { base: link, rootRelative: false } : { base: `${unresolvedOrigin}${link}`, rootRelative: true };
}

/**
 * RSS 2.0 for the newest posts: absolute links, `guid isPermaLink="true"` (a `urn:uuid:` without `url`, see feedId), RFC 822 dates, `dc:creator`
 * for authors (RSS's own `<author>` must be an e-mail address), a category per tag, and the full HTML in
 * `content:encoded` with every URL made absolute (`itemsHtml`, from {@link renderFeedItemsHtml}). Dates come from
 * the posts, so the feed is deterministic.
 */
export function renderFeed(
  site: Site,
  options: FeedOptions & { itemsHtml: ItemsHtml; rssItems?: Map<RenderedPost, MadeItem> },
  scope: FeedScope = siteScope(site, options),
): string {
  const items = feedPosts(scope.posts, options);
  const home = absoluteUrl(options, scope.pagePath);
  const self = absoluteUrl(options, `${scope.pagePath}rss.xml`);
  const lastBuild = feedUpdated(items);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${escapeXml(scope.title)}</title>`,
    `    <link>${escapeXml(home)}</link>`,
    `    <description>${escapeXml(scope.description || scope.title)}</description>`,
    `    <language>${escapeXml(options.language)}</language>`,
    ...(lastBuild ? [`    <lastBuildDate>${lastBuild.toUTCString()}</lastBuildDate>`] : []),
    ...(options.generator ? [`    <generator>${escapeXml(options.generator)}</generator>`] : []),
    `    <atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml"/>`,
    ...items.map((post) => itemOnce(options.rssItems, post, options.itemsHtml.get(post), () => renderItem(post, site, options))),
    '  </channel>',
    '</rss>',
    '',
  ];
  return lines.join('\n');
}

function renderItem(post: RenderedPost, site: Site, options: FeedOptions & { itemsHtml: ItemsHtml }): string {
  const link = absoluteUrl(options, postPath(post, options));
  const html = feedItemHtml(post, options.itemsHtml);
  return [
    '    <item>',
    `      <title>${escapeXml(post.title)}</title>`,
    `      <link>${escapeXml(link)}</link>`,
    // Without a `url` the link is root-relative, which a permalink guid may not be.
    options.url ? `      <guid isPermaLink="true">${escapeXml(link)}</guid>` : `      <guid isPermaLink="false">${feedId(options, postPath(post, options))}</guid>`,
    `      <pubDate>${post.date.instant.toUTCString()}</pubDate>`,
    ...authorNames(site, post).map((name) => `      <dc:creator>${escapeXml(name)}</dc:creator>`),
    // The tag's site-wide name, so a tag spelled two ways is one category, named as on its tag page.
    ...post.tags.map((tag) => `      <category>${escapeXml(site.tagsBySlug.get(tagSlug(tag))?.name ?? tag)}</category>`),
    `      <description>${escapeXml(post.description ?? post.excerpt)}</description>`,
    `      <content:encoded>${cdata(html)}</content:encoded>`,
    '    </item>',
  ].join('\n');
}
