import { VFile } from 'vfile';
import { textOf, type LazyText } from '../cache/packed.js';
import type { FeedItemBase } from '../site/urls.js';
import type { ImageContext, ImageRecord } from './image-files.js';
import type { MarkdownProcessor } from './processor.js';
import type { FilteredTag } from './remark-tagfilter.js';

/** What rendering a post's markdown produces; what the cache stores and the workers send back. */
export interface MarkdownResult {
  html: string;
  /** The untruncated plain-text excerpt. */
  excerpt: string;
  wordCount: number;
  /** Raw HTML tags the tag filter escaped (body-relative places), kept so a cached result warns again. */
  filteredTags?: FilteredTag[];
  /** Local images with their files and sizes (body-relative places), kept so a cached result is checked and warns again. */
  images?: ImageRecord[];
}

/** One body to render: all a worker needs. */
export interface MarkdownJob {
  path: string;
  /** The markdown, as a string or as the UTF-8 bytes it was read as. */
  body: LazyText;
  stripTitleHeading: boolean;
  /** Where the post's local images are, so their sizes are read. @default undefined (not read) */
  images?: ImageContext;
  /** For a post in the feed: also make its feed item's HTML (all URLs absolute), in the worker rather than after. */
  feed?: FeedItemBase;
}

/** Renders one body. Rejects with what the pipeline throws; callers turn it into a diagnostic. */
export async function renderBody(processor: MarkdownProcessor, job: MarkdownJob): Promise<MarkdownResult> {
  const file = new VFile({ path: job.path, value: textOf(job.body), data: { stripTitleHeading: job.stripTitleHeading, ...(job.images ? { imageContext: job.images } : {}) } });
  const html = String(await processor.process(file));
  const result: MarkdownResult = { html, excerpt: file.data.excerpt ?? '', wordCount: file.data.wordCount ?? 0 };
  if (file.data.filteredTags) result.filteredTags = file.data.filteredTags;
  if (file.data.images) result.images = file.data.images;
  return result;
}

/** Renders one job: its body, and its feed item's HTML when the job asks for it. */
export async function renderJob(processor: MarkdownProcessor, job: MarkdownJob): Promise<{ result: MarkdownResult; feedHtml?: string }> {
  const result = await renderBody(processor, job);
  if (!job.feed) return { result };
  const { feedItemHtml } = await import('../site/absolute-urls.js');
  return { result, feedHtml: feedItemHtml(result.html, job.feed) };
}
