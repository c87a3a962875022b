import type { PostDate } from '../content/dates.js';
import type { Location } from '../diagnostics/error.js';
import type { PostHeading } from '../markdown/heading-anchor.js';

/** A post after loading and validation; `html` is filled by the markdown stage. */
export interface Post {
  /** Absolute path of the source file. */
  sourcePath: string;
  /** Path relative to the posts folder. */
  relPath: string;
  slug: string;
  /** Where `slug:` is in the front matter, when the slug was set there. */
  slugLoc?: Location;
  title: string;
  /**
   * The body's first `# heading` is the title (it supplied it, or repeats the front-matter title): the markdown
   * stage drops it, since the page shows the title itself and two h1s would repeat it.
   */
  dropsTitleHeading: boolean;
  date: PostDate;
  updated?: PostDate;
  /** The first of `authors`, or "" (kept for templates and feeds that show one name). */
  author: string;
  /** Author handles or names as written (`author: a` or `author: [a, b]`, or `authors:`); the config's default when absent. */
  authors: string[];
  /** Tag names as written (trimmed, deduplicated by slug). */
  tags: string[];
  /** Minutes given in front matter; when absent, computed from the body. */
  readTimeMinutes?: number;
  /** Description from front matter; when absent, the excerpt is used. */
  description?: string;
  isDraft: boolean;
  image?: string;
  /** Where `image:` is in the front matter. */
  imageLoc?: Location;
  /** Related posts shown on this post's page (front matter `related`); the config's `related` when absent. */
  related?: number;
  /** Every other front-matter key, passed to templates. */
  data: Record<string, unknown>;
  body: string;
  bodyStartLine: number;
  bundleDir?: string;
  assets: string[];
  /** Links in the body to other posts by their markdown file (`./other.md#part`), when there are any. */
  postLinks?: PostLink[];
}

/** A relative link to a markdown file in a post's body, at its body-relative place. */
export interface PostLink {
  href: string;
  line: number;
  column: number;
}

/** A post with its markdown rendered. */
export interface RenderedPost extends Post {
  html: string;
  /** Plain-text excerpt: text before `<!-- more -->`, else the first paragraph, cut near 160 characters. */
  excerpt: string;
  /** The HTML before `<!-- more -->`, shown on list pages; absent without the marker. */
  excerptHtml?: string;
  /** The `h2` and `h3` headings (id, text), for the table of contents. */
  headings?: PostHeading[];
  wordCount: number;
  readTime: number;
  /** The cover image's intrinsic size, when it is a local image whose size could be read (see readCoverImages). */
  imageSize?: { width: number; height: number };
}

/** A tag and its published posts, newest first. */
export interface Tag {
  name: string;
  slug: string;
  posts: RenderedPost[];
}

/** An author with published posts, newest first; name, bio and links from the config's `authors` map. */
export interface Author {
  /** The key in the config's `authors` map, or the name as written in posts. */
  handle: string;
  slug: string;
  name: string;
  bio: string;
  links: { name: string; url: string }[];
  posts: RenderedPost[];
}

/** One page of a paginated list. */
export interface Pagination<T> {
  items: T[];
  /** 1-based page number. */
  page: number;
  totalPages: number;
  /** Site path of this page, e.g. `page/2/`. */
  path: string;
  previousPath: string | null;
  nextPath: string | null;
  firstPath: string;
  lastPath: string;
  pagePaths: string[];
}

/** A standalone page from the pages folder (About, Contact…): no date, no tags, never in lists or feeds. */
export interface Page {
  /** Absolute path of the source file. */
  sourcePath: string;
  /** Path relative to the pages folder. */
  relPath: string;
  /** Site path: `about/`, `docs/faq/` (URL-encoded, as post paths are). */
  path: string;
  /** Where the page's URL is decided: its `slug:`, else the top of the file. */
  slugLoc: Location;
  title: string;
  dropsTitleHeading: boolean;
  description?: string;
  /** Navigation order when the config has no `nav`: by weight, then title. @default 0 */
  weight: number;
  isDraft: boolean;
  /** Site paths of the page's old URLs, each written as a redirect page. */
  aliases: string[];
  /** Where each alias is written in the front matter, in the order of `aliases`. */
  aliasLocs: Location[];
  /** Every other front-matter key, passed to templates. */
  data: Record<string, unknown>;
  body: string;
  bodyStartLine: number;
}

/** A page with its markdown rendered. */
export interface RenderedPage extends Page {
  html: string;
  /** Plain-text excerpt, the meta description when the page has none. */
  excerpt: string;
}

/** Everything the renderers need: published posts, tags, and what was left out. */
export interface Site {
  /** Published posts, newest first (ties broken by slug). */
  posts: RenderedPost[];
  /** Tags of published posts, sorted by name. */
  tags: Tag[];
  tagsBySlug: Map<string, Tag>;
  /** Published standalone pages, in navigation order. @default [] */
  pages: RenderedPage[];
  /** The pages in the site navigation, in its order: the config's `nav`, else by weight, then title. @default [] */
  nav: RenderedPage[];
  /** Authors of published posts, in the config's order, then by name; pages are made only when there are 2+. */
  authors: Author[];
  /** Each published post's authors, in the order written. */
  authorsOf: Map<RenderedPost, Author[]>;
  /** Each published post's related posts (see relatedPosts). */
  related: Map<RenderedPost, RenderedPost[]>;
  /** Posts left out as drafts. */
  drafts: Post[];
  /** Posts left out because their date is after the build time. */
  scheduled: Post[];
}
