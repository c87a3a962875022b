import os from 'node:os';
import { lazyTextOf } from '../content/lazy-text.js';
import { error, type Diagnostic } from '../diagnostics/error.js';
import type { Post, RenderedPost } from '../site/model.js';
import { checkMarkdownLimits, defaultLimits, MarkdownTooComplexError } from './markdown-limits.js';
import { areImagesCurrent, type ImageContext } from './image-files.js';
import { imageWarnings, postImageContext } from './post-images.js';
import type { MarkdownProcessor } from './processor.js';
import type { MarkdownJob, MarkdownResult } from './render-job.js';

// render-job.js (vfile) is loaded when a post is rendered here: a build whose posts all come from the cache never does.
export type { MarkdownJob, MarkdownResult };

/** Renders one body (see render-job.ts); loads the renderer on first use. */
export async function renderBody(...args: Parameters<typeof import('./render-job.js').renderBody>): ReturnType<typeof import('./render-job.js').renderBody> {
  return (await import('./render-job.js')).renderBody(...args);
}
import { unknownLanguageWarning } from './unknown-language.js';
import { foreignTagWarning } from './remark-foreign-syntax.js';
import { filteredTagWarning } from './remark-tagfilter.js';
import { toRenderedPost } from './rendered-post.js';
import { tooComplexError } from './too-complex-error.js';
import { droppedUrlWarning } from './safe-urls.js';

export { toRenderedPost, truncate } from './rendered-post.js';
export type { MarkdownMemo, MarkdownMemos, MarkdownSlots, TooComplexMemo, MarkdownStageResult, MarkdownStats, RenderedMemo, RenderMarkdownOptions, StoredMarkdown } from './markdown-stage.js';
import type { MarkdownSlots, MarkdownStageResult, RenderMarkdownOptions } from './markdown-stage.js';

/** The diagnostic for a post (or page) whose markdown could not be rendered: a limit it passed, or what the pipeline threw. */
export function markdownError(post: Pick<Post, 'sourcePath' | 'bodyStartLine'>, cause: unknown, of: 'post' | 'page' = 'post'): Diagnostic {
  if (cause instanceof MarkdownTooComplexError) return tooComplexError(post, cause, of);
  const reason = (cause as Error)?.message ?? String(cause);
  // A config plugin's failure names the plugin and its place in the config (see namedPlugin in processor.ts).
  const where = /^the plugin .+ \((markdown\.\w+\[\d+\])\) failed/.exec(reason)?.[1];
  // Body lines (a plugin that failed at a node) → file lines.
  const { line, column } = (cause ?? {}) as { line?: unknown; column?: unknown };
  const at = typeof line === 'number' ? { line: post.bodyStartLine + line - 1, ...(typeof column === 'number' ? { column } : {}) } : { line: post.bodyStartLine, column: 1 };
  return error('MarkdownFailed', where ? { reason, where } : { reason }, { file: post.sourcePath, ...at }, cause);
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

/** Results by post index, from this process's memo or the persistent cache, and the indexes still missing. */
interface Found {
  results: (MarkdownResult | undefined)[];
  /** Failures known before rendering (bodies an earlier build found beyond a limit), by post index. */
  failures: (unknown | undefined)[];
  knownFailures: number;
  keys: string[];
  missing: number[];
  /** For each missing post the cache asked to render: what hands its result (or undefined, a failure) to the cache. */
  settle: ((result: MarkdownResult | undefined) => void)[];
  /** Where each post's local images are, when the stage looks them up. */
  contexts: (ImageContext | undefined)[];
}

function lookUp(posts: Post[], options: RenderMarkdownOptions): Found {
  const { cache, memo } = options;
  const results: (MarkdownResult | undefined)[] = new Array(posts.length);
  const failures: (unknown | undefined)[] = new Array(posts.length);
  const keys: string[] = [];
  const missing: number[] = [];
  const settle: Found['settle'] = [];
  const linksOf = (post: Post) => options.postLinks?.get(post);
  const contexts = posts.map((post) => imageContext(post, options));
  // A result whose images changed on disk since (size, existence), or rendered with(out) a cover above it, is
  // rendered again: its HTML holds their sizes and loading.
  const isCurrent = (result: MarkdownResult | undefined, i: number) => result !== undefined && (!contexts[i] || areImagesCurrent(result, contexts[i]));
  let knownFailures = 0;
  posts.forEach((post, i) => {
    const tooComplex = options.tooComplexMemo?.recall(post.body);
    if (tooComplex) {
      failures[i] = tooComplex;
      knownFailures++;
      return;
    }
    // A post linking to others by file renders with their URLs: they are part of its key, and it skips the memo (by body).
    const remembered = linksOf(post) ? undefined : memo?.recall(post.body)?.[post.dropsTitleHeading ? 'stripped' : 'kept'];
    const known = remembered && isCurrent(remembered.result, i) ? remembered : undefined;
    if (known) {
      results[i] = known.result;
      if (cache) {
        keys[i] = known.key ?? cache.postKey(post, linksOf(post));
        void cache.memo(keys[i], () => known.result);
      }
      return;
    }
    if (cache) {
      keys[i] = cache.postKey(post, linksOf(post));
      // A miss renders with the others (renderMissing), which settles the promise the cache waits for.
      const value = cache.memo(keys[i], () => new Promise<MarkdownResult | undefined>((resolve) => (settle[i] = resolve)), (result) => isCurrent(result, i));
      if (!(value instanceof Promise)) results[i] = value;
    }
    if (!results[i]) missing.push(i);
  });
  return { results, failures, knownFailures, keys, missing, settle, contexts };
}

/** What rendering the missing posts gave besides results (filled into `found.results`): feed HTML. */
interface Rendering {
  feedHtml: ({ base: string; html: string } | undefined)[];
  workers: number;
  renderedInWorkers: number;
}

/** Renders the missing posts in the pool (or a new one) or in this thread; results go into `found`. */
async function renderMissing(posts: Post[], { results, failures, missing, settle, contexts, keys }: Found, options: RenderMarkdownOptions): Promise<Rendering> {
  const feedHtml: ({ base: string; html: string } | undefined)[] = new Array(posts.length);
  let jobs: MarkdownJob[] = [];
  let done = posts.length - missing.length;
  // Only the order of the work changes: results go by index (and `collect` reports them in the posts' order).
  if (options.order) missing.sort((a, b) => options.order!(posts[a], posts[b]));
  let renderedInWorkers = 0;
  options.onProgress?.(done, posts.length);

  const workers = options.pool?.size ?? options.workers ?? defaultWorkers(missing.length, options.poolThreshold ?? poolThreshold);
  const onResult = (j: number, result: MarkdownResult | undefined, cause?: unknown, feed?: string, isFromWorker?: boolean) => {
    const i = missing[j];
    if (isFromWorker && result) renderedInWorkers++;
    if (result) {
      results[i] = result;
      if (feed !== undefined) feedHtml[i] = { base: jobs[j].feed!.base, html: feed };
    } else failures[i] = cause;
    settle[i]?.(result);
    const shell = options.shells?.get(posts[i]);
    if (result && shell && options.onRendered) options.onRendered(toRenderedPost(posts[i], result, options.readingSpeed, shell), htmlKeyOf(keys[i], result));
    options.onProgress?.(++done, posts.length);
  };
  // unified, micromark and the plugins are loaded only when some post is not in the cache.
  const loadProcessor = async () => (await import('./processor.js')).createMarkdownProcessor(options.markdown);
  const limits = options.limits ?? defaultLimits;
  const linksOf = (post: Post) => options.postLinks?.get(post);
  const isPooled = workers > 0 && missing.length > 1;
  const feedJobs = () => {
    const feedItems = options.feedItems?.();
    return missing.map((i) => ({ ...jobOf(posts[i], linksOf(posts[i]), contexts[i]), feed: feedItems?.get(posts[i]) }));
  };
  if (isPooled) {
    jobs = feedJobs();
    const run = { loadProcessor, onResult, whileWaiting: options.whileRendering, signal: options.signal };
    if (options.pool) await options.pool.run(jobs, run);
    else await (await import('./pool.js')).renderInPool(jobs, { size: Math.min(workers, jobs.length), markdown: options.markdown, markdownLimits: limits, ...run });
  } else {
    await options.whileRendering?.();
    if (missing.length > 0 && !options.signal?.aborted) {
      jobs = missing.map((i) => jobOf(posts[i], linksOf(posts[i]), contexts[i]));
      // Plain posts render here, and fail after if they overran the budget; one that is deep, or large for the
      // budget, renders in a worker, which is stopped at the budget.
      const guarded: number[] = [];
      let processor: MarkdownProcessor | undefined;
      for (const [j, i] of missing.entries()) {
        try {
          const job = { ...jobs[j], body: posts[i].body };
          const scan = checkMarkdownLimits(job.body, limits);
          if (!scan.isPlain) {
            guarded.push(j);
            continue;
          }
          processor ??= await loadProcessor();
          const { renderHere } = await import('./render-job.js');
          onResult(j, (await renderHere(processor, job, limits, scan)).result);
        } catch (cause) {
          onResult(j, undefined, cause);
        }
      }
      if (guarded.length > 0) {
        const withFeed = feedJobs();
        for (const j of guarded) jobs[j] = withFeed[j];
        await (await import('./pool.js')).renderInPool(guarded.map((j) => jobs[j]), { size: 1, markdown: options.markdown, markdownLimits: limits, loadProcessor, signal: options.signal,
          onResult: (k, result, cause, feed, isFromWorker) => onResult(guarded[k], result, cause, feed, isFromWorker) });
      }
    }
  }
  return { feedHtml, workers: isPooled ? workers : 0, renderedInWorkers };
}

/** The rendered posts in input order, their diagnostics and HTML keys; updates the memos to this build's bodies. */
function collect(posts: Post[], { results, failures, knownFailures, keys, missing }: Found, { feedHtml, workers, renderedInWorkers }: Rendering, options: RenderMarkdownOptions): MarkdownStageResult {
  const memo = options.memo;
  const rendered: RenderedPost[] = [];
  const diagnostics: Diagnostic[] = [];
  const htmlKeys = new WeakMap<RenderedPost, string>();
  const feedHtmlOf = new Map<RenderedPost, { base: string; html: string }>();
  // This build's slots by body, remembered in the memo at the end (both flags of a body in one entry).
  const nextMemo = memo && new Map<string, MarkdownSlots>();
  posts.forEach((post, i) => {
    const result = results[i];
    if (!result) {
      if (!options.signal?.aborted) diagnostics.push(markdownError(post, failures[i]));
      // Not a post refused for want of a worker: the next rebuild may have one.
      if (failures[i] instanceof MarkdownTooComplexError && failures[i].kind !== 'unguarded') options.tooComplexMemo?.remember(post.body, failures[i]);
      return;
    }
    if (nextMemo && !options.postLinks?.get(post)) {
      const slots = nextMemo.get(post.body) ?? {};
      slots[post.dropsTitleHeading ? 'stripped' : 'kept'] = { key: keys[i], result };
      nextMemo.set(post.body, slots);
    }
    const renderedPost = renderedPostOf(post, result, options);
    const htmlKey = htmlKeyOf(keys[i], result);
    if (htmlKey !== undefined) htmlKeys.set(renderedPost, htmlKey);
    rendered.push(renderedPost);
    diagnostics.push(...resultWarnings(post, result, options));
    const feed = feedHtml[i];
    if (feed) feedHtmlOf.set(renderedPost, feed);
  });
  if (memo && nextMemo) for (const [body, slots] of nextMemo) memo.remember(body, slots);
  return { posts: rendered, diagnostics, htmlKeys, feedHtml: feedHtmlOf, stats: { fromCache: posts.length - missing.length - knownFailures, rendered: missing.length, workers, renderedInWorkers } };
}

/** The warnings a rendered body carries: foreign and filtered tags, unknown code languages, images. */
function resultWarnings(post: Post, result: MarkdownResult, options: RenderMarkdownOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const tag of result.foreignTags ?? []) diagnostics.push(foreignTagWarning(post.sourcePath, post.bodyStartLine, tag));
  for (const tag of result.filteredTags ?? []) diagnostics.push(filteredTagWarning(post.sourcePath, post.bodyStartLine, tag));
  for (const found of result.unknownLanguages ?? []) diagnostics.push(unknownLanguageWarning(post.sourcePath, post.bodyStartLine, found));
  for (const found of result.droppedUrls ?? []) diagnostics.push(droppedUrlWarning(post.sourcePath, post.bodyStartLine, found));
  diagnostics.push(...imageWarnings(post, result.images, options.markdown.basePath));
  return diagnostics;
}

/**
 * The name of a result's HTML: its cache key (the same key, the same HTML: it hashes the body and all that shapes
 * it), with the sizes of its images and whether its first image is lazy (below a cover), which the key does not hash.
 */
function htmlKeyOf(key: string | undefined, result: MarkdownResult): string | undefined {
  if (key === undefined) return undefined;
  return `md:${key}${result.images ? `:${JSON.stringify(result.images.map((image) => [image.width, image.height]))}` : ''}${result.firstImageLoading === 'lazy' ? ':lazy' : ''}`;
}

/** The rendered post of a post and its result: the same object as last build's while neither changed. */
function renderedPostOf(post: Post, result: MarkdownResult, options: RenderMarkdownOptions): RenderedPost {
  const known = options.renderedMemo?.get(post);
  if (known && known.result === result && known.readingSpeed === options.readingSpeed) return known.rendered;
  const renderedPost = toRenderedPost(post, result, options.readingSpeed, options.shells?.get(post));
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

function jobOf(post: Post, postLinks: Record<string, string> | undefined, images: ImageContext | undefined): MarkdownJob {
  // A body still undecoded travels as its bytes: the worker decodes it.
  return { path: post.sourcePath, body: lazyTextOf(post, 'body'), stripTitleHeading: post.dropsTitleHeading, ...(postLinks ? { postLinks } : {}), ...(images ? { images } : {}) };
}

/** Where a post's local images are, when the stage looks them up. */
function imageContext(post: Post, options: RenderMarkdownOptions): ImageContext | undefined {
  return options.images && postImageContext(post, { ...options.images, basePath: options.markdown.basePath });
}
