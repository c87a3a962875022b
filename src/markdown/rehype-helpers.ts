import GithubSlugger from 'github-slugger';
import type { Element, Root } from 'hast';
import { raw } from 'hast-util-raw';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import { countWords } from './count-words.js';
import { isUnsafeUrl } from './safe-urls.js';

type Parent = Root | Element;

/**
 * Parses raw HTML from the markdown into real elements, so later plugins (ids, base paths) see it.
 * Skipped when a post has no raw HTML: hast-util-raw re-parses the whole tree and costs as much as the rest.
 */
export function rehypeRawIfNeeded() {
  return (tree: Root): Root | undefined => (hasRaw(tree) ? (raw(tree) as Root) : undefined);
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
 *   rehype-slug does;
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
    const walk = (parent: Parent) => {
      const children = parent.children;
      for (let i = 0; i < children.length; i++) {
        const node = children[i];
        if (node.type === 'text') text.push(node.value);
        else if (node.type === 'element') {
          if (options.shouldDropUnsafeUrls && dropUnsafeUrls(node)) {
            // An image without its source is invalid HTML: its alt text stands in for it.
            const alt = typeof node.properties.alt === 'string' ? node.properties.alt : '';
            children[i] = { type: 'text', value: alt };
            text.push(alt);
            continue;
          }
          visitElement(node, slugger, prefix);
          walk(node);
        }
      }
    };
    walk(tree);
    // Words are counted over the concatenated text (as hast-util-to-string gives it), so a word split across
    // elements (`<em>bak</em>ing`) counts once.
    file.data.wordCount = countWords(text.join(''));
  };
}

/** Removes the URL attributes of `node` that are unsafe; true when it is an image that lost its source. */
function dropUnsafeUrls(node: Element): boolean {
  let isImageLost = false;
  for (const attribute of urlAttributes) {
    const value = node.properties[attribute];
    if (typeof value === 'string' && isUnsafeUrl(attribute, value)) {
      delete node.properties[attribute];
      if (attribute === 'src' && node.tagName === 'img') isImageLost = true;
    }
  }
  return isImageLost;
}

function visitElement(node: Element, slugger: GithubSlugger, prefix: string): void {
  const name = node.tagName;
  const properties = node.properties;
  if (name.length === 2 && (name.charCodeAt(0) === 104 /* h */ || name.charCodeAt(0) === 72 /* H */)) {
    const code = name.charCodeAt(1);
    if (code > 48 && code < 55 && !properties.id) properties.id = slugger.slug(toString(node));
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
