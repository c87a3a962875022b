import type { Code, Html, Parent, Root, RootContent, Text } from 'mdast';
import type { VFile } from 'vfile';
import { warning, type Diagnostic } from '../diagnostics/error.js';

/** A template tag of another generator found in a post, at its body-relative place. */
export interface ForeignTag {
  /** The tag as written (cut to 80 characters), e.g. `{{< youtube ZJthWmvUzzc >}}`. */
  tag: string;
  line: number;
  column: number;
  /** True when the tag and its closing tag were a highlight block, shown as a code block. */
  isCode?: boolean;
  /** True when a closing tag ends the tag's block (`{% endraw %}`, `{{< /notice >}}`). */
  isPaired?: boolean;
}

/** Liquid / Nunjucks tags (Jekyll, Eleventy) and Hugo shortcodes, in both of their forms. */
const tagPattern = /\{%-?\s*([\w/.-]+)[^%]*?-?%\}|\{\{<\s*(\/?)\s*([\w./-]+)[\s\S]*?>\}\}|\{\{%\s*(\/?)\s*([\w./-]+)[\s\S]*?%\}\}/g;

interface Found {
  start: number;
  end: number;
  text: string;
  name: string;
  isClosing: boolean;
  /** `{%`, `{{<` or `{{%`: a tag closes only a tag of its own kind. */
  kind: string;
}

/**
 * Other generators' template syntax is never silent: outside code, each Liquid tag (`{% … %}`) and Hugo shortcode
 * (`{{< … >}}`, `{{% … %}}`) is recorded in `file.data.foreignTags` (the markdown stage warns about each, with a hint
 * to run `blogbuild import`). blogbuild does not run them, so: a `highlight` block (`{% highlight js %}` …
 * `{% endhighlight %}`, `{{< highlight html >}}` … `{{< /highlight >}}`) becomes the code block it stands for, and raw
 * HTML between any other tag and its closing tag is shown as text, never emitted as HTML into the page or the feed.
 */
export function remarkForeignSyntax() {
  return (tree: Root, file: VFile) => {
    const source = String(file.value);
    if (!source.includes('{%') && !source.includes('{{<') && !source.includes('{{%')) return;
    const codeRanges: [number, number][] = [];
    collectCode(tree, codeRanges);
    const tags = findTags(source, codeRanges);
    if (tags.length === 0) return;
    const regions = pairRegions(tags);
    const paired = new Set(regions.map((region) => region.open));
    const highlighted = new Set<Found>();
    for (const region of regions) if (region.open.name === 'highlight' && toCodeBlock(tree, region, source)) highlighted.add(region.open);
    neutraliseHtml(tree, regions);
    const found: ForeignTag[] = [];
    for (const tag of tags) {
      if (tag.isClosing) continue;
      const { line, column } = place(source, tag.start);
      found.push({ tag: tag.text.length > 80 ? `${tag.text.slice(0, 77)}…` : tag.text, line, column, ...(highlighted.has(tag) ? { isCode: true } : paired.has(tag) ? { isPaired: true } : {}) });
    }
    file.data.foreignTags = found;
  };
}

function collectCode(node: Root | RootContent, ranges: [number, number][]): void {
  if ((node.type === 'code' || node.type === 'inlineCode') && node.position) ranges.push([node.position.start.offset!, node.position.end.offset!]);
  else if ('children' in node) for (const child of node.children) collectCode(child, ranges);
}

function findTags(source: string, codeRanges: [number, number][]): Found[] {
  const tags: Found[] = [];
  tagPattern.lastIndex = 0;
  for (let m = tagPattern.exec(source); m; m = tagPattern.exec(source)) {
    const start = m.index;
    // `\{% … %}` is the tag written to show as it is (blogbuild import writes what it cannot convert so).
    if (source[start - 1] === '\\' || codeRanges.some(([from, to]) => start >= from && start < to)) continue;
    const kind = m[0].slice(0, m[0].startsWith('{%') ? 2 : 3);
    const liquid = m[1] ?? '';
    const name = kind === '{%' ? liquid.replace(/^end/, '') : (m[3] ?? m[5]);
    const isClosing = kind === '{%' ? liquid.startsWith('end') : (m[2] ?? m[4]) === '/';
    tags.push({ start, end: start + m[0].length, text: m[0], name, isClosing, kind });
  }
  return tags;
}

/** Each opening tag with the next closing tag of its kind and name: the stretch of the post between them. */
function pairRegions(tags: Found[]): { open: Found; close: Found }[] {
  const regions: { open: Found; close: Found }[] = [];
  const stack: Found[] = [];
  for (const tag of tags) {
    if (!tag.isClosing) {
      stack.push(tag);
      continue;
    }
    const index = stack.findLastIndex((open) => open.kind === tag.kind && open.name === tag.name);
    if (index < 0) continue;
    regions.push({ open: stack[index], close: tag });
    stack.length = index;
  }
  return regions;
}

/**
 * Replaces the top-level blocks from a highlight's opening tag to its closing tag with one code block of the text
 * between them, when the tags start and end those blocks. Whether it did.
 */
function toCodeBlock(tree: Root, { open, close }: { open: Found; close: Found }, source: string): boolean {
  const first = tree.children.findIndex((node) => node.position?.start.offset === open.start);
  const last = tree.children.findIndex((node) => node.position?.end.offset !== undefined && node.position.end.offset >= close.end);
  if (first < 0 || last < first || source.slice(close.end, tree.children[last].position!.end.offset).trim()) return false;
  const lang = /^\S+\s+(?:highlight\s+)?["']?([\w+#.-]+)/.exec(open.text.slice(open.kind.length).trim().replace(/^-/, ''))?.[1];
  const value = source.slice(open.end, close.start).replace(/^[ \t]*\r?\n/, '').replace(/\r?\n[ \t]*$/, '');
  const code: Code = { type: 'code', lang: lang && lang !== 'highlight' ? lang : null, meta: null, value, position: { start: tree.children[first].position!.start, end: tree.children[last].position!.end } };
  tree.children.splice(first, last - first + 1, code);
  return true;
}

/** Raw HTML inside a tag's region is shown as the text it is: a block as a code block, inline HTML as text. */
function neutraliseHtml(parent: Parent, regions: { open: Found; close: Found }[]): void {
  parent.children.forEach((node, index) => {
    if (node.type === 'html') {
      const from = node.position?.start.offset;
      const to = node.position?.end.offset;
      if (from === undefined || to === undefined || !regions.some(({ open, close }) => from < close.start && to > open.end)) return;
      const replacement: Code | Text = phrasing.has(parent.type)
        ? { type: 'text', value: node.value, position: node.position }
        : { type: 'code', lang: null, meta: null, value: (node as Html).value, position: node.position };
      parent.children[index] = replacement as (typeof parent.children)[number];
    } else if ('children' in node) neutraliseHtml(node, regions);
  });
}

const phrasing = new Set(['paragraph', 'heading', 'tableCell', 'emphasis', 'strong', 'delete', 'link', 'linkReference']);

function place(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The warning for a foreign tag, at its place in the post's file (`bodyStartLine`: the file line of the body's first line). */
export function foreignTagWarning(file: string, bodyStartLine: number, found: ForeignTag): Diagnostic {
  return warning('ForeignTemplateSyntax', { tag: found.tag, isHugo: found.tag.startsWith('{{'), isCode: found.isCode, isPaired: found.isPaired },
    { file, line: bodyStartLine + found.line - 1, column: found.column, length: Math.min(found.tag.length, 80) });
}

declare module 'vfile' {
  interface DataMap {
    foreignTags: ForeignTag[];
  }
}
