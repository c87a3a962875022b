import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../config/schema.js';
import { parseAliases } from '../content/aliases.js';
import type { Location } from '../diagnostics/error.js';
import type { RenderedPost, Site } from '../site/model.js';
import { renderAtom } from '../site/atom.js';
import { authorName } from '../site/authors.js';
import { feedPosts, renderFeed, tagScope, type FeedOptions, type ItemsHtml, type MadeItem } from '../site/feed.js';
import { renderJsonFeed } from '../site/json-feed.js';
import { paginate } from '../site/paginate.js';
import { renderRedirect } from '../site/redirect.js';
import { renderRobots, sitemapFiles } from '../site/sitemap.js';
import { absoluteUrl, authorPath, outputPath, postPath, siteUrl, tagPath } from '../site/urls.js';
import type { createViews, TagView } from './context.js';
import type { PageTemplateName } from './templates.js';

type Views = ReturnType<typeof createViews>;

/** What decides a page's HTML besides the render salt (templates, helpers, config, code), its template and path. */
export interface RouteDeps {
  /** Text naming every part of the page's data but its `site`, cheaper than the data's JSON. @default the data's JSON */
  keyText?: () => string;
  /** The dev server's in-memory key: a short text, and the objects the page is made from (compared by identity). */
  memoryKey?: () => { text: string; deps: readonly unknown[] };
  /**
   * The posts whose bodies (HTML, excerpt, reading time…) the page shows: past its template and path, the rest of
   * its data comes from the posts' other fields and the config. None: the page shows no post's body.
   */
  posts?: readonly RenderedPost[];
}

/** One HTML page of the site: where it goes, what kind it is, and the template and data it is rendered from. */
export interface Route {
  /** Site path: `posts/x/` (written as `posts/x/index.html`) or a file name such as `404.html`. */
  path: string;
  kind: 'post' | 'home' | 'tag-index' | 'tag' | 'author' | 'page' | '404';
  template: PageTemplateName;
  /** The source file the page is made from (posts and pages), where a clash of paths is reported. */
  origin?: Location;
  /** The template's data; made only when the page is rendered or keyed by its data. */
  data: () => Record<string, unknown>;
  deps: RouteDeps;
}

/** A file of the site made without the theme: the feed, the sitemap, robots.txt, or a file copied from `source`. */
export interface FileRoute {
  /** Output path, relative to the output folder. */
  path: string;
  kind: 'feed' | 'sitemap' | 'robots' | 'static' | 'alias';
  contents?: () => string | Uint8Array;
  source?: string;
  /** For an alias: the post or page whose front matter asked for it, where a clash of paths is reported. */
  origin?: Location;
  /** For a feed: the posts whose bodies it carries (see {@link RouteDeps.posts}). */
  posts?: readonly RenderedPost[];
}

/**
 * The feeds, the sitemap (one file, or an index and its parts past `sitemapMaxUrls` URLs) and robots.txt; `feed`
 * has the feed items' absolute HTML (see renderFeedItemsHtml).
 */
export function fileRoutes(site: Site, config: ResolvedConfig, feed: FeedOptions & { itemsHtml: ItemsHtml }, sitemapMaxUrls?: number): FileRoute[] {
  // Each post's RSS item and Atom entry are made once, then reused by every feed (site and tags) that lists it.
  const rss = { ...feed, rssItems: new Map<RenderedPost, MadeItem>() };
  const dated = { ...feed, timezone: config.timezone, author: authorName(config.authors, config.author), atomEntries: new Map<RenderedPost, MadeItem>() };
  const posts = feedPosts(site.posts, feed);
  return [
    { path: 'rss.xml', kind: 'feed', contents: () => renderFeed(site, rss), posts },
    { path: 'atom.xml', kind: 'feed', contents: () => renderAtom(site, dated), posts },
    { path: 'feed.json', kind: 'feed', contents: () => renderJsonFeed(site, dated), posts },
    ...site.tags.flatMap((tag): FileRoute[] => {
      const scope = tagScope(tag, feed);
      // Output paths are decoded, as pages' are (see outputPath), so a non-ASCII slug is a real folder name.
      const folder = decodeURIComponent(scope.pagePath);
      const tagPosts = feedPosts(scope.posts, feed);
      return [
        { path: `${folder}rss.xml`, kind: 'feed', contents: () => renderFeed(site, rss, scope), posts: tagPosts },
        { path: `${folder}atom.xml`, kind: 'feed', contents: () => renderAtom(site, dated, scope), posts: tagPosts },
      ];
    }),
    ...sitemapFiles(site, { ...config, maxUrls: sitemapMaxUrls }).map((file): FileRoute => ({ ...file, kind: 'sitemap' })),
    { path: 'robots.txt', kind: 'robots', contents: () => renderRobots(config) },
    ...aliasRoutes(site, config),
  ];
}

/** A redirect page at each old URL a post or page lists in `aliases` (validated when they were loaded). */
function aliasRoutes(site: Site, config: ResolvedConfig): FileRoute[] {
  // A target's path is made only when a redirect is written: most posts have no aliases, and a post's path costs a
  // permalink each (10,000 posts: ~10 ms).
  const targets = [
    ...site.posts.map((post) => ({ path: () => postPath(post, config), title: post.title, file: post.sourcePath, aliases: parseAliases(post.data.aliases), locs: [] as Location[] })),
    ...site.pages.map((page) => ({ path: () => page.path, title: page.title, file: page.sourcePath, aliases: { paths: page.aliases }, locs: page.aliasLocs })),
  ];
  return targets.flatMap((target) => ('paths' in target.aliases ? target.aliases.paths : []).map((alias, i): FileRoute => ({
    path: outputPath(alias),
    kind: 'alias',
    // A page knows where each alias is written; a post's are reported at its file.
    origin: target.locs[i] ?? { file: target.file },
    contents: () => renderRedirect({ url: siteUrl(config, target.path()), canonical: absoluteUrl(config, target.path()), title: target.title, language: config.language }),
  })));
}

/** What the route producers share: the site, the config, the template views and per-post key parts, made once. */
interface RouteContext {
  site: Site;
  config: ResolvedConfig;
  views: Views;
  keys: PostKeys;
}

/** The page kinds, in the order their files are listed. A new kind of page is one more producer here. */
const producers: ((context: RouteContext) => Route[])[] = [postRoutes, homeRoutes, tagIndexRoutes, tagRoutes, authorRoutes, pageRoutes, notFoundRoutes];

/**
 * Every HTML page of the site as a route. `htmlKeys` names rendered posts' HTML (equal names, equal HTML: the
 * markdown cache's keys, or hashes from earlier builds); a post without one has its HTML hashed once.
 */
export function siteRoutes(site: Site, config: ResolvedConfig, views: Views, htmlKeys?: WeakMap<RenderedPost, string>, keys = postKeys(views, htmlKeys)): Route[] {
  const context = { site, config, views, keys };
  return producers.flatMap((produce) => produce(context));
}

function postRoutes({ site, config, views, keys }: RouteContext): Route[] {
  return site.posts.map((post, i) => {
    const newer = site.posts[i - 1];
    const older = site.posts[i + 1];
    const neighbours = () => ({
      newer: newer ? { title: newer.title, url: siteUrl(config, postPath(newer, config)) } : null,
      older: older ? { title: older.title, url: siteUrl(config, postPath(older, config)) } : null,
    });
    const common = () => views.common('post', post.title, post.description ?? post.excerpt, postPath(post, config));
    const related = () => (site.related.get(post) ?? []).map((other) => ({ title: other.title, url: siteUrl(config, postPath(other, config)), date: keys.summary(other).date }));
    return {
      path: postPath(post, config),
      kind: 'post',
      template: 'post',
      origin: post.slugLoc ?? { file: post.sourcePath },
      data: () => ({ ...common(), post: views.post(post, true), ...neighbours(), related: related() }),
      deps: {
        // The key names the post's view by its summary's key (shared with the list pages) and its HTML by htmlKey
        // rather than holding them: cheaper than escaping them into JSON, and the HTML of a post from the cache is
        // not even decoded unless its page is rendered.
        keyText: () => `${JSON.stringify([common().page, neighbours(), related()])}\n${keys.summaryKey(post)}\n${keys.htmlKey(post)}`,
        memoryKey: () => ({
          // Tag keys are JSON, so they hold no raw newline: joined by newlines, they need no escaping.
          text: `${JSON.stringify([newer?.title, newer?.slug, older?.title, older?.slug, related()])}\n${keys.tagKey(post)}`,
          deps: [post],
        }),
        posts: [post],
      },
    };
  });
}

/** A page listing post summaries (home pages, tag pages); `key` names its data but the summaries in memory. */
function listRoute(kind: 'home' | 'tag' | 'author', path: string, data: () => Record<string, unknown>, items: RenderedPost[], key: unknown[], keys: PostKeys): Route {
  return {
    path,
    kind,
    template: 'list',
    data: () => ({ ...data(), posts: items.map(keys.summary) }),
    deps: {
      keyText: () => {
        // The site and the data files are in every key's salt already (see renderCacheSalt).
        const { site: _, data: __, ...rest } = data();
        return `${JSON.stringify(rest)}\n${items.map(keys.summaryKey).join('\n')}`;
      },
      memoryKey: () => ({ text: `${JSON.stringify(key)}\n${items.map(keys.tagKey).join('\n')}`, deps: items }),
      posts: items,
    },
  };
}

function homeRoutes({ site, config, views, keys }: RouteContext): Route[] {
  return paginate(site.posts, config.postsPerPage, '').map((page) => {
    const title = page.page === 1 ? config.title : `Page ${page.page}`;
    const data = () => ({ ...views.common('home', title, config.description, page.path), pagination: views.pagination(page), tag: null });
    return listRoute('home', page.path, data, page.items, ['home', title, '', page.page, page.totalPages], keys);
  });
}

function tagIndexRoutes({ site, config, views }: RouteContext): Route[] {
  const data = () => ({ ...views.common('tags', 'Tags', `All tags of ${config.title}`, 'tags/'), tags: site.tags.map((tag) => views.tagView(tag)) });
  return [{ path: 'tags/', kind: 'tag-index', template: 'tags', data, deps: {} }];
}

function tagRoutes({ site, config, views, keys }: RouteContext): Route[] {
  return site.tags.flatMap((tag) => {
    const base = tagPath(tag.slug, config);
    return paginate(tag.posts, config.postsPerPage, base).map((page) => {
      const title = page.page === 1 ? `Posts tagged “${tag.name}”` : `Posts tagged “${tag.name}”, page ${page.page}`;
      const data = () => ({
        ...views.common('tag', title, `Posts tagged “${tag.name}” on ${config.title}`, page.path),
        pagination: views.pagination(page),
        tag: views.tagView(tag),
        tagFeeds: { rss: siteUrl(config, `${base}rss.xml`), atom: siteUrl(config, `${base}atom.xml`) },
      });
      return listRoute('tag', page.path, data, page.items, ['tag', title, base, page.page, page.totalPages, views.tagView(tag)], keys);
    });
  });
}

/** The pages folder's pages: `page.hbs` gets the page's `html` and other front matter (`data`) in `page`. */
function pageRoutes({ site, views }: RouteContext): Route[] {
  return site.pages.map((page) => {
    const data = () => {
      const common = views.common('page', page.title, page.description ?? page.excerpt, page.path);
      return { ...common, page: { ...common.page, html: page.html, data: page.data } };
    };
    return { path: page.path, kind: 'page', template: 'page', origin: page.slugLoc, data, deps: {} };
  });
}

/** An author's pages, `/authors/<slug>/` (paginated like tag pages), when the blog has more than one author. */
function authorRoutes({ site, config, views, keys }: RouteContext): Route[] {
  if (!views.hasAuthorPages) return [];
  return site.authors.flatMap((author) => {
    const base = authorPath(author.slug);
    return paginate(author.posts, config.postsPerPage, base).map((page) => {
      const title = page.page === 1 ? `Posts by ${author.name}` : `Posts by ${author.name}, page ${page.page}`;
      const data = () => ({
        ...views.common('author', title, author.bio || `Posts by ${author.name} on ${config.title}`, page.path),
        pagination: views.pagination(page),
        tag: null,
        author: views.authorView(author),
      });
      return listRoute('author', page.path, data, page.items, ['author', title, base, page.page, page.totalPages, views.authorView(author)], keys);
    });
  });
}

function notFoundRoutes({ views }: RouteContext): Route[] {
  return [{ path: '404.html', kind: '404', template: '404', data: () => views.common('404', 'Page not found', '', '404.html'), deps: {} }];
}

/** Per-post parts of page keys and views, each made once a build: a post appears on many pages. */
export interface PostKeys {
  htmlKey(post: RenderedPost): string;
  tagKey(post: RenderedPost): string;
  summary(post: RenderedPost): ReturnType<Views['post']>;
  summaryKey(post: RenderedPost): string;
  /** Drops what was made for a post whose body was rendered again (the dev server, see dev/lazy-site.ts). */
  forget(post: RenderedPost): void;
}

/** The per-post parts of the routes of one site; pass the same to {@link siteRoutes} to forget posts later. */
export function postKeys(views: Views, htmlKeys: WeakMap<RenderedPost, string> | undefined): PostKeys {
  const once = <K extends object, V>(make: (item: K) => V) => {
    const made = new Map<K, V>();
    return Object.assign((item: K) => {
      let value = made.get(item);
      if (value === undefined) made.set(item, (value = make(item)));
      return value;
    }, { forget: (item: K) => made.delete(item) });
  };
  const sha1 = (text: string) => `sha1:${createHash('sha1').update(text).digest('hex')}`;
  // What a post's views take from other posts: its tags' views (name spelling, count); each view is shared by
  // every post with the tag, so it is made into JSON once.
  const tagViewKey = once((view: TagView) => JSON.stringify(view));
  const summary = once((post: RenderedPost) => views.post(post, false));
  const tagKey = once((post: RenderedPost) => `[${views.postTags(post).map(tagViewKey).join(',')}]${JSON.stringify(views.postAuthors(post))}`);
  const summaryKey = once((post: RenderedPost) => sha1(JSON.stringify(summary(post))));
  return {
    htmlKey(post) {
      let key = htmlKeys?.get(post);
      if (key === undefined) {
        key = sha1(post.html);
        htmlKeys?.set(post, key);
      }
      return key;
    },
    // Its authors' views too: whether they link to author pages depends on the other posts.
    tagKey,
    summary,
    // A list page's key hashes each listed post by the hash of its summary, computed once per post: the same
    // summary appears on a home page and on each of its tags' pages.
    summaryKey,
    forget(post) {
      htmlKeys?.delete(post);
      tagKey.forget(post);
      summary.forget(post);
      summaryKey.forget(post);
    },
  };
}
