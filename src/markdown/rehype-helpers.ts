import GithubSlugger from 'github-slugger';
import type { Element, Root } from 'hast';
import { raw } from 'hast-util-raw';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import { countWords } from './count-words.js';
import { unsafeScheme, type DroppedUrl } from './safe-urls.js';
import { appendHeadingAnchor, headingText, type PostHeading } from './heading-anchor.js';

type Parent = Root | Element;

/**
 * Parses raw HTML from the markdown into real elements, so later plugins (ids, base paths) see it.
 * Skipped when a post has no raw HTML: hast-util-raw re-parses the whole tree and costs as much as the rest.
 */
export function rehypeRawIfNeeded() {
  // With the file, the re-parsed tree keeps its positions: warnings after this step (unknown code languages,
  // images) point at their line in a post that has raw HTML, not nowhere.
  return (tree: Root, file: VFile): Root | undefined => (hasRaw(tree) ? (raw(tree, { file }) as Root) : undefined);
}

function hasRaw(node: Parent): boolean {
  for (const child of node.children) {
    if (child.type === 'raw') return true;
    if (child.type === 'element' && hasRaw(child)) return true;
  }
  return false;
}

const urlAttributes = ['href', 'src', 'poster', 'cite', 'action'] as const;

/** Options for {@link rehypePostTree}. */
export interface PostTreeOptions {
  /** The site's base path, e.g. `/blog/`; root-relative URLs in posts get it as a prefix. @default "/" */
  basePath?: string;
  /** Drop URLs whose scheme could run script (`javascript:`, `data:text/html`…; see safe-urls.ts). @default false */
  shouldDropUnsafeUrls?: boolean;
}

/**
 * Everything blogbuild does to a post's HTML tree, in one walk in document order (it was four tree walks:
 * rehype-slug, base path, accessibility, word count; the output is the same):
 *
 * - headings (`h1`–`h6`) without an `id` get a github-slugger id of their text, deduplicated per document, as
 *   rehype-slug does, and a `#` link to themselves (heading-anchor.ts); `h2` and `h3` are listed in
 *   `file.data.headings` for the table of contents;
 * - root-relative URLs (`/posts/x/`) get the site's sub-path (`/blog/posts/x/`);
 * - GFM output is made to pass axe and the Nu checker: code blocks and tables (which scroll on narrow screens)
 *   get `tabindex="0"` so keyboards can scroll them, task-list checkboxes get their item's text as `aria-label`,
 *   and the obsolete `align` attribute of table cells becomes `style="text-align: …"`;
 * - with `shouldDropUnsafeUrls` (raw HTML off), URLs with a scheme that could run script are removed, and an image
 *   left without a source becomes its alt text;
 * - the words of the rendered text are counted into `file.data.wordCount` (CJK text by characters: countWords).
 */
export function rehypePostTree(options: PostTreeOptions = {}) {
  const prefix = (options.basePath ?? '/').replace(/\/$/, '');
  return (tree: Root, file: VFile) => {
    const slugger = new GithubSlugger();
    const text: string[] = [];
    const headings: PostHeading[] = [];
    const dropped: DroppedUrl[] = [];
    const walk = (parent: Parent) => {
      const children = parent.children;
      for (let i = 0; i < children.length; i++) {
        const node = children[i];
        if (node.type === 'text') text.push(node.value);
        else if (node.type === 'element') {
          if (options.shouldDropUnsafeUrls && dropUnsafeUrls(node, dropped)) {
            // An image without its source is invalid HTML: its alt text stands in for it.
            const alt = typeof node.properties.alt === 'string' ? node.properties.alt : '';
            children[i] = { type: 'text', value: alt };
            text.push(alt);
            continue;
          }
          const heading = visitElement(node, slugger, prefix);
          walk(node);
          // After the walk into it: the anchor's `#` is not a word of the post.
          if (heading) {
            if (heading.text !== '' && !hasLink(node)) appendHeadingAnchor(node, heading.id, heading.text);
            if (heading.depth === 2 || heading.depth === 3) headings.push(heading);
          }
        }
      }
    };
    walk(tree);
    if (headings.length > 0) file.data.headings = headings;
    if (dropped.length > 0) file.data.droppedUrls = dropped;
    // Words are counted over the concatenated text (as hast-util-to-string gives it), so a word split across
    // elements (`<em>bak</em>ing`) counts once.
    file.data.wordCount = countWords(text.join(''));
  };
}

/**
 * Removes the URL attributes of `node` that are unsafe, each recorded in `dropped` at the element's place; true when
 * it is an image that lost its source.
 */
function dropUnsafeUrls(node: Element, dropped: DroppedUrl[]): boolean {
  let isImageLost = false;
  for (const attribute of urlAttributes) {
    const value = node.properties[attribute];
    const scheme = typeof value === 'string' ? unsafeScheme(attribute, value) : undefined;
    if (scheme !== undefined) {
      const start = node.position?.start;
      dropped.push({ scheme: scheme.slice(0, 40), attribute, element: node.tagName, line: start?.line ?? 1, ...(start?.column ? { column: start.column } : {}) });
      delete node.properties[attribute];
      if (attribute === 'src' && node.tagName === 'img') isImageLost = true;
    }
  }
  return isImageLost;
}

/** Fixes one element; returns a heading's id, rank and text when it is a heading with an id. */
function visitElement(node: Element, slugger: GithubSlugger, prefix: string): PostHeading | undefined {
  const name = node.tagName;
  const properties = node.properties;
  let heading: PostHeading | undefined;
  if (name.length === 2 && (name.charCodeAt(0) === 104 /* h */ || name.charCodeAt(0) === 72 /* H */)) {
    const code = name.charCodeAt(1);
    if (code > 48 && code < 55) {
      const text = toString(node);
      if (!properties.id) properties.id = slugger.slug(text);
      const id = properties.id;
      // GFM's visually hidden "Footnotes" heading is for screen readers: no anchor, no table-of-contents entry.
      const isHidden = Array.isArray(properties.className) && properties.className.includes('sr-only');
      if (typeof id === 'string' && id !== '' && !isHidden) heading = { depth: code - 48, id, text: headingText(text) };
    }
  }
  if (prefix) {
    for (const attribute of urlAttributes) {
      const value = properties[attribute];
      if (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith(`${prefix}/`)) {
        properties[attribute] = prefix + value;
      }
    }
  }
  if (name === 'pre' || name === 'table') {
    properties.tabIndex = 0;
  } else if ((name === 'td' || name === 'th') && typeof properties.align === 'string') {
    properties.style = `text-align: ${properties.align}`;
    delete properties.align;
  } else if (name === 'li' && Array.isArray(properties.className) && properties.className.includes('task-list-item')) {
    const checkbox = findCheckbox(node);
    if (checkbox && checkbox.properties.ariaLabel === undefined) {
      const label = node.children
        .filter((child) => !(child.type === 'element' && (child.tagName === 'ul' || child.tagName === 'ol')))
        .map((child) => toString(child as Element))
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
      if (label) checkbox.properties.ariaLabel = label;
    }
  }
  return heading;
}

/** Whether a heading holds a link already: a link inside a link is invalid HTML, so it gets no anchor. */
function hasLink(node: Element): boolean {
  return node.children.some((child) => child.type === 'element' && (child.tagName === 'a' || hasLink(child)));
}

function findCheckbox(li: Element): Element | undefined {
  for (const child of li.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'input' && child.properties.type === 'checkbox') return child;
    if (child.tagName === 'p') {
      const inner = child.children.find((c): c is Element => c.type === 'element' && c.tagName === 'input');
      if (inner) return inner;
    }
  }
  return undefined;
}

declare module 'vfile' {
  interface DataMap {
    /** The post's `h2` and `h3` headings with ids, in order. */
    headings: PostHeading[];
    /** URLs dropped as unsafe (raw HTML off), at their body-relative places. */
    droppedUrls: DroppedUrl[];
  }
}
