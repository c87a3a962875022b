import { VFile } from 'vfile';
import { error, type Diagnostic } from '../diagnostics/error.js';
import type { Post, RenderedPost } from '../site/model.js';
import type { MarkdownProcessor } from './processor.js';

/** Settings the markdown stage needs. */
export interface RenderMarkdownOptions {
  processor: MarkdownProcessor;
  /** Words per minute for computed read times. */
  readingSpeed: number;
}

/** Renders one post's body to HTML and derives its excerpt, word count and read time. */
export function renderPostMarkdown(post: Post, options: RenderMarkdownOptions): RenderedPost | Diagnostic {
  const file = new VFile({ path: post.sourcePath, value: post.body, data: { stripTitleHeading: post.isTitleFromHeading } });
  let html: string;
  try {
    html = String(options.processor.processSync(file));
  } catch (cause) {
    return error('MarkdownFailed', `markdown could not be rendered: ${(cause as Error).message}`, { file: post.sourcePath }, undefined, cause);
  }
  const wordCount = file.data.wordCount ?? 0;
  return {
    ...post,
    html,
    excerpt: truncate(file.data.excerpt ?? '', 160),
    wordCount,
    readTime: post.readTimeMinutes ?? Math.max(1, Math.round(wordCount / options.readingSpeed)),
  };
}

/** Renders every post; posts that fail become diagnostics. */
export function renderMarkdown(posts: Post[], options: RenderMarkdownOptions): { posts: RenderedPost[]; diagnostics: Diagnostic[] } {
  const rendered: RenderedPost[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const post of posts) {
    const result = renderPostMarkdown(post, options);
    if ('code' in result) diagnostics.push(result);
    else rendered.push(result);
  }
  return { posts: rendered, diagnostics };
}

/** Cuts text at a word boundary near `max` characters, adding an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut.slice(0, max)).replace(/[\s,.;:!?–—-]+$/, '')}…`;
}
