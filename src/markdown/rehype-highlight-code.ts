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
 * Highlights fenced code with a language at build time: `pre > code.language-x` gets Prism's token spans
 * (`<span class="token keyword">`), which the theme colours through CSS variables, so one markup serves light and
 * dark and no script runs in the browser. Code without a language, or with `text`, stays plain. A language no
 * grammar knows stays plain too, and its place goes to `file.data.unknownLanguages` (a warning, see
 * unknown-language.ts); a build never fails for it.
 */
export function rehypeHighlightCode() {
  return (tree: Root, file: VFile) => {
    const unknown: UnknownLanguage[] = [];
    for (const pre of tree.children.flatMap((node) => preElements(node))) {
      const code = pre.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
      const language = code && languageOf(code);
      if (!code || !language || plain.has(language)) continue;
      const grammar = aliases[language] ?? language;
      if (!refractor.registered(grammar)) {
        const start = code.position?.start ?? pre.position?.start;
        if (start) unknown.push({ language, line: start.line, column: start.column });
        continue;
      }
      code.children = refractor.highlight(toString(code), grammar).children as ElementContent[];
      pre.properties.className = [...classes(pre), 'highlight'];
    }
    if (unknown.length > 0) file.data.unknownLanguages = unknown;
  };
}

/** Every `pre` element under a node (code blocks also sit in lists, quotes and raw HTML). */
function preElements(node: Root['children'][number]): Element[] {
  if (node.type !== 'element') return [];
  if (node.tagName === 'pre') return [node];
  return node.children.flatMap((child) => preElements(child as Root['children'][number]));
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
