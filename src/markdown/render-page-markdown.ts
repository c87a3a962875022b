import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/error.js';
import type { Page, RenderedPage } from '../site/model.js';
import { checkMarkdownLimits, defaultLimits, type MarkdownLimits } from './markdown-limits.js';
import type { MarkdownOptions, MarkdownProcessor } from './processor.js';
import type { MarkdownJob, MarkdownResult } from './render-job.js';
import { markdownError, truncate, type StoredMarkdown } from './render-markdown.js';
import { filteredTagWarning } from './remark-tagfilter.js';
import { droppedUrlWarning } from './safe-urls.js';

/** Options of {@link renderPageMarkdown}. */
export interface RenderPageMarkdownOptions {
  markdown: Required<MarkdownOptions>;
  /** The markdown cache, shared with posts (the dev server's is its memory over the disk's): an unchanged page is not parsed. @default undefined */
  cache?: StoredMarkdown;
  /** Limits on each page, as on posts (see markdown-limits.ts); a page beyond one fails alone. @default defaultLimits */
  limits?: MarkdownLimits;
}

/**
 * Renders the pages' markdown in this thread (a blog has a handful of pages, fewer than a worker's start-up is
 * worth), through the same processor and cache as posts, so a page's body is rendered only when it changed.
 */
export async function renderPageMarkdown(pages: Page[], options: RenderPageMarkdownOptions): Promise<{ pages: RenderedPage[]; diagnostics: Diagnostic[] }> {
  const rendered: RenderedPage[] = [];
  const diagnostics: Diagnostic[] = [];
  let processor: MarkdownProcessor | undefined;
  for (const page of pages) {
    const cacheKey = options.cache?.key(createHash('sha1').update(page.body).digest('hex'), page.dropsTitleHeading);
    const render = async () => {
      processor ??= await (await import('./processor.js')).createMarkdownProcessor(options.markdown);
      return renderWithinBudget(processor, page, options);
    };
    let result: MarkdownResult;
    try {
      // (render() gives a result or throws: never undefined.)
      result = (await (cacheKey === undefined ? render() : options.cache!.memo(cacheKey, render))) as MarkdownResult;
    } catch (cause) {
      diagnostics.push(markdownError(page, cause, 'page'));
      continue;
    }
    for (const tag of result.filteredTags ?? []) diagnostics.push(filteredTagWarning(page.sourcePath, page.bodyStartLine, tag));
    for (const found of result.droppedUrls ?? []) diagnostics.push(droppedUrlWarning(page.sourcePath, page.bodyStartLine, found));
    rendered.push({ ...page, html: result.html, excerpt: truncate(result.excerpt, 160) });
  }
  return { pages: rendered, diagnostics };
}

/**
 * A page within the limits, as a post: refused unparsed when too deep or too large, rendered here when plain, else in
 * a worker stopped at the time budget (a deep page renders for minutes, then overflows the stack).
 */
async function renderWithinBudget(processor: MarkdownProcessor, page: Page, options: RenderPageMarkdownOptions): Promise<MarkdownResult> {
  const limits = options.limits ?? defaultLimits;
  const job: MarkdownJob = { path: page.sourcePath, body: page.body, stripTitleHeading: page.dropsTitleHeading };
  const scan = checkMarkdownLimits(page.body, limits);
  // render-job.js (vfile) is loaded when a page is rendered, not by builds whose pages all come from the cache.
  if (scan.isPlain) return (await (await import('./render-job.js')).renderHere(processor, job, limits, scan)).result;
  let outcome: { result?: MarkdownResult; cause?: unknown } = {};
  await (await import('./pool.js')).renderInPool([job], { size: 1, markdown: options.markdown, markdownLimits: limits,
    loadProcessor: async () => processor, onResult: (_, result, cause) => (outcome = { result, cause }) });
  if (!outcome.result) throw outcome.cause;
  return outcome.result;
}
