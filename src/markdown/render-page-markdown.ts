import { createHash } from 'node:crypto';
import { error, type Diagnostic } from '../diagnostics/error.js';
import type { Page, RenderedPage } from '../site/model.js';
import type { MarkdownOptions, MarkdownProcessor } from './processor.js';
import { renderBody, type MarkdownResult } from './render-job.js';
import { truncate, type StoredMarkdown } from './render-markdown.js';
import { filteredTagWarning } from './remark-tagfilter.js';

/** Options of {@link renderPageMarkdown}. */
export interface RenderPageMarkdownOptions {
  markdown: Required<MarkdownOptions>;
  /** The persistent markdown cache, shared with posts: an unchanged page is not parsed. @default undefined */
  cache?: StoredMarkdown;
  /** Results of earlier builds in this process (the dev server), by body and title-heading flag; replaced by this build's. */
  memo?: Map<string, MarkdownResult>;
}

/**
 * Renders the pages' markdown in this thread (a blog has a handful of pages, fewer than a worker's start-up is
 * worth), through the same processor and cache as posts, so a page's body is rendered only when it changed.
 */
export async function renderPageMarkdown(pages: Page[], options: RenderPageMarkdownOptions): Promise<{ pages: RenderedPage[]; diagnostics: Diagnostic[] }> {
  const rendered: RenderedPage[] = [];
  const diagnostics: Diagnostic[] = [];
  const nextMemo = new Map<string, MarkdownResult>();
  let processor: MarkdownProcessor | undefined;
  for (const page of pages) {
    const memoKey = `${page.dropsTitleHeading ? 1 : 0}${page.body}`;
    const cacheKey = options.cache?.key(createHash('sha1').update(page.body).digest('hex'), page.dropsTitleHeading);
    let result = options.memo?.get(memoKey);
    if (result && cacheKey !== undefined) options.cache!.keep(cacheKey, result);
    result ??= cacheKey === undefined ? undefined : options.cache!.get(cacheKey);
    if (!result) {
      try {
        processor ??= await (await import('./processor.js')).createMarkdownProcessor(options.markdown);
        result = await renderBody(processor, { path: page.sourcePath, body: page.body, stripTitleHeading: page.dropsTitleHeading });
        if (cacheKey !== undefined) options.cache!.set(cacheKey, result);
      } catch (cause) {
        diagnostics.push(error('MarkdownFailed', { reason: (cause as Error)?.message ?? String(cause) }, { file: page.sourcePath }, cause));
        continue;
      }
    }
    nextMemo.set(memoKey, result);
    for (const tag of result.filteredTags ?? []) diagnostics.push(filteredTagWarning(page.sourcePath, page.bodyStartLine, tag));
    rendered.push({ ...page, html: result.html, excerpt: truncate(result.excerpt, 160) });
  }
  if (options.memo) {
    options.memo.clear();
    for (const [key, value] of nextMemo) options.memo.set(key, value);
  }
  return { pages: rendered, diagnostics };
}
