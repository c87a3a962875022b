import type { Html, Parent, Root } from 'mdast';
import type { VFile } from 'vfile';
import { warning, type Diagnostic } from '../diagnostics/error.js';

/**
 * Which raw HTML tags are escaped: `"safe"` the elements whose unclosed content swallows the rest of a page,
 * `"gfm"` GitHub's whole tag-filter list, `false` none.
 */
export type Tagfilter = 'safe' | 'gfm' | false;

/** A raw HTML tag the filter escaped, at its body-relative place (1-based line, and column when known). */
export interface FilteredTag {
  /** The tag as written, e.g. `<title` or `</XMP`. */
  tag: string;
  line: number;
  column?: number;
}

/**
 * Elements a browser reads as text (or not at all) up to their closing tag: written as raw HTML by mistake (`The
 * <title> element…`), they make the rest of the page invisible. Escaped by `"safe"` and `"gfm"`.
 */
const swallowing = ['title', 'textarea', 'xmp', 'plaintext', 'noembed', 'noframes'];

/** The rest of GFM's list: authors write these on purpose (embeds, inline scripts and styles). Escaped by `"gfm"`. */
const embeds = ['script', 'style', 'iframe'];

/** Elements whose content is raw text in HTML: while kept (`"safe"`), their content is not scanned for tags. */
const rawText = new Set(embeds);

/**
 * GFM's tag filter (https://github.github.com/gfm/#disallowed-raw-html-extension-): in raw HTML, the `<` of every
 * opening and closing tag whose name (any case) is filtered becomes `&lt;`, so the tag shows as text. It runs on
 * mdast `html` nodes, before remark-rehype and the raw-HTML step, so pages and feeds get the same HTML; markdown
 * code (backticks) is not raw HTML and is never touched.
 *
 * Unlike cmark-gfm's filter, which scans the HTML's every `<`, tags inside HTML comments and inside the content of
 * a kept `<script>`, `<style>` or `<iframe>` are left alone (escaping them would change a script's text and warn
 * about nothing), and a name followed by `/` counts as a tag as a browser reads it (`<title/x>`).
 * Inline HTML (one tag) that is filtered becomes a text node, so the excerpt has it as the page shows it. Writes each
 * escaped tag's place to `file.data.filteredTags`.
 */
export function remarkTagfilter(options: { tagfilter?: Tagfilter } = {}) {
  const mode = options.tagfilter ?? 'safe';
  if (mode === false) return () => undefined;
  const filtered = new Set(mode === 'gfm' ? [...swallowing, ...embeds] : swallowing);
  return (tree: Root, file: VFile) => {
    const found: FilteredTag[] = [];
    const visit = (parent: Parent) => {
      parent.children.forEach((node, index) => {
        if (node.type !== 'html') {
          if ('children' in node) visit(node);
          return;
        }
        const value = node.value;
        // Inline HTML is one tag: an escaped one becomes plain text, which the excerpt (descriptions) includes.
        if (filterNode(node, filtered, found, file) && phrasing.has(parent.type)) {
          parent.children[index] = { type: 'text', value, position: node.position };
        }
      });
    };
    visit(tree);
    if (found.length > 0) file.data.filteredTags = found;
  };
}

/** Opening or closing tags (name followed by whitespace, `/`, `>` or the end) and comments, in document order. */
const tagPattern = /<!--[\s\S]*?(?:-->|$)|<(\/?)([A-Za-z][A-Za-z0-9-]*)(?=[\t\n\f\r />]|$)/g;

/** Parents whose `html` children are inline HTML (one tag each). */
const phrasing = new Set(['paragraph', 'heading', 'tableCell', 'emphasis', 'strong', 'delete', 'link', 'linkReference']);

/** Escapes the node's filtered tags; whether there were any. */
function filterNode(node: Html, filtered: ReadonlySet<string>, found: FilteredTag[], file: VFile): boolean {
  const value = node.value;
  let out = '';
  let last = 0;
  tagPattern.lastIndex = 0;
  for (let match = tagPattern.exec(value); match; match = tagPattern.exec(value)) {
    const name = match[2]?.toLowerCase();
    if (name === undefined) continue;
    if (filtered.has(name)) {
      out += `${value.slice(last, match.index)}&lt;`;
      last = match.index + 1;
      found.push({ tag: match[0], ...placeOf(node, match.index, file) });
    } else if (match[1] === '' && rawText.has(name)) {
      // A kept script, style or iframe: its content up to the closing tag is text for the browser, not tags.
      const close = new RegExp(`</${name}(?=[\\t\\n\\f\\r />]|$)`, 'gi');
      close.lastIndex = tagPattern.lastIndex;
      const end = close.exec(value);
      tagPattern.lastIndex = end ? end.index : value.length;
    }
  }
  if (last === 0) return false;
  node.value = out + value.slice(last);
  return true;
}

/**
 * The body-relative place of `value[index]`. A node's value lacks the container prefixes (`> `, list indents) of
 * its lines, so a line's column is found from the source line that ends with the value's line.
 */
function placeOf(node: Html, index: number, file: VFile): { line: number; column?: number } {
  const start = node.position?.start;
  if (!start) return { line: 1 };
  const before = node.value.slice(0, index);
  const lineIndex = before.split('\n').length - 1;
  const line = start.line + lineIndex;
  const lineStart = before.lastIndexOf('\n') + 1;
  if (lineIndex === 0) return { line, column: start.column + index };
  const lineEnd = node.value.indexOf('\n', index);
  const valueLine = node.value.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).replace(/\r$/, '');
  const sourceLine = String(file.value).split('\n')[line - 1]?.replace(/\r$/, '');
  if (sourceLine === undefined || !sourceLine.endsWith(valueLine)) return { line };
  return { line, column: sourceLine.length - valueLine.length + (index - lineStart) + 1 };
}

/**
 * The warning for an escaped tag, at its place in the post's file (`bodyStartLine` is the file line of the body's
 * first line). Made from the tag alone, so a result from the cache warns as the rendering did.
 */
export function filteredTagWarning(file: string, bodyStartLine: number, found: FilteredTag): Diagnostic {
  const tag = `${found.tag}>`;
  const name = found.tag.replace(/^<\/?/, '').toLowerCase();
  const isClosing = found.tag.startsWith('</');
  const loc = { file, line: bodyStartLine + found.line - 1, column: found.column, length: found.tag.length };
  if (embeds.includes(name)) {
    return warning('RawHtmlFiltered', { problem: 'gfm-embed', tag }, loc);
  }
  return warning('RawHtmlFiltered', { problem: isClosing ? 'closing' : 'opening', tag, name }, loc);
}

declare module 'vfile' {
  interface DataMap {
    filteredTags: FilteredTag[];
  }
}
