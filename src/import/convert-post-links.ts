import type { Definition, Link, LinkReference, Nodes } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { BodyText } from './body-text.js';

/** A relative link to a markdown file (`other.md`, `../b/index.markdown#part`, an Astro `post.mdx`). */
const markdownHref = /^(?![a-z][a-z0-9+.-]*:|\/|#)[^?#]*\.(?:md|markdown|mdown|mkd|mdx)(?:#\S*)?$/i;
/** The destination of an inline link or a definition, as written: `](href`, `](<href>`, `]: href`. */
const destination = /^\]:?\(?\s*(<[^>\n]*>|[^\s)]+)/;

const parser = unified().use(remarkParse).use(remarkGfm);

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Links and reference definitions written as relative markdown paths, found as markdown does (not in code): each
 * naming a post of the site points at that post's new URL; each naming none is neutralised, since the build would
 * fail on it (PostLinkBroken): the link is dropped and its text kept (for a definition, every reference to it), and
 * the report names it at its line.
 */
export function convertPostLinks(body: BodyText, resolvePost: (ref: string) => string | undefined): void {
  const text = body.text;
  if (!/\.(md|markdown|mdown|mkd|mdx)\b/i.test(text)) return;
  const tree = parser.parse(text);
  const edits: Edit[] = [];
  const dropped = new Set<string>();
  const report = (node: Link | Definition, href: string, outcome: 'converted' | 'dropped') => {
    const line = node.position!.start.line - 1 + body.firstLine;
    if (outcome === 'converted') body.changes.push({ kind: 'relative .md link → post URL', file: body.file, line });
    else body.unconverted.push({ kind: 'relative .md link', file: body.file, line, detail: `${href} names no post of the site; the link is removed, its text kept` });
  };
  visit(tree, (node) => {
    if (node.type !== 'link' && node.type !== 'definition') return;
    const start = node.position!.start.offset!;
    const end = node.position!.end.offset!;
    const from = node.type === 'link' ? textEnd(node, start) : text.indexOf(']:', start);
    const raw = destination.exec(text.slice(from, end))?.[1];
    // node.url has spaces and other bytes percent-encoded: `<./a b.md>` is `./a%20b.md`.
    const href = node.url;
    if (!raw || !markdownHref.test(href)) return;
    const url = resolvePost(decoded(href));
    const at = text.indexOf(raw, from);
    if (url) {
      edits.push({ start: at, end: at + raw.length, text: url });
      report(node, href, 'converted');
    } else if (node.type === 'link') {
      edits.push({ start, end, text: node.children.length > 0 ? text.slice(textStart(node), textEnd(node, start)) : '' });
      report(node, href, 'dropped');
    } else {
      dropped.add(node.identifier);
      edits.push({ start, end, text: '' });
      report(node, href, 'dropped');
    }
  });
  if (dropped.size > 0) {
    visit(tree, (node) => {
      if (node.type === 'linkReference' && dropped.has(node.identifier)) edits.push(referenceText(node, text));
    });
  }
  body.text = applyEdits(text, edits);
}

function visit(node: Nodes, fn: (node: Nodes) => void): void {
  fn(node);
  if ('children' in node) for (const child of node.children) visit(child, fn);
}

/** Where a link's text starts: its first child, or just after `[`. */
function textStart(node: Link | LinkReference): number {
  return node.children[0]?.position?.start.offset ?? node.position!.start.offset! + 1;
}

/** Where a link's text ends, just before `]`. */
function textEnd(node: Link | LinkReference, start: number): number {
  return node.children.at(-1)?.position?.end.offset ?? start + 1;
}

/** A reference to a dropped definition (`[text][id]`, `[id][]`, `[id]`) as its text. */
function referenceText(node: LinkReference, text: string): Edit {
  const start = node.position!.start.offset!;
  const inner = node.children.length > 0 ? text.slice(textStart(node), textEnd(node, start)) : '';
  return { start, end: node.position!.end.offset!, text: inner };
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

function decoded(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    // A malformed escape is a name as written.
    return href;
  }
}
