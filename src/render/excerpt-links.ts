import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import { resolveSrcset } from '../site/absolute-urls.js';
import { unresolvedOrigin } from '../site/urls.js';

const single = ['href', 'src', 'poster', 'cite', 'action'] as const;

/** A URL attribute whose value is relative to its page: not `scheme:`, not `/…` or `//…` (root-relative ones have the base path already). */
const hasPageRelative = /\s(?:href|src|srcset|poster|cite|action)="(?![a-z][a-z0-9+.-]*:|\/)/i;

/**
 * A post's `<!-- more -->` excerpt as a list page shows it: each URL written relative to the post's page
 * (`photo.png`, `../other/`, `#section`) becomes root-relative to where it points from the post (`postUrl`, the
 * post's site-root-relative URL, base path included), so the excerpt's links and images work on `/`, `/page/2/`
 * and tag pages too. Absolute and root-relative URLs are left as written; an excerpt without relative URLs is
 * returned as it is.
 */
export function resolveExcerptLinks(html: string, postUrl: string): string {
  if (!hasPageRelative.test(html)) return html;
  const base = `${unresolvedOrigin}${postUrl}`;
  const resolve = (value: string): string => {
    const trimmed = value.trim();
    if (/^[a-z][a-z0-9+.-]*:|^\//i.test(trimmed)) return value;
    try {
      const url = new URL(trimmed, base);
      return url.origin === unresolvedOrigin ? `${url.pathname}${url.search}${url.hash}` : url.href;
    } catch {
      // A link that is not a URL is left as the author wrote it.
      return value;
    }
  };
  const tree = fromHtml(html, { fragment: true }) as Root;
  visit(tree, 'element', (node) => {
    for (const attribute of single) {
      const value = node.properties[attribute];
      if (typeof value === 'string') node.properties[attribute] = resolve(value);
    }
    resolveSrcset(node.properties, resolve);
  });
  return toHtml(tree);
}
