import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { rehypeAccessible, rehypeBasePath, rehypeRawIfNeeded, rehypeWordCount } from './rehype-helpers.js';
import { remarkPostBody } from './remark-post-body.js';

/** Options for {@link createMarkdownProcessor}. */
export interface MarkdownOptions {
  /** Keep raw HTML written in markdown. @default true */
  rawHtml?: boolean;
  /** The site's base path, prefixed to root-relative links. @default "/" */
  basePath?: string;
}

/** The unified pipeline, built once and frozen: remark-parse → remark-gfm → remark-rehype → rehype-stringify. */
export function createMarkdownProcessor(options: MarkdownOptions = {}) {
  const rawHtml = options.rawHtml ?? true;
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkPostBody)
    .use(remarkRehype, { allowDangerousHtml: rawHtml });
  if (rawHtml) processor.use(rehypeRawIfNeeded);
  return processor
    .use(rehypeSlug)
    .use(rehypeBasePath, { basePath: options.basePath })
    .use(rehypeAccessible)
    .use(rehypeWordCount)
    .use(rehypeStringify)
    .freeze();
}

/** The frozen processor's type. */
export type MarkdownProcessor = ReturnType<typeof createMarkdownProcessor>;
