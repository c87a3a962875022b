import type { Element, Root, RootContent } from 'hast';
import { fromParse5 } from 'hast-util-from-parse5';
import { toHtml } from 'hast-util-to-html';
import { parseFragment } from 'parse5';
import { unresolvedOrigin, type FeedItemBase } from './urls.js';
import { isReparseStable } from './reparse-stable.js';
import { resolveSrcset } from './srcset.js';

export { resolveSrcset };

const single = ['href', 'src', 'poster', 'cite', 'action'] as const;

/**
 * Rewrites every relative URL in an HTML fragment against `base` (the page's absolute URL), so the HTML
 * still works outside the site, as in a feed reader. Anchors (`#fn-1`) become `base#fn-1`. Headings' `#` links
 * (heading-anchor.ts) are left out.
 */
export function absolutizeHtml(html: string, base: string): string {
  // hast-util-from-html's fromHtml, without source positions (it asks parse5 for them and maps every node's),
  // which nothing here reads: the same tree, in ~40 % less time.
  const tree = fromParse5(parseFragment(html, { scriptingEnabled: false })) as Root;
  absolutizeTree(tree, base);
  return toHtml(tree);
}

/** {@link absolutizeHtml} on a tree, in place: what it does once the HTML is parsed. */
export function absolutizeTree(tree: Root, base: string): void {
  const resolve = (value: string) => {
    try {
      return new URL(value, base).href;
    } catch {
      // A link that is not a URL is left as the author wrote it.
      return value;
    }
  };
  const walk = (children: RootContent[]) => {
    for (let i = 0; i < children.length; i++) {
      const node = children[i];
      if (node.type !== 'element') continue;
      // A heading's `#` link to itself is for readers of the page; a feed reader would show a stray "#".
      if (isHeadingAnchor(node)) {
        children.splice(i--, 1);
        continue;
      }
      for (const attribute of single) {
        const value = node.properties[attribute];
        if (typeof value === 'string' && value !== '') node.properties[attribute] = resolve(value);
      }
      resolveSrcset(node.properties, resolve);
      // Not into a template's `content` (a parsed tree's): as unist-util-visit did, which walked children only.
      walk(node.children);
    }
  };
  walk(tree.children);
}

function isHeadingAnchor(node: Element): boolean {
  return node.tagName === 'a' && Array.isArray(node.properties.className) && node.properties.className.includes('heading-anchor');
}

/** A post's HTML as its feed item carries it: every URL absolute, or root-relative when the site has no `url`. */
export function feedItemHtml(html: string, { base, rootRelative }: FeedItemBase): string {
  return itemHtml(absolutizeHtml(html, base), rootRelative);
}

/**
 * {@link feedItemHtml} from the tree `html` was serialized from (the markdown worker's, which is then changed in
 * place): the same bytes without parsing the HTML again, when the tree is one that parsing its HTML gives back
 * (see reparse-stable.ts); otherwise `html` is parsed, as feedItemHtml does. Posts from the cache only have their
 * HTML, so the two must agree: the feed does not depend on which build rendered a post.
 */
export function feedItemHtmlOfTree(tree: Root, html: string, item: FeedItemBase): string {
  if (!isReparseStable(tree)) return feedItemHtml(html, item);
  absolutizeTree(tree, item.base);
  return itemHtml(toHtml(tree), item.rootRelative);
}

function itemHtml(absolute: string, rootRelative: boolean): string {
  return rootRelative ? absolute.replaceAll(`${unresolvedOrigin}/`, '/') : absolute;
}
