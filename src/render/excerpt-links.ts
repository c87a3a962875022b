import type { Root } from 'hast';
import { createRequire } from 'node:module';
import type * as FromHtml from 'hast-util-from-html';
import type * as ToHtml from 'hast-util-to-html';
import type * as Visit from 'unist-util-visit';
import { resolveSrcset } from '../site/srcset.js';
import { unresolvedOrigin } from '../site/urls.js';

/**
 * The HTML parser and serializer, loaded (synchronously: pages render in a synchronous writer) by the first excerpt
 * with a page-relative URL: most excerpts have none, and a build that renders no list page never loads parse5.
 * Required as written here so that scripts/bundle.js gives each its one-file bundle (see lazyRequire there).
 */
let tools: { fromHtml: typeof FromHtml.fromHtml; toHtml: typeof ToHtml.toHtml; visit: typeof Visit.visit } | undefined;
function htmlTools(): NonNullable<typeof tools> {
  tools ??= {
    fromHtml: (createRequire(import.meta.url)('hast-util-from-html') as typeof FromHtml).fromHtml,
    toHtml: (createRequire(import.meta.url)('hast-util-to-html') as typeof ToHtml).toHtml,
    visit: (createRequire(import.meta.url)('unist-util-visit') as typeof Visit).visit,
  };
  return tools;
}

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
  const { fromHtml, toHtml, visit } = htmlTools();
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
