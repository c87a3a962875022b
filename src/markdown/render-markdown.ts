import os from 'node:os';
import type { BuildState, MarkdownMemo } from '../build-state.js';
import type { MarkdownCache } from '../cache/markdown-cache.js';
import { lazyTextOf } from '../cache/packed.js';
import { error, type Diagnostic } from '../diagnostics/error.js';
import type { Post, RenderedPost } from '../site/model.js';
import type { FeedItemBase } from '../site/urls.js';
import type { MarkdownPool } from './pool.js';
import type { MarkdownOptions } from './processor.js';
import { renderBody, type MarkdownJob, type MarkdownResult } from './render-job.js';

export { renderBody, type MarkdownJob, type MarkdownResult };
import { filteredTagWarning } from './remark-tagfilter.js';

/**
 * A post plus its rendered body: the excerpt cut near 160 characters, the read time filled in. A body or HTML
 * still undecoded from a cache file stays so (its property descriptor is copied; a spread would read it).
 */
export function toRenderedPost(post: Post, result: MarkdownResult, readingSpeed: number): RenderedPost {
  const rendered = withoutBody(post) as RenderedPost;
  Object.defineProperty(rendered, 'body', Object.getOwnPropertyDescriptor(post, 'body')!);
  Object.defineProperty(rendered, 'html', Object.getOwnPropertyDescriptor(result, 'html')!);
  rendered.excerpt = truncate(result.excerpt, 160);
  rendered.wordCount = result.wordCount;
  rendered.readTime = post.readTimeMinutes ?? Math.max(1, Math.round(result.wordCount / readingSpeed));
  return rendered;
}

/** A copy of the post's fields but its body, which may be lazy: a spread of the post would decode it. */
function withoutBody(post: Post): Omit<Post, 'body'> {
  const fields: Partial<Post> = {};
  for (const key in post) if (key !== 'body') (fields as Record<string, unknown>)[key] = (post as unknown as Record<string, unknown>)[key];
  return fields as Omit<Post, 'body'>;
}

/** The diagnostic for a post whose markdown could not be rendered. */
export function markdownError(post: Post, cause: unknown): Diagnostic {
  return error('MarkdownFailed', { reason: (cause as Error)?.message ?? String(cause) }, { file: post.sourcePath }, cause);
}

/** Options of the markdown stage. */
export interface RenderMarkdownOptions {
  markdown: Required<MarkdownOptions>;
  /** Words per minute for computed read times. */
  readingSpeed: number;
  /** The persistent cache; posts found there are not parsed. @default undefined (no cache) */
  cache?: MarkdownCache;
  /** Worker threads rendering markdown while this one coordinates; 0 renders in this thread. @default one a core (at most 8, one per 32 posts) when `poolThreshold`+ posts miss the cache and there are 2+ cores, else 0 */
  workers?: number;
  /** Posts to render below which the pool's start-up (~0.2 s a worker) does not pay. @default 64 */
  poolThreshold?: number;
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
   * cache, so a rebuild neither hashes nor looks up unchanged bodies. Updated to hold exactly this build's bodies.
   */
  memo?: BuildState['markdown'];
  /** Rendered posts of earlier builds (a build state's `renderedPosts`): an unchanged post gives the same object. */
  renderedMemo?: BuildState['renderedPosts'];
}

/** What the stage did, for the summary and the benchmark. */
export interface MarkdownStats {
  fromCache: number;
  rendered: number;
  workers: number;
  /** Posts whose markdown a worker thread rendered (the rest of `rendered` this thread did). */
  renderedInWorkers: number;
}

/**
 * The markdown stage: posts → rendered posts, in input order. Cached results are used as they are; the rest are
 * rendered in a worker pool (large builds) or in this thread, and stored in the cache. The output does not depend
 * on the pool size: each body renders independently and results are placed by index.
 */
export async function renderMarkdown(posts: Post[], options: RenderMarkdownOptions): Promise<MarkdownStageResult> {
  const found = lookUp(posts, options);
  const rendering = await renderMissing(posts, found, options);
  return collect(posts, found, rendering, options);
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

/** Results by post index, from this process's memo or the persistent cache, and the indexes still missing. */
interface Found {
  results: (MarkdownResult | undefined)[];
  keys: string[];
  missing: number[];
}

function lookUp(posts: Post[], { cache, memo }: RenderMarkdownOptions): Found {
  const results: (MarkdownResult | undefined)[] = new Array(posts.length);
  const keys: string[] = [];
  const missing: number[] = [];
  posts.forEach((post, i) => {
    const known = memo?.get(post.body)?.[post.dropsTitleHeading ? 'stripped' : 'kept'];
    if (known) {
      results[i] = known.result;
      if (cache) {
        keys[i] = known.key ?? cache.key(post);
        cache.keep(keys[i], known.result);
      }
      return;
    }
    if (cache) {
      keys[i] = cache.key(post);
      results[i] = cache.get(keys[i]);
    }
    if (!results[i]) missing.push(i);
  });
  return { results, keys, missing };
}

/** What rendering the missing posts gave besides results (filled into `found.results`): failures and feed HTML. */
interface Rendering {
  failures: (unknown | undefined)[];
  feedHtml: ({ base: string; html: string } | undefined)[];
  workers: number;
  renderedInWorkers: number;
}

/** Renders the missing posts in the pool (or a new one) or in this thread; results go into `found.results`. */
async function renderMissing(posts: Post[], { results, keys, missing }: Found, options: RenderMarkdownOptions): Promise<Rendering> {
  const cache = options.cache;
  const failures: (unknown | undefined)[] = new Array(posts.length);
  const feedHtml: ({ base: string; html: string } | undefined)[] = new Array(posts.length);
  let jobs: MarkdownJob[] = [];
  let done = posts.length - missing.length;
  let renderedInWorkers = 0;
  options.onProgress?.(done, posts.length);

  const workers = options.pool?.size ?? options.workers ?? defaultWorkers(missing.length, options.poolThreshold ?? poolThreshold);
  const onResult = (j: number, result: MarkdownResult | undefined, cause?: unknown, feed?: string, isFromWorker?: boolean) => {
    const i = missing[j];
    if (isFromWorker && result) renderedInWorkers++;
    if (result) {
      results[i] = result;
      if (feed !== undefined) feedHtml[i] = { base: jobs[j].feed!.base, html: feed };
      if (cache) cache.set(keys[i], result);
    } else failures[i] = cause;
    options.onProgress?.(++done, posts.length);
  };
  // unified, micromark and the plugins are loaded only when some post is not in the cache.
  const loadProcessor = async () => (await import('./processor.js')).createMarkdownProcessor(options.markdown);
  const isPooled = workers > 0 && missing.length > 1;
  if (isPooled) {
    const feedItems = options.feedItems?.();
    jobs = missing.map((i) => ({ ...jobOf(posts[i]), feed: feedItems?.get(posts[i]) }));
    const run = { loadProcessor, onResult, whileWaiting: options.whileRendering, signal: options.signal };
    if (options.pool) await options.pool.run(jobs, run);
    else await (await import('./pool.js')).renderInPool(jobs, { size: Math.min(workers, jobs.length), markdown: options.markdown, ...run });
  } else {
    await options.whileRendering?.();
    if (missing.length > 0 && !options.signal?.aborted) {
      const processor = await loadProcessor();
      for (const [j, i] of missing.entries()) {
        try {
          onResult(j, await renderBody(processor, jobOf(posts[i])));
        } catch (cause) {
          onResult(j, undefined, cause);
        }
      }
    }
  }
  return { failures, feedHtml, workers: isPooled ? workers : 0, renderedInWorkers };
}

/** The rendered posts in input order, their diagnostics and HTML keys; updates the memos to this build's bodies. */
function collect(posts: Post[], { results, keys, missing }: Found, { failures, feedHtml, workers, renderedInWorkers }: Rendering, options: RenderMarkdownOptions): MarkdownStageResult {
  const memo = options.memo;
  const rendered: RenderedPost[] = [];
  const diagnostics: Diagnostic[] = [];
  const htmlKeys = new WeakMap<RenderedPost, string>();
  const feedHtmlOf = new Map<RenderedPost, { base: string; html: string }>();
  const nextMemo = memo && new Map<string, { stripped?: MarkdownMemo; kept?: MarkdownMemo }>();
  posts.forEach((post, i) => {
    const result = results[i];
    if (!result) {
      if (!options.signal?.aborted) diagnostics.push(markdownError(post, failures[i]));
      return;
    }
    if (nextMemo) {
      const slots = nextMemo.get(post.body) ?? {};
      slots[post.dropsTitleHeading ? 'stripped' : 'kept'] = { key: keys[i], result };
      nextMemo.set(post.body, slots);
    }
    const renderedPost = renderedPostOf(post, result, options);
    // The cache key names the HTML: the same key, the same HTML (it hashes the body and all that shapes it).
    if (keys[i] !== undefined) htmlKeys.set(renderedPost, `md:${keys[i]}`);
    rendered.push(renderedPost);
    for (const tag of result.filteredTags ?? []) diagnostics.push(filteredTagWarning(post.sourcePath, post.bodyStartLine, tag));
    const feed = feedHtml[i];
    if (feed) feedHtmlOf.set(renderedPost, feed);
  });
  if (memo && nextMemo) {
    memo.clear();
    for (const [body, slots] of nextMemo) memo.set(body, slots);
  }
  return { posts: rendered, diagnostics, htmlKeys, feedHtml: feedHtmlOf, stats: { fromCache: posts.length - missing.length, rendered: missing.length, workers, renderedInWorkers } };
}

/** The rendered post of a post and its result: the same object as last build's while neither changed. */
function renderedPostOf(post: Post, result: MarkdownResult, options: RenderMarkdownOptions): RenderedPost {
  const known = options.renderedMemo?.get(post);
  if (known && known.result === result && known.readingSpeed === options.readingSpeed) return known.rendered;
  const renderedPost = toRenderedPost(post, result, options.readingSpeed);
  options.renderedMemo?.set(post, { result, readingSpeed: options.readingSpeed, rendered: renderedPost });
  return renderedPost;
}

/**
 * One worker a core, but none below `threshold` posts to render (a worker's start-up costs ~60 ms, what ~8 posts
 * cost to render), one for each 32 posts at least, and at most 8: each worker holds its own heap (~60–100 MiB
 * while parsing), so a 64-core machine would otherwise spend gigabytes on a large build for little more speed.
 */
export function defaultWorkers(toRender: number, threshold: number): number {
  const cores = os.availableParallelism();
  if (toRender < threshold || cores < 2) return 0;
  return Math.max(2, Math.min(cores, maxWorkers, Math.floor(toRender / 32)));
}

/** Posts to render below which the default is no pool. */
export const poolThreshold = 64;

/** The most workers the default pool starts. */
const maxWorkers = 8;

function jobOf(post: Post): MarkdownJob {
  // A body still undecoded travels as its bytes: the worker decodes it.
  return { path: post.sourcePath, body: lazyTextOf(post, 'body'), stripTitleHeading: post.dropsTitleHeading };
}

/** Cuts text at a word boundary near `max` characters, adding an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut.slice(0, max)).replace(/[\s,.;:!?–—-]+$/, '')}…`;
}
