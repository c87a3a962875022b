import type { Diagnostic } from '../diagnostics/error.js';
import type { Post, RenderedPost } from '../site/model.js';
import type { FeedItemBase, UrlConfig } from '../site/urls.js';
import type { MarkdownLimits, MarkdownTooComplexError } from './markdown-limits.js';
import type { MarkdownPool } from './pool.js';
import type { MarkdownOptions } from './processor.js';
import type { MarkdownResult } from './render-job.js';

// The markdown stage's options, results and the ports through which the build hands it what earlier builds kept.

/**
 * Rendered bodies kept by earlier builds (the build hands in the persistent markdown cache): the stage asks by key
 * and never sees a store. A key names everything a result was rendered from.
 */
export interface StoredMarkdown {
  /** The key of a post's body (and whether its title heading is dropped), with the URLs of the posts it links to by file. */
  postKey(post: Post, postLinks?: Record<string, string>): string;
  /** The key of a body given by its SHA-1 hex digest (a page's). */
  key(bodyDigest: string, stripTitleHeading: boolean): string;
  /**
   * The result an earlier build stored under `key` (its `html` may stay undecoded until first read) when `isCurrent`
   * accepts it, else `render()`'s, stored when it is one (a promise while it renders; undefined, a failure, is not
   * stored). A result this process already holds is passed as `render`'s, so that it is kept.
   */
  memo(key: string, render: () => MarkdownResult | Promise<MarkdownResult | undefined>, isCurrent?: (result: MarkdownResult) => boolean): MarkdownResult | Promise<MarkdownResult | undefined>;
}

/** A rendered body, with the persistent cache's key for it. */
export interface MarkdownMemo {
  key: string | undefined;
  result: MarkdownResult;
}

/** A body's rendered markdown, by the title-heading flag. */
export interface MarkdownSlots {
  stripped?: MarkdownMemo;
  kept?: MarkdownMemo;
}

/**
 * Rendered markdown of earlier builds in this process, by body text (a build state's `markdown` namespace): what
 * this build neither recalls nor remembers is dropped when the state's store commits.
 */
export interface MarkdownMemos {
  recall(body: string): MarkdownSlots | undefined;
  remember(body: string, slots: MarkdownSlots): void;
}

/** Bodies earlier builds in this process found beyond a limit, by body text (a build state's `markdown-too-complex` namespace). */
export interface TooComplexMemo {
  recall(body: string): MarkdownTooComplexError | undefined;
  remember(body: string, failure: MarkdownTooComplexError): void;
}

/** Rendered posts of earlier builds in this process, by post: the same object while neither the post nor its result changed. */
export type RenderedMemo = WeakMap<Post, { result: MarkdownResult; readingSpeed: number; rendered: RenderedPost }>;

/** Options of the markdown stage. */
export interface RenderMarkdownOptions {
  markdown: Required<MarkdownOptions>;
  /** Words per minute for computed read times. */
  readingSpeed: number;
  /** The persistent cache; posts found there are not parsed. @default undefined (no cache) */
  cache?: StoredMarkdown;
  /** Worker threads rendering markdown while this one coordinates; 0 renders in this thread. @default one a core (at most 8, one per 32 posts) when `poolThreshold`+ posts miss the cache and there are 2+ cores, else 0 */
  workers?: number;
  /** Posts to render below which the pool's start-up (~0.2 s a worker) does not pay. @default 64 */
  poolThreshold?: number;
  /** Limits on each post (see markdown-limits.ts); a post beyond one fails alone. @default defaultLimits */
  limits?: MarkdownLimits;
  /** Called as posts are rendered. */
  onProgress?: (done: number, total: number) => void;
  /**
   * A pool started earlier for this build (see {@link defaultWorkers}), used when 2+ posts miss the cache; the
   * caller closes it. @default undefined (a pool is started here if `workers` asks for one)
   */
  pool?: MarkdownPool;
  /** Work for this thread while a worker pool renders (e.g. saving the post cache, loading templates); called once in any case. */
  whileRendering?: () => void | Promise<void>;
  /** Stops rendering (e.g. when `whileRendering` found the templates broken): posts not yet rendered are left out. */
  signal?: AbortSignal;
  /** Posts in the feed, with where their items' URLs resolve: workers make their feed HTML too (see `feedHtml`). */
  feedItems?: () => ReadonlyMap<Post, FeedItemBase>;
  /**
   * Results of earlier builds in this process, by body (a build state's `markdown`): used before the persistent
   * cache, so a rebuild neither hashes nor looks up unchanged bodies. This build's results are remembered in it.
   */
  memo?: MarkdownMemos;
  /** Each post's links to other posts' markdown files → their URLs (see content/post-links.ts); part of its cache key. */
  postLinks?: ReadonlyMap<Post, Record<string, string>>;
  /** Bodies earlier builds found beyond a limit (a build state's `markdownTooComplex`): they fail again unrendered. This build's are remembered in it. */
  tooComplexMemo?: TooComplexMemo;
  /** Rendered posts of earlier builds (a build state's `renderedPosts`): an unchanged post gives the same object. */
  renderedMemo?: RenderedMemo;
  /**
   * The rendered posts to fill, by post (see renderedShell): the stage fills these objects rather than making new
   * ones, so a site model built from them before rendering ends holds the results. @default undefined (new objects)
   */
  shells?: ReadonlyMap<Post, RenderedPost>;
  /** Called as each post with a shell is rendered (not for cached posts), with its filled shell and its HTML's name (see htmlKeys). */
  onRendered?: (post: RenderedPost, htmlKey: string | undefined) => void;
  /**
   * The order to render posts in: the site's (newest first) makes the list pages rendered with `onRendered`
   * complete one after another, rather than all with the last posts. @default the order of `posts`
   */
  order?: (a: Post, b: Post) => number;
  /** Where posts' local images are looked up, for their sizes and missing-image warnings. @default undefined (not looked up) */
  images?: { publicDir: string; permalinks?: UrlConfig['permalinks'] };
}

/** What the stage did, for the summary and the benchmark. */
export interface MarkdownStats {
  fromCache: number;
  rendered: number;
  workers: number;
  /** Posts whose markdown a worker thread rendered (the rest of `rendered` this thread did). */
  renderedInWorkers: number;
}

/** What {@link renderMarkdown} returns. */
export interface MarkdownStageResult {
  posts: RenderedPost[];
  diagnostics: Diagnostic[];
  stats: MarkdownStats;
  /** Names of posts' HTML, from the cache's keys (see RenderPagesOptions.htmlKeys). */
  htmlKeys: WeakMap<RenderedPost, string>;
  /** Feed items' HTML made by the workers, for `renderFeedItemsHtml`. */
  feedHtml: Map<RenderedPost, { base: string; html: string }>;
}

