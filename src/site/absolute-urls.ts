import type { Root } from 'hast';
import { fromParse5 } from 'hast-util-from-parse5';
import { toHtml } from 'hast-util-to-html';
import { parseFragment } from 'parse5';
import { visit } from 'unist-util-visit';
import { unresolvedOrigin, type FeedItemBase } from './urls.js';

const single = ['href', 'src', 'poster', 'cite', 'action'] as const;

/**
 * Rewrites every relative URL in an HTML fragment against `base` (the page's absolute URL), so the HTML
 * still works outside the site, as in a feed reader. Anchors (`#fn-1`) become `base#fn-1`. Headings' `#` links
 * (heading-anchor.ts) are left out.
 */
export function absolutizeHtml(html: string, base: string): string {
  // hast-util-from-html's fromHtml, without source positions (it asks parse5 for them and maps every node's),
  // which nothing here reads: the same tree, in ~40 % less time. Every feed post's HTML goes through this once.
  const tree = fromParse5(parseFragment(html, { scriptingEnabled: false })) as Root;
  const resolve = (value: string) => {
    try {
      return new URL(value, base).href;
    } catch {
      // A link that is not a URL is left as the author wrote it.
      return value;
    }
  };
  visit(tree, 'element', (node, index, parent) => {
    // A heading's `#` link to itself is for readers of the page; a feed reader would show a stray "#".
    if (parent && index !== undefined && node.tagName === 'a' && Array.isArray(node.properties.className) && node.properties.className.includes('heading-anchor')) {
      parent.children.splice(index, 1);
      return index;
    }
    for (const attribute of single) {
      const value = node.properties[attribute];
      if (typeof value === 'string' && value !== '') node.properties[attribute] = resolve(value);
    }
    resolveSrcset(node.properties, resolve);
  });
  return toHtml(tree);
}

/**
 * Resolves each candidate URL of an element's `srcset` (hast's `srcSet`: the HTML parser gives the attribute's text,
 * other trees a list of candidates). Candidates are `url [descriptor]`, separated by commas; a URL may hold commas.
 */
export function resolveSrcset(properties: Record<string, unknown>, resolve: (url: string) => string): void {
  const value = properties.srcSet;
  if (typeof value !== 'string' && !Array.isArray(value)) return;
  const candidates: string[] = [];
  for (const text of typeof value === 'string' ? [value] : value.map(String)) {
    // After the HTML standard's srcset parsing: a URL runs to whitespace (trailing commas end the candidate), its
    // descriptors to the next comma.
    for (const match of text.matchAll(/[\s,]*([^\s,][^\s]*?)(,+(?=\s|$)|,*$|\s+([^,]*))(?:,|$)/g)) {
      const [, url, , descriptor] = match;
      candidates.push(descriptor?.trim() ? `${resolve(url)} ${descriptor.trim()}` : resolve(url));
    }
  }
  properties.srcSet = candidates.join(', ');
}

/** A post's HTML as its feed item carries it: every URL absolute, or root-relative when the site has no `url`. */
export function feedItemHtml(html: string, { base, rootRelative }: FeedItemBase): string {
  const absolute = absolutizeHtml(html, base);
  return rootRelative ? absolute.replaceAll(`${unresolvedOrigin}/`, '/') : absolute;
}
