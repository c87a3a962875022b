import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { refractor } from 'refractor';
import django from 'refractor/django';
import docker from 'refractor/docker';
import graphql from 'refractor/graphql';
import handlebars from 'refractor/handlebars';
import jsx from 'refractor/jsx';
import liquid from 'refractor/liquid';
import powershell from 'refractor/powershell';
import shellSession from 'refractor/shell-session';
import toml from 'refractor/toml';
import tsx from 'refractor/tsx';
import type { VFile } from 'vfile';
import type { UnknownLanguage } from './unknown-language.js';

// Prism's common set (~36 languages with their aliases: js, ts, sh, shell, yml, html, py, md…) plus a few that
// blogs about code use often, the template languages of other generators among them (Liquid, Nunjucks/Jinja,
// Handlebars). Each is a small grammar; all of them load in a few milliseconds per worker.
for (const grammar of [django, docker, graphql, handlebars, jsx, liquid, tsx, powershell, shellSession, toml]) refractor.register(grammar);

/** Names that mean "no highlighting" without being a language Prism knows. */
const plain = new Set(['text', 'txt', 'plain', 'plaintext', 'none', 'nohighlight', 'output']);

/** Aliases Prism lacks that authors write. */
const aliases: Record<string, string> = { console: 'shell-session', zsh: 'bash', terminal: 'shell-session', dockerfile: 'docker', yml: 'yaml',
  njk: 'django', nunjucks: 'django', jinja: 'django', jinja2: 'django' };

/**
 * Highlighted code by grammar and text, for this thread: a post edited in the dev server renders again with its
 * other blocks unchanged, and a blog repeats its snippets. Bounded (oldest out first); each use gets a copy, since
 * later steps and plugins may change the tree.
 */
const highlighted = new Map<string, ElementContent[]>();
const maxHighlighted = 1000;

function highlightText(text: string, grammar: string): ElementContent[] {
  const key = `${grammar}\0${text}`;
  let children = highlighted.get(key);
  if (children === undefined) {
    children = refractor.highlight(text, grammar).children as ElementContent[];
    if (highlighted.size >= maxHighlighted) highlighted.delete(highlighted.keys().next().value!);
    highlighted.set(key, children);
  }
  return children.map(copy);
}

/** A copy of Prism's output (elements with a class and text; a tenth of structuredClone's time). */
function copy(node: ElementContent): ElementContent {
  if (node.type === 'text') return { type: 'text', value: node.value };
  if (node.type !== 'element') return structuredClone(node);
  const { className, ...rest } = node.properties;
  const properties = Array.isArray(className) ? { ...rest, className: [...className] } : { ...rest };
  return { type: 'element', tagName: node.tagName, properties, children: node.children.map(copy) };
}

/** Whether a grammar has that name: `refractor.registered` also answers yes for Prism's helpers (`extend`, `DFS`…). */
function isGrammar(name: string): boolean {
  return refractor.registered(name) && typeof refractor.languages[name] === 'object';
}

/**
 * Highlights fenced code with a language at build time: `pre > code.language-x` gets Prism's token spans
 * (`<span class="token keyword">`), which the theme colours through CSS variables, so one markup serves light and
 * dark and no script runs in the browser. Code without a language, or with `text`, stays plain. A language no
 * grammar knows stays plain too, and its place goes to `file.data.unknownLanguages` (a warning, see
 * unknown-language.ts); a build never fails for it.
 *
 * Its cost, measured (BENCHMARKS.md): Prism's tokenizer is most of it; grammars are registered once a thread (at
 * import), and a post without code costs one walk that stops at each `pre`.
 */
export function rehypeHighlightCode() {
  return (tree: Root, file: VFile) => {
    const unknown: UnknownLanguage[] = [];
    for (const pre of preElements(tree, [])) {
      const code = pre.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
      const language = code && languageOf(code);
      if (!code || !language || plain.has(language)) continue;
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
