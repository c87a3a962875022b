import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import type { UnknownLanguage } from './unknown-language.js';

/** Names that mean "no highlighting" without being a language Prism knows. */
const plain = new Set(['text', 'txt', 'plain', 'plaintext', 'none', 'nohighlight', 'output']);

/** Aliases Prism lacks that authors write. */
const aliases: Record<string, string> = { console: 'shell-session', zsh: 'bash', terminal: 'shell-session', dockerfile: 'docker', yml: 'yaml',
  njk: 'django', nunjucks: 'django', jinja: 'django', jinja2: 'django' };

/**
 * Highlights fenced code with a language at build time: `pre > code.language-x` gets Prism's token spans
 * (`<span class="token keyword">`), which the theme colours through CSS variables, so one markup serves light and
 * dark and no script runs in the browser. Code without a language, or with `text`, stays plain. A language no
 * grammar knows stays plain too, and its place goes to `file.data.unknownLanguages` (a warning, see
 * unknown-language.ts); a build never fails for it.
 *
 * Its cost, measured (BENCHMARKS.md): Prism's tokenizer is most of it; grammars are loaded and registered once a
 * thread, when the first post with a code block needs them, and a post without code costs one walk that stops at
 * each `pre`.
 */
export function rehypeHighlightCode() {
  return (tree: Root, file: VFile): Promise<void> | undefined => {
    const blocks: { pre: Element; code: Element; language: string }[] = [];
    for (const pre of preElements(tree, [])) {
      const code = pre.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
      const language = code && languageOf(code);
      if (code && language && !plain.has(language)) blocks.push({ pre, code, language });
    }
    // No code to highlight: Prism's grammars are not loaded (see highlight-grammars.ts).
    if (blocks.length === 0) return undefined;
    return import('./highlight-grammars.js').then(({ highlightText, isGrammar }) => {
      const unknown: UnknownLanguage[] = [];
      for (const { pre, code, language } of blocks) {
        const grammar = aliases[language] ?? language;
        if (!isGrammar(grammar)) {
          const start = code.position?.start ?? pre.position?.start;
          if (start) unknown.push({ language, line: start.line, column: start.column });
          continue;
        }
        code.children = highlightText(toString(code), grammar);
        pre.properties.className = [...classes(pre), 'highlight'];
      }
      if (unknown.length > 0) file.data.unknownLanguages = unknown;
    });
  };
}

/** Every `pre` element under a node, in document order (code blocks also sit in lists, quotes and raw HTML). */
function preElements(node: Root | Element, found: Element[]): Element[] {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'pre') found.push(child);
    else if (child.children.length > 0) preElements(child, found);
  }
  return found;
}

function classes(element: Element): string[] {
  const value = element.properties.className;
  return Array.isArray(value) ? value.map(String) : [];
}

/** The language of `class="language-x"`, lowercased; remark-rehype writes the fence's info string's first word. */
function languageOf(code: Element): string | undefined {
  const name = classes(code).find((c) => c.startsWith('language-'));
  return name ? name.slice('language-'.length).toLowerCase() : undefined;
}

declare module 'vfile' {
  interface DataMap {
    unknownLanguages: UnknownLanguage[];
  }
}
