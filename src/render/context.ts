import { formatDate, isoInZone, type PostDate } from '../content/dates.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { Author, Pagination, RenderedPost, Site, Tag } from '../site/model.js';
import { authorName } from '../site/authors.js';
import { tagSlug } from '../site/tags.js';
import { absoluteUrl, authorPath, postPath, siteUrl, tagPath } from '../site/urls.js';
import { resolveExcerptLinks } from './excerpt-links.js';
import type { AuthorView, BaseContext, DateView, PaginationView, PostView, TagView, TocEntry } from './template-context.js';

export type { AuthorView, DateView, PostView, TagView, TocEntry } from './template-context.js';

/** The table of contents of a post that asks for one and has headings; `toc: false` in front matter opts out. */
function tableOfContents(p: RenderedPost, isDefaultOn: boolean): TocEntry[] | null {
  const isOn = typeof p.data.toc === 'boolean' ? p.data.toc : isDefaultOn;
  if (!isOn || !p.headings) return null;
  const entries: TocEntry[] = [];
  for (const heading of p.headings) {
    const entry = { text: heading.text, href: `#${heading.id}`, children: [] };
    const parent = entries.at(-1);
    // An h3 before any h2 is listed at the top level.
    if (heading.depth === 3 && parent) parent.children.push(entry);
    else entries.push(entry);
  }
  return entries;
}

/** Builds template views from the site model; one instance per build. */
export function createViews(site: Site, config: ResolvedConfig, generator: string, data: Readonly<Record<string, unknown>> = {}) {
  const tags = tagViewsOf(site, config);
  const authors = authorViewsOf(site, config);
  const post = postViewer(config, tags.postTags, authors.postAuthors);
  const common = commonContext(site, config, generator, data);
  const pagination = (page: Pagination<unknown>): PaginationView => ({
    page: page.page,
    totalPages: page.totalPages,
    previous: page.previousPath === null ? null : siteUrl(config, page.previousPath),
    next: page.nextPath === null ? null : siteUrl(config, page.nextPath),
    first: siteUrl(config, page.firstPath),
    last: siteUrl(config, page.lastPath),
    pages: page.pagePaths.map((p, i) => ({ number: i + 1, url: siteUrl(config, p), isCurrent: i + 1 === page.page })),
  });
  return { post, forget: post.forget, ...tags, ...authors, common, pagination };
}

/** Each tag's view, by slug and as a post spells it. */
function tagViewsOf(site: Site, config: ResolvedConfig) {
  const tagView = (tag: Tag): TagView => ({ name: tag.name, slug: tag.slug, url: siteUrl(config, tagPath(tag.slug, config)), count: tag.posts.length });
  const tagViews = new Map(site.tags.map((tag) => [tag.slug, tagView(tag)]));
  const bySpelling = new Map<string, TagView>();
  // Each spelling's slug once: a tag's posts spell their other tags again and again (~6,000 slugs at 1,000 posts).
  const slugs = new Map<string, string>();
  const slugOf = (name: string) => slugs.get(name) ?? slugs.set(name, tagSlug(name)).get(name)!;
  for (const tag of site.tags) {
    for (const post of tag.posts) {
      for (const name of post.tags) if (!bySpelling.has(name) && slugOf(name) === tag.slug) bySpelling.set(name, tagViews.get(tag.slug)!);
    }
  }
  const postTags = (p: RenderedPost): TagView[] => p.tags.map((name) => bySpelling.get(name)!).filter(Boolean);
  return { tagViews, postTags, tagView: (tag: Tag) => tagViews.get(tag.slug)! };
}

/** Each author's view (with a URL when the site has author pages), and a post's authors as views. */
function authorViewsOf(site: Site, config: ResolvedConfig) {
  const hasAuthorPages = site.authors.length > 1;
  const authorView = (author: Author): AuthorView => ({
    name: author.name,
    slug: author.slug,
    url: hasAuthorPages ? siteUrl(config, authorPath(author.slug)) : null,
    bio: author.bio,
    links: author.links,
    count: author.posts.length,
  });
  const authorViews = new Map(site.authors.map((author) => [author, authorView(author)]));
  const postAuthors = (p: RenderedPost): AuthorView[] => (site.authorsOf.get(p) ?? []).map((author) => authorViews.get(author)!);
  return { hasAuthorPages, postAuthors, authorView: (author: Author) => authorViews.get(author)! };
}

/** A post's view: with its HTML and table of contents on its own page, else with its excerpt's HTML. */
function postViewer(config: ResolvedConfig, postTags: (p: RenderedPost) => TagView[], postAuthors: (p: RenderedPost) => AuthorView[]) {
  // Each post's dates appear on several pages (its own, lists, tag pages): format each date once.
  const dateViews = new WeakMap<PostDate, DateView>();
  const dateView = (date: PostDate): DateView => {
    let view = dateViews.get(date);
    if (!view) {
      view = { iso: date.iso, text: formatDate(date, config.language, config.timezone), dateTime: isoInZone(date.instant, config.timezone) };
      dateViews.set(date, view);
    }
    return { ...view };
  };
  const names = new Intl.ListFormat(config.language, { type: 'conjunction' });
  // An excerpt is on several list pages (home, tags, authors): its links are resolved once.
  const excerpts = new WeakMap<RenderedPost, string>();
  const excerptHtml = (p: RenderedPost, url: string): string => {
    let html = excerpts.get(p);
    if (html === undefined) excerpts.set(p, (html = resolveExcerptLinks(p.excerptHtml!, url)));
    return html;
  };
  const view = (p: RenderedPost, includeHtml: boolean): PostView => {
    const url = siteUrl(config, postPath(p, config));
    const image = p.image ? resolveImage(p.image, url, config.basePath) : null;
    return {
      title: p.title,
      url,
      slug: p.slug,
      date: dateView(p.date),
      updated: p.updated ? dateView(p.updated) : null,
      author: names.format(postAuthors(p).map((author) => author.name)),
      authors: postAuthors(p),
      readTime: { minutes: p.readTime, text: `${p.readTime} min read` },
      tags: postTags(p),
      description: p.description ?? p.excerpt,
      ...(includeHtml ? { html: p.html, toc: tableOfContents(p, config.markdown.toc) } : p.excerptHtml ? { excerptHtml: excerptHtml(p, url) } : {}),
      image,
      imageUrl: image === null ? null : absoluteImage(image, config),
      imageSize: p.imageSize ?? null,
      data: p.data,
    };
  };
  // A post rendered again (the dev server took in its new body) has its excerpt's links resolved again.
  return Object.assign(view, { forget: (p: RenderedPost) => void excerpts.delete(p) });
}

/** What every page's context holds: the site's settings and navigation, the page's kind, title and URLs, the data files. */
function commonContext(site: Site, config: ResolvedConfig, generator: string, data: Readonly<Record<string, unknown>>) {
  const nav = site.nav.map((page) => ({ title: page.title, url: siteUrl(config, page.path) }));
  return (kind: string, title: string, description: string, sitePath: string): BaseContext => ({
    site: {
      title: config.title,
      description: config.description,
      url: config.url,
      basePath: config.basePath,
      language: config.language,
      // The display name from the config's `authors` map when it has the default author's handle.
      author: authorName(config.authors, config.author),
      feedUrl: siteUrl(config, 'rss.xml'),
      atomUrl: siteUrl(config, 'atom.xml'),
      jsonFeedUrl: siteUrl(config, 'feed.json'),
      sitemapUrl: siteUrl(config, 'sitemap.xml'),
      generator,
      nav,
    },
    page: {
      kind,
      title,
      description,
      url: siteUrl(config, sitePath),
      canonical: absoluteUrl(config, sitePath),
      isHome: kind === 'home' && sitePath === '',
    },
    data,
  });
}

/** A resolved cover image link as an absolute URL: a page's link without the base path is a site path. */
function absoluteImage(image: string, config: ResolvedConfig): string {
  if (isExternal.test(image) || !image.startsWith(config.basePath)) return image;
  return absoluteUrl(config, image.slice(config.basePath.length));
}

const isExternal = /^[a-z][a-z0-9+.-]*:|^\/\//i;

/** A cover image path relative to the post's folder becomes a link that works from any page. */
function resolveImage(image: string, postUrl: string, basePath: string): string {
  if (isExternal.test(image)) return image;
  // Root-relative covers get the sub-path, as root-relative links in the body do (rehypeBasePath).
  if (image.startsWith('/')) return image.startsWith(basePath) ? image : basePath + image.slice(1);
  return postUrl + image.replace(/^\.\//, '');
}
