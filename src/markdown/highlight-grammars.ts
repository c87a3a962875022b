import type { ElementContent } from 'hast';
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

// Prism's grammars and tokenizer, loaded by rehype-highlight-code.ts only when a post has a code block to
// highlight: a build that renders only posts without code (most one-post edits) never loads them.

// Prism's common set (~36 languages with their aliases: js, ts, sh, shell, yml, html, py, md…) plus a few that
// blogs about code use often, the template languages of other generators among them (Liquid, Nunjucks/Jinja,
// Handlebars). Each is a small grammar; all of them load in a few milliseconds per worker.
for (const grammar of [django, docker, graphql, handlebars, jsx, liquid, tsx, powershell, shellSession, toml]) refractor.register(grammar);

/**
 * Highlighted code by grammar and text, for this thread: a post edited in the dev server renders again with its
 * other blocks unchanged, and a blog repeats its snippets. Bounded (oldest out first); each use gets a copy, since
 * later steps and plugins may change the tree.
 */
const highlighted = new Map<string, ElementContent[]>();
const maxHighlighted = 1000;

export function highlightText(text: string, grammar: string): ElementContent[] {
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
export function isGrammar(name: string): boolean {
  return refractor.registered(name) && typeof refractor.languages[name] === 'object';
}
