import type { Element, Root } from 'hast';
import { raw } from 'hast-util-raw';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/**
 * Parses raw HTML from the markdown into real elements, so later plugins (ids, base paths) see it.
 * Skipped when a post has no raw HTML: hast-util-raw re-parses the whole tree and costs as much as the rest.
 */
export function rehypeRawIfNeeded() {
  return (tree: Root): Root | undefined => {
    let hasRaw = false;
    visit(tree, 'raw', () => {
      hasRaw = true;
      return false;
    });
    return hasRaw ? (raw(tree) as Root) : undefined;
  };
}

const urlAttributes = ['href', 'src', 'poster', 'cite', 'action'] as const;

/** Options for {@link rehypeBasePath}. */
export interface BasePathOptions {
  /** The site's base path, e.g. `/blog/`. @default "/" */
  basePath?: string;
}

/** Prefixes the site's sub-path to root-relative URLs written in posts (`/posts/x/` → `/blog/posts/x/`). */
export function rehypeBasePath(options: BasePathOptions = {}) {
  const prefix = (options.basePath ?? '/').replace(/\/$/, '');
  return (tree: Root) => {
    if (!prefix) return;
    visit(tree, 'element', (node: Element) => {
      for (const attribute of urlAttributes) {
        const value = node.properties[attribute];
        if (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith(`${prefix}/`)) {
          node.properties[attribute] = prefix + value;
        }
      }
    });
  };
}

/** Counts the words of the rendered text into `file.data.wordCount`. */
export function rehypeWordCount() {
  return (tree: Root, file: VFile) => {
    const text = toString(tree);
    const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu);
    file.data.wordCount = words ? words.length : 0;
  };
}

/**
 * Makes GFM output pass axe and the Nu checker: code blocks and tables (which scroll on narrow screens) get
 * `tabindex="0"` so keyboards can scroll them, task-list checkboxes get their item's text as `aria-label`,
 * and the obsolete `align` attribute of table cells becomes `style="text-align: …"`.
 */
export function rehypeAccessible() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName === 'pre' || node.tagName === 'table') {
        node.properties.tabIndex = 0;
      } else if ((node.tagName === 'td' || node.tagName === 'th') && typeof node.properties.align === 'string') {
        node.properties.style = `text-align: ${node.properties.align}`;
        delete node.properties.align;
      } else if (node.tagName === 'li' && Array.isArray(node.properties.className) && node.properties.className.includes('task-list-item')) {
        const checkbox = findCheckbox(node);
        if (checkbox && checkbox.properties.ariaLabel === undefined) {
          const text = node.children
            .filter((child) => !(child.type === 'element' && (child.tagName === 'ul' || child.tagName === 'ol')))
            .map((child) => toString(child as Element))
            .join('')
            .replace(/\s+/g, ' ')
            .trim();
          if (text) checkbox.properties.ariaLabel = text;
        }
      }
    });
  };
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
