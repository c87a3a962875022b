import { createHash } from 'node:crypto';
import type { ValidatedConfigs } from '../config/load.js';
import type { VerifiedTemplates } from '../render/templates.js';
import type { LoadedPages } from '../content/load-pages.js';
import type { FeedHtmlMemo } from '../site/feed.js';
import type { RenderedPost } from '../site/model.js';
import { memo } from './memo.js';
import { StoredText, type Store } from './store.js';
import { textOf } from '../content/lazy-text.js';

/**
 * What the stages ask of earlier builds, kept in a {@link Store}. A stage declares the port it needs (its own
 * interface, in its own module) and never sees the store; `build()` hands it one of these.
 */

/** Validated JSON configs by a key of their text and --url (config/validate-config.ts). */
export function storedConfigs(store: Store): ValidatedConfigs {
  return { memo: (key, validate) => memo(store, 'config', key, validate) };
}

/**
 * Template file sets that compiled without errors (`templates`, by their paths and stats) and precompiled templates
 * (`template-code`, by a hash of the source) (render/templates.ts). A changed template set still revives its
 * unchanged sources' code.
 */
export function storedTemplates(store: Store): VerifiedTemplates {
  const isSpec = (stored: unknown) => (typeof stored === 'string' ? stored : undefined);
  return {
    memo: (key, compile) => memo(store, 'templates', key, compile, { encode: (isVerified) => isVerified, decode: (stored) => (stored === true ? true : undefined) }),
    spec: (hash, precompile) => memo(store, 'template-code', hash, precompile, { encode: (spec) => spec, decode: isSpec }),
  };
}

/** Pages loaded without a problem, by a hash of their text, path and permalink (content/load-pages.ts). */
export function storedPages(store: Store): LoadedPages {
  return { memo: (key, compute) => memo(store, 'pages', key, compute) };
}

/**
 * Feed items' absolute HTML by the post's HTML and the item's base URL (site/feed.ts). The HTML is named by its
 * markdown cache key when it has one (`htmlKeys`: a hash of everything it was rendered from), so a rebuild neither
 * decodes nor hashes the HTML of unchanged posts; else by a hash of the HTML itself.
 */
export function feedHtmlMemo(store: Store, htmlKeys: WeakMap<RenderedPost, string>): FeedHtmlMemo {
  return {
    key: (post, base) => {
      const htmlKey = htmlKeys.get(post);
      const hash = createHash('sha1').update(`feed-html\0${base}\0`);
      return (htmlKey === undefined ? hash.update('html\0').update(post.html) : hash.update('key\0').update(htmlKey)).digest('hex');
    },
    // Kept as raw UTF-8 (a StoredText), not as JSON strings: the items of 1,000 posts are ~3.6 MB of escaped HTML,
    // which every build parsed with the store's index.
    memo: (key, compute) => memo(store, 'feed-html', key, compute, { encode: (html) => new StoredText(html), decode: decodeHtml }),
  };
}

/** A feed item's HTML as stored: a {@link StoredText}, or a string (a memory store keeps values as they are). */
function decodeHtml(stored: unknown): string | undefined {
  return stored instanceof StoredText ? textOf(stored.text) : typeof stored === 'string' ? stored : undefined;
}
