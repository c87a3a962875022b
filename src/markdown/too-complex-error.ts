import { error, type Diagnostic } from '../diagnostics/error.js';
import type { Post } from '../site/model.js';
import type { MarkdownTooComplexError } from './markdown-limits.js';

/** The located MarkdownTooComplex diagnostic for a post (or page) beyond a limit (the wording is in the catalogue). */
export function tooComplexError(post: Pick<Post, 'sourcePath' | 'bodyStartLine'>, e: MarkdownTooComplexError, of: 'post' | 'page' = 'post'): Diagnostic {
  const loc = { file: post.sourcePath, line: post.bodyStartLine + e.line - 1, column: e.column };
  return error('MarkdownTooComplex', { problem: e.kind, found: e.found, limit: e.limit, construct: e.construct || (e.kind === 'unguarded' ? '' : 'blocks'), ...(of === 'page' ? { of } : {}) }, loc, e);
}
