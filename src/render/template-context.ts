// The data every template receives, as TypeScript types: what a theme author can rely on. The README's
// "Template context" section and docs/template-contract.md describe the same; test/template-context.test.ts builds
// a blog whose templates print their context and checks it against these names.
/** A date as templates see it. */
export interface DateView {
  /** For `<time datetime>`: `2024-12-31` for a calendar date, else the date-time with the site's offset. */
  iso: string;
  text: string;
  /** Always a date-time with the site's offset (`2024-12-31T00:00:00+09:00`), for OpenGraph and JSON-LD. */
  dateTime: string;
}

/** A tag as templates see it. */
export interface TagView {
  name: string;
  slug: string;
  url: string;
  count: number;
}

/** A post as templates see it (docs/template-contract.md); `html` only on its own page. */
export interface PostView {
  title: string;
  url: string;
  slug: string;
  date: DateView;
  updated: DateView | null;
  /** The authors' display names as one text ("Alice and Bob"). */
  author: string;
  authors: AuthorView[];
  readTime: { minutes: number; text: string };
  tags: TagView[];
  description: string;
  html?: string;
  /** On post pages: the table of contents (`toc` in front matter, else `markdown.toc`), or null. */
  toc?: TocEntry[] | null;
  /** On list pages: the post's HTML before `<!-- more -->`, when it has the marker, its relative links resolved from the post's page. */
  excerptHtml?: string;
  image: string | null;
  /** The cover image's absolute URL (root-relative when the site has no `url`), for og:image and JSON-LD. */
  imageUrl: string | null;
  /** The cover image's intrinsic size, when it is a local image (for `width`/`height`). */
  imageSize: { width: number; height: number } | null;
  data: Record<string, unknown>;
}

/** `site`: the blog, the same on every page. */
export interface SiteView {
  title: string;
  description: string;
  /** Absolute base URL ending in `/` (`https://example.org/blog/`), or `""` when none is configured. */
  url: string;
  /** Path of the base URL, `/` or `/blog/`: every internal link starts with it. */
  basePath: string;
  /** BCP 47 language tag, for `<html lang>`. */
  language: string;
  author: string;
  /** Links to the RSS, Atom and JSON feeds and the sitemap, with the base path. */
  feedUrl: string;
  atomUrl: string;
  jsonFeedUrl: string;
  sitemapUrl: string;
  /** `blogbuild <version>`, for `<meta name="generator">`. */
  generator: string;
  /** The pages of the pages folder in navigation order (config `nav`, else `weight` then title). */
  nav: { title: string; url: string }[];
}

/** `page`: the page being rendered. */
export interface PageView {
  /** What the page is: `home` (home page N too), `post`, `page` (a page of the pages folder), `tag` (tag page N too), `tags` (the tag index) or `404`. */
  kind: 'home' | 'post' | 'tag' | 'tags' | '404' | (string & {});
  /** The page's own title, without the site title. */
  title: string;
  description: string;
  /** Root-relative URL with the base path. */
  url: string;
  /** Absolute URL when `site.url` is set, else the same as `url`. */
  canonical: string;
  /** True on the first home page only. */
  isHome: boolean;
}

/** `pagination` on list pages. `previous` is the newer posts' page. */
export interface PaginationView {
  page: number;
  totalPages: number;
  previous: string | null;
  next: string | null;
  first: string;
  last: string;
  pages: { number: number; url: string; isCurrent: boolean }[];
}

/** What every template gets: `site`, `page` and `data` (the data files, `data/<name>.json|yaml` → `data.<name>`). */
// A type, not an interface, so that it is a Record<string, unknown> where routes take one.
export type BaseContext = {
  site: SiteView;
  page: PageView;
  data: Readonly<Record<string, unknown>>;
};

/** `post.hbs`: one post with its HTML, and its neighbours (`newer` was published after it). */
export interface PostContext extends BaseContext {
  post: PostView & { html: string };
  newer: { title: string; url: string } | null;
  older: { title: string; url: string } | null;
  /** Posts sharing its tags, most shared first, then newest (config `related`, front matter `related`); `[]` for none. */
  related: { title: string; url: string; date: DateView }[];
}

/** `list.hbs`: a home page or a tag page; `posts` are summaries (no `html`). */
export interface ListContext extends BaseContext {
  posts: Omit<PostView, 'html'>[];
  pagination: PaginationView;
  /** The tag of a tag page; null on home pages. */
  tag: TagView | null;
  /** On tag pages: the tag's own RSS and Atom feeds. */
  tagFeeds?: { rss: string; atom: string };
}

/** `tags.hbs`: every tag, sorted by name. */
export interface TagsContext extends BaseContext {
  tags: TagView[];
}

/** `404.hbs`: the base context alone. */
export type NotFoundContext = BaseContext;

/** The context of any page template. */
export type TemplateContext = PostContext | ListContext | TagsContext | NotFoundContext;

/** `layout.hbs`: the page template's context plus `body`, its rendered HTML (`{{{body}}}`). */
export type LayoutContext = TemplateContext & { body: string };

/** A table-of-contents entry: an `h2` with its `h3`s. */
export interface TocEntry {
  text: string;
  /** `#id` of the heading (not `url`: that name is a template helper). */
  href: string;
  children: TocEntry[];
}

/** An author as templates see it; `url` is null when the blog has one author (no author pages). */
export interface AuthorView {
  name: string;
  slug: string;
  url: string | null;
  bio: string;
  links: { name: string; url: string }[];
  count: number;
}
