import { copyLazyText } from '../content/lazy-text.js';
import type { Post, RenderedPost } from '../site/model.js';
import type { MarkdownResult } from './render-job.js';

/**
 * A post plus its rendered body: the excerpt cut near 160 characters, the read time filled in. A body or HTML
 * still undecoded from a cache file stays so (copied with copyLazyText; a spread would read it).
 */
export function toRenderedPost(post: Post, result: MarkdownResult, readingSpeed: number, into: RenderedPost = renderedShell(post)): RenderedPost {
  const rendered = into;
  copyLazyText(rendered, result, 'html');
  rendered.excerpt = truncate(result.excerpt, 160);
  if (result.excerptHtml) rendered.excerptHtml = result.excerptHtml;
  if (result.headings) rendered.headings = result.headings;
  rendered.wordCount = result.wordCount;
  rendered.readTime = post.readTimeMinutes ?? Math.max(1, Math.round(result.wordCount / readingSpeed));
  return rendered;
}

/**
 * The rendered post a post will be, before its markdown is rendered: its front matter only, the rest filled in by
 * {@link toRenderedPost} (`into`). The site model (tags, related posts, neighbours) can be built from these while
 * the workers render, so that post pages render as their bodies arrive.
 */
export function renderedShell(post: Post): RenderedPost {
  const rendered = withoutBody(post) as RenderedPost;
  copyLazyText(rendered, post, 'body');
  return rendered;
}

/** A copy of the post's fields but its body, which may be lazy: a spread of the post would decode it. */
function withoutBody(post: Post): Omit<Post, 'body'> {
  const fields: Partial<Post> = {};
  for (const key in post) if (key !== 'body') (fields as Record<string, unknown>)[key] = (post as unknown as Record<string, unknown>)[key];
  return fields as Omit<Post, 'body'>;
}

/** Cuts text at a word boundary near `max` characters, adding an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut.slice(0, max)).replace(/[\s,.;:!?–—-]+$/, '')}…`;
}
