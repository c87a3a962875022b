import { isoInZone } from '../content/dates.js';
import type { RenderedPost, Site } from './model.js';
import { authorNames, feedId, feedItemHtml, feedPosts } from './feed.js';
import type { DatedFeedOptions } from './atom.js';
import { tagSlug } from './tags.js';
import { absoluteUrl, postPath } from './urls.js';
import { xmlText } from './xml.js';

/**
 * JSON Feed 1.1 for the same posts as the RSS feed: the post's absolute URL as `id`, RFC 3339 dates in the site's
 * time zone, the summary and the full HTML with every URL absolute. Text loses the characters XML 1.0 forbids, as
 * in the other feeds, so every feed of a post says the same.
 */
export function renderJsonFeed(site: Site, options: DatedFeedOptions): string {
  const author = options.author ? [{ name: xmlText(options.author) }] : undefined;
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: xmlText(options.title),
    home_page_url: absoluteUrl(options, ''),
    feed_url: absoluteUrl(options, 'feed.json'),
    ...(options.description ? { description: xmlText(options.description) } : {}),
    language: options.language,
    ...(author ? { authors: author } : {}),
    items: feedPosts(site.posts, options).map((post) => item(post, site, options)),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

function item(post: RenderedPost, site: Site, options: DatedFeedOptions) {
  const link = absoluteUrl(options, postPath(post, options));
  return {
    id: feedId(options, postPath(post, options)),
    url: link,
    title: xmlText(post.title),
    content_html: xmlText(feedItemHtml(post, options.itemsHtml)),
    summary: xmlText(post.description ?? post.excerpt),
    date_published: isoInZone(post.date.instant, options.timezone),
    ...(post.updated ? { date_modified: isoInZone(post.updated.instant, options.timezone) } : {}),
    ...(post.authors.length ? { authors: authorNames(site, post).map((name) => ({ name: xmlText(name) })) } : {}),
    ...(post.tags.length ? { tags: post.tags.map((tag) => xmlText(site.tagsBySlug.get(tagSlug(tag))?.name ?? tag)) } : {}),
  };
}
