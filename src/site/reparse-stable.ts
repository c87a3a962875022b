import type { Element, Root, RootContent } from 'hast';

/** Elements that hold only phrasing content here: anything else inside them might be moved by the HTML parser. */
const phrasing = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'img', 'input', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr']);
const phrasingOnly = new Set([...phrasing, 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'th', 'td', 'dt', 'summary', 'figcaption']);
/** Flow elements markdown and its raw HTML commonly give, with where the parser would put them back. */
const flow = new Set(['address', 'article', 'aside', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul']);
const voids = new Set(['br', 'hr', 'img', 'input', 'wbr']);
/** Where an element must sit for the parser to leave it there (it closes or adds parents otherwise). */
const parents: Record<string, readonly string[]> = {
  li: ['ul', 'ol'], dd: ['dl'], dt: ['dl'],
  thead: ['table'], tbody: ['table'], tfoot: ['table'],
  tr: ['thead', 'tbody', 'tfoot'], td: ['tr'], th: ['tr'],
};
/** Elements whose children the parser fosters out or drops unless they are these (text: whitespace only). */
const tableParts: Record<string, readonly string[]> = { table: ['thead', 'tbody', 'tfoot'], thead: ['tr'], tbody: ['tr'], tfoot: ['tr'], tr: ['td', 'th'] };
/** A comment the serializer has to escape (hast-util-to-html), which the parser then reads differently. */
const unsafeComment = /^>|^->|<!--|-->|--!>|<!-$/;
const propertyName = /^[a-zA-Z][a-zA-Z\d]*$/;
const dataAttribute = /^data[A-Z\d]/;
/** Boolean attributes (a bare name parses as `true`) that markdown and raw HTML commonly give. */
const booleans = new Set(['checked', 'disabled', 'hidden', 'open', 'reversed', 'controls', 'loop', 'muted', 'autoPlay', 'playsInline']);

/**
 * Whether serializing `tree` and parsing the HTML again (parse5, as a fragment) gives back the same tree, so that
 * the two serialize to the same bytes. `data-*` attributes set to `true` are set to '' on the way (their parsed
 * form), so a true answer may have changed the tree. Conservative: true only for the elements and nesting that markdown (and
 * raw HTML already parsed by rehype-raw) gives in practice — no raw nodes, no foreign (SVG, MathML) or raw-text
 * elements, no element where the parser would close, move or add one (`a` in `a`, a block in a paragraph, a row
 * outside a table section…), no text the parser changes (carriage returns, NUL, lone surrogates, a newline first
 * in `pre`, which it drops). Anything else is false, and the caller parses the HTML.
 */
export function isReparseStable(tree: Root): boolean {
  return areStable(tree.children, undefined, false);
}

function areStable(children: readonly RootContent[], parent: Element | undefined, isInLink: boolean): boolean {
  const allowed = parent && tableParts[parent.tagName];
  for (let i = 0; i < children.length; i++) {
    const node = children[i];
    if (node.type === 'text') {
      if (!isStableText(node.value)) return false;
      if (allowed && !/^[ \t\n\f]*$/.test(node.value)) return false;
      // The parser drops a newline right after `<pre>`.
      if (i === 0 && parent?.tagName === 'pre' && node.value.startsWith('\n')) return false;
      continue;
    }
    if (node.type === 'comment') {
      if (unsafeComment.test(node.value) || !isStableText(node.value) || allowed) return false;
      continue;
    }
    if (node.type !== 'element') return false;
    const name = node.tagName;
    if (!phrasing.has(name) && !flow.has(name)) return false;
    if (parent ? phrasingOnly.has(parent.tagName) && !phrasing.has(name) : false) return false;
    if (allowed && !allowed.includes(name)) return false;
    const mustBeIn = parents[name];
    if (mustBeIn && !(parent && mustBeIn.includes(parent.tagName))) return false;
    if (name === 'a' && isInLink) return false;
    if (voids.has(name) && node.children.length > 0) return false;
    if (node.content || !areStableProperties(node)) return false;
    if (!areStable(node.children, node, isInLink || name === 'a')) return false;
  }
  return true;
}

function areStableProperties(node: Element): boolean {
  for (const name in node.properties) {
    if (!propertyName.test(name)) return false;
    const value = node.properties[name];
    if (value === true && !booleans.has(name)) {
      // `true` on an attribute that is not boolean serializes as the bare name, which parses as ''. GFM's footnotes
      // give `data-footnote-ref` so: the tree takes the parsed form, which serializes as the parsed tree does.
      if (!dataAttribute.test(name)) return false;
      node.properties[name] = '';
    }
    if (typeof value === 'string' ? !isStableText(value) : Array.isArray(value) && !value.every((item) => typeof item !== 'string' || isStableText(item))) return false;
  }
  return true;
}

/** Text the parser reads back as written: no carriage return (it becomes a newline), NUL or lone surrogate. */
function isStableText(value: string): boolean {
  return !/[\r\0]/.test(value) && (value as unknown as { isWellFormed(): boolean }).isWellFormed();
}
