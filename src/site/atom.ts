import { isoInZone } from '../content/dates.js';
import type { RenderedPost, Site } from './model.js';
import { authorNames, feedId, feedItemHtml, feedPosts, feedUpdated, itemOnce, siteScope, type FeedOptions, type FeedScope, type ItemsHtml, type MadeItem } from './feed.js';
import { tagSlug } from './tags.js';
import { absoluteUrl, postPath } from './urls.js';
import { escapeXml } from './xml.js';

/** What the Atom and JSON feeds need beyond the RSS feed's options. */
export interface DatedFeedOptions extends FeedOptions {
  /** IANA zone of the site: RFC 3339 dates carry its offset, so a calendar date stays that day. */
  timezone: string;
  /** The site's author: the feed's author when set, else the site's title stands in (RFC 4287 requires one). */
  author?: string;
  itemsHtml: ItemsHtml;
  /** Entries made so far in this build, by post (see itemOnce). @default undefined (each made where it appears) */
  atomEntries?: Map<RenderedPost, MadeItem>;
}

/**
 * Atom 1.0 (RFC 4287) for the same posts as the RSS feed: the post's absolute URL as each entry's `id` (stable
 * across rebuilds, like the RSS guid; a `urn:uuid:` for a site without `url`, see feedId), RFC 3339 dates in the site's time zone, the summary and the full HTML
 * (`type="html"`, every URL absolute).
 */
export function renderAtom(site: Site, options: DatedFeedOptions, scope: FeedScope = siteScope(site, options)): string {
  const items = feedPosts(scope.posts, options);
  const home = absoluteUrl(options, scope.pagePath);
  const self = absoluteUrl(options, `${scope.pagePath}atom.xml`);
  const updated = feedUpdated(items);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(options.language)}">`,
    `  <id>${escapeXml(feedId(options, scope.pagePath))}</id>`,
    `  <title>${escapeXml(scope.title)}</title>`,
    ...(scope.description ? [`  <subtitle>${escapeXml(scope.description)}</subtitle>`] : []),
    // An empty feed still needs <updated>: the epoch keeps it deterministic.
    `  <updated>${isoInZone(updated ?? new Date(0), options.timezone)}</updated>`,
    `  <author><name>${escapeXml(options.author || options.title)}</name></author>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(home)}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>`,
    ...(options.generator ? [`  <generator>${escapeXml(options.generator)}</generator>`] : []),
    ...items.map((post) => itemOnce(options.atomEntries, post, options.itemsHtml.get(post), () => renderEntry(post, site, options))),
    '</feed>',
    '',
  ];
  return lines.join('\n');
}

function renderEntry(post: RenderedPost, site: Site, options: DatedFeedOptions): string {
  const link = absoluteUrl(options, postPath(post, options));
  return [
    '  <entry>',
    `    <id>${escapeXml(feedId(options, postPath(post, options)))}</id>`,
    `    <title>${escapeXml(post.title)}</title>`,
    `    <link rel="alternate" type="text/html" href="${escapeXml(link)}"/>`,
    `    <published>${isoInZone(post.date.instant, options.timezone)}</published>`,
    `    <updated>${isoInZone((post.updated ?? post.date).instant, options.timezone)}</updated>`,
    ...authorNames(site, post).map((name) => `    <author><name>${escapeXml(name)}</name></author>`),
    ...post.tags.map((tag) => `    <category term="${escapeXml(site.tagsBySlug.get(tagSlug(tag))?.name ?? tag)}"/>`),
    `    <summary>${escapeXml(post.description ?? post.excerpt)}</summary>`,
    `    <content type="html">${escapeXml(feedItemHtml(post, options.itemsHtml))}</content>`,
    '  </entry>',
  ].join('\n');
}
