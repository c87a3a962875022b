import { error, type Diagnostic } from '../diagnostics/error.js';
import type { Post } from '../site/model.js';
import type { MarkdownTooComplexError } from './markdown-limits.js';

const raise = (key: string, example: number) => `if the post really needs it, raise \`markdown.limits.${key}\` in the config (e.g. ${example})`;

/** The located MarkdownTooComplex diagnostic for a post beyond a limit, naming the limit and its config key. */
export function tooComplexError(post: Post, e: MarkdownTooComplexError): Diagnostic {
  const loc = { file: post.sourcePath, line: post.bodyStartLine + e.line - 1, column: e.column };
  const what = e.construct || 'blocks';
  switch (e.kind) {
    case 'depth':
      return error('MarkdownTooComplex', `${what} are nested ${e.found} deep, beyond the limit of ${e.limit} (\`markdown.limits.maxDepth\`)`, loc,
        `${e.construct === 'brackets' ? 'close the brackets, or escape the ones that are text as \\[' : 'nest less deeply (a nested list or quote rarely needs more than a few levels)'}; ${raise('maxDepth', e.limit * 2)}`, e);
    case 'stack':
      return error('MarkdownTooComplex', `the post is nested too deeply to render: the parser ran out of stack${e.found > 1 ? ` (${what} are nested ${e.found} deep here)` : ''}`, loc,
        'nest less deeply: deep raw HTML or deeply nested markdown; `markdown.limits.maxDepth` stops such posts before they are parsed', e);
    case 'bytes':
      return error('MarkdownTooComplex', `the post's body is ${e.found.toLocaleString('en')} bytes, beyond the limit of ${e.limit.toLocaleString('en')} (\`markdown.limits.maxBytes\`)`, loc,
        `split it into several posts, or move large data out of it; ${raise('maxBytes', e.limit * 2)}`, e);
    case 'time':
      return error('MarkdownTooComplex', `rendering took longer than the time budget of ${e.limit.toLocaleString('en')} ms (\`markdown.limits.timeBudgetMs\`) and was stopped`, loc,
        `look for deeply nested or long runs of brackets, emphasis or lists; ${raise('timeBudgetMs', e.limit * 3)}`, e);
    case 'memory':
      return error('MarkdownTooComplex', `rendering needed more than the ${e.found} MB a markdown worker may use, and was stopped`, loc,
        'split the post, or look for deeply nested or long runs of brackets, emphasis or lists', e);
  }
}
