import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { rehypePostTree, rehypeRawIfNeeded } from './rehype-helpers.js';
import { remarkAutolinkLiteralGuard } from './remark-autolink-guard.js';
import { remarkPostBody } from './remark-post-body.js';
import { remarkTagfilter, type Tagfilter } from './remark-tagfilter.js';

/** Options for {@link createMarkdownProcessor}. */
export interface MarkdownOptions {
  /** Keep raw HTML written in markdown. @default true */
  rawHtml?: boolean;
  /** Raw HTML tags escaped as text (GFM's tag filter): `"safe"`, `"gfm"` or `false`. @default "safe" */
  tagfilter?: Tagfilter;
  /** The site's base path, prefixed to root-relative links. @default "/" */
  basePath?: string;
}

/**
 * The unified pipeline, built once and frozen: remark-parse → remark-gfm → remark-rehype → rehype-stringify,
 * with blogbuild's own steps: the post body (title heading, excerpt), GFM's tag filter and raw HTML when
 * present, and one walk for heading ids (rehype-slug semantics), base paths, accessibility fixes and the word count.
 * This module is imported lazily: a build whose posts all come from the cache never loads unified.
 */
export function createMarkdownProcessor(options: MarkdownOptions = {}) {
  const rawHtml = options.rawHtml ?? true;
  const processor = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkAutolinkLiteralGuard)
    // Before the post body, whose excerpt then has escaped tags as the text they are.
    .use(remarkTagfilter, { tagfilter: rawHtml ? options.tagfilter : false })
    .use(remarkPostBody)
    .use(remarkRehype, { allowDangerousHtml: rawHtml });
  if (rawHtml) processor.use(rehypeRawIfNeeded);
  return processor
    .use(rehypePostTree, { basePath: options.basePath })
    .use(rehypeStringify)
    .freeze();
}

/** The frozen processor's type. */
export type MarkdownProcessor = ReturnType<typeof createMarkdownProcessor>;
