import type { Root } from 'hast';
import { VFile } from 'vfile';
import { textOf, type LazyText } from '../content/lazy-text.js';
import type { FeedItemBase } from '../site/urls.js';
import { checkMarkdownLimits, MarkdownTooComplexError, plainDepth, worstCaseMs, type MarkdownLimits, type MarkdownScan } from './markdown-limits.js';
import type { ImageContext, ImageRecord } from './image-files.js';
import type { MarkdownProcessor } from './processor.js';
import type { PostHeading } from './heading-anchor.js';
import type { UnknownLanguage } from './unknown-language.js';
import type { ForeignTag } from './remark-foreign-syntax.js';
import type { FilteredTag } from './remark-tagfilter.js';
import type { DroppedUrl } from './safe-urls.js';

/** What rendering a post's markdown produces; what the cache stores and the workers send back. */
export interface MarkdownResult {
  html: string;
  /** The untruncated plain-text excerpt. */
  excerpt: string;
  wordCount: number;
  /** Raw HTML tags the tag filter escaped (body-relative places), kept so a cached result warns again. */
  filteredTags?: FilteredTag[];
  /** Code blocks whose language no grammar knows (body-relative places), kept so a cached result warns again. */
  unknownLanguages?: UnknownLanguage[];
  /** The `h2` and `h3` headings, for a table of contents. */
  headings?: PostHeading[];
  /** The HTML before `<!-- more -->`, for list pages. */
  excerptHtml?: string;
  /** Other generators' template tags (body-relative places), kept so a cached result warns again. */
  foreignTags?: ForeignTag[];
  /** Local images with their files and sizes (body-relative places), kept so a cached result is checked and warns again. */
  images?: ImageRecord[];
  /** URLs dropped as unsafe with raw HTML off (body-relative places), kept so a cached result warns again. */
  droppedUrls?: DroppedUrl[];
  /** How the first image loads, when the body has one: `lazy` below a cover (see rehype-images.ts). */
  firstImageLoading?: 'eager' | 'lazy';
}

/** One body to render: all a worker needs. */
export interface MarkdownJob {
  path: string;
  /** The markdown, as a string or as the UTF-8 bytes it was read as. */
  body: LazyText;
  stripTitleHeading: boolean;
  /** Links to other posts' markdown files, as written → those posts' URLs. */
  postLinks?: Record<string, string>;
  /** Where the post's local images are, so their sizes are read. @default undefined (not read) */
  images?: ImageContext;
  /** For a post in the feed: also make its feed item's HTML (all URLs absolute), in the worker rather than after. */
  feed?: FeedItemBase;
}

/** Renders one body. Rejects with what the pipeline throws; callers turn it into a diagnostic. */
export async function renderBody(processor: MarkdownProcessor, job: MarkdownJob, onTree?: (tree: Root) => void): Promise<MarkdownResult> {
  const file = new VFile({ path: job.path, value: textOf(job.body), data: { stripTitleHeading: job.stripTitleHeading, ...(job.postLinks ? { postLinks: job.postLinks } : {}), ...(job.images ? { imageContext: job.images } : {}) } });
  // processor.process(), in its three steps, so that the HTML tree can be handed on after it is serialized.
  const tree = await processor.run(processor.parse(file), file);
  const html = processor.stringify(tree, file);
  onTree?.(tree);
  const result: MarkdownResult = { html, excerpt: file.data.excerpt ?? '', wordCount: file.data.wordCount ?? 0 };
  if (file.data.filteredTags) result.filteredTags = file.data.filteredTags;
  if (file.data.unknownLanguages) result.unknownLanguages = file.data.unknownLanguages;
  if (file.data.headings) result.headings = file.data.headings;
  if (file.data.excerptHtml) result.excerptHtml = file.data.excerptHtml;
  if (file.data.foreignTags) result.foreignTags = file.data.foreignTags;
  if (file.data.images) result.images = file.data.images;
  if (file.data.droppedUrls) result.droppedUrls = file.data.droppedUrls;
  if (file.data.firstImageLoading) result.firstImageLoading = file.data.firstImageLoading;
  return result;
}

/** Renders one job: its body, and its feed item's HTML when the job asks for it. */
export async function renderJob(processor: MarkdownProcessor, job: MarkdownJob): Promise<{ result: MarkdownResult; feedHtml?: string }> {
  if (!job.feed) return { result: await renderBody(processor, job) };
  let tree: Root | undefined;
  const result = await renderBody(processor, job, (serialized) => (tree = serialized));
  // From the tree the HTML was made from, changed in place: parsing the HTML again was ~8 % of a worker's time.
  const { feedItemHtmlOfTree } = await import('../site/absolute-urls.js');
  return { result, feedHtml: feedItemHtmlOfTree(tree!, result.html, job.feed) };
}

/**
 * Renders one job within the limits: a body too large or too deep is refused before it is parsed, and a stack
 * overflow in the parser or the HTML utilities (which recurse) is reported as nesting too deep, at the deepest
 * place the scan found. `scan` is the check already made by the caller, if any. The time budget is the pool's.
 */
export async function renderWithinLimits(
  processor: MarkdownProcessor,
  job: MarkdownJob,
  limits: MarkdownLimits,
  scan?: MarkdownScan,
): Promise<{ result: MarkdownResult; feedHtml?: string }> {
  const body = textOf(job.body);
  const checked = scan ?? checkMarkdownLimits(body, limits);
  try {
    return await renderJob(processor, { ...job, body });
  } catch (cause) {
    if (!isStackOverflow(cause)) throw cause;
    throw new MarkdownTooComplexError('stack', checked.depth, limits.maxDepth, checked.line, checked.column, checked.construct);
  }
}

/**
 * Renders one job in the build's own thread, where no watchdog can stop it, still within the time budget: a post
 * whose scan is not plain (deep, or large enough to overrun half the budget) is refused unrendered (`unguarded`,
 * `cause` saying why no worker renders it), and one that took longer than the budget fails after it (`slow`), as
 * it would have failed in a worker. `scan` is the check already made by the caller, if any.
 */
export async function renderHere(
  processor: MarkdownProcessor,
  job: MarkdownJob,
  limits: MarkdownLimits,
  scan?: MarkdownScan,
  cause?: unknown,
): Promise<{ result: MarkdownResult; feedHtml?: string }> {
  const body = textOf(job.body);
  const checked = scan ?? checkMarkdownLimits(body, limits);
  if (!checked.isPlain) {
    // At the deep place when depth keeps the post out of this thread, else at the body's start with its estimate.
    const isDeep = checked.depth > plainDepth;
    const refused = isDeep
      ? new MarkdownTooComplexError('unguarded', checked.depth, limits.timeBudgetMs, checked.line, checked.column, checked.construct)
      : new MarkdownTooComplexError('unguarded', worstCaseMs(Buffer.byteLength(body)), limits.timeBudgetMs, 1, 1);
    throw Object.assign(refused, { cause });
  }
  const start = performance.now();
  const done = await renderWithinLimits(processor, { ...job, body }, limits, checked);
  const elapsed = Math.round(performance.now() - start);
  if (elapsed > limits.timeBudgetMs) throw new MarkdownTooComplexError('slow', elapsed, limits.timeBudgetMs, 1, 1);
  return done;
}

function isStackOverflow(cause: unknown): boolean {
  return cause instanceof RangeError && /call stack/i.test(cause.message);
}
