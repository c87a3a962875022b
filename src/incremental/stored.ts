import { createHash } from 'node:crypto';
import type { ValidatedConfigs } from '../config/load.js';
import type { VerifiedTemplates } from '../render/templates.js';
import type { LoadedPages } from '../content/load-pages.js';
import type { FeedHtmlMemo } from '../site/feed.js';
import type { RenderedPost } from '../site/model.js';
import { statSignature, type SourceMemo, type SourceStat } from '../content/read-source.js';
import type { LoadedPost, PostMemo } from '../content/load-posts.js';
import type { PageHashes, PageMemo, RememberedPage } from '../render/render-pages.js';
import type { Theme, ThemeMemo } from '../render/templates.js';
import type { MarkdownTooComplexError } from '../markdown/markdown-limits.js';
import type { MarkdownMemos, MarkdownSlots, TooComplexMemo } from '../markdown/markdown-stage.js';
import { memo, recall, remember, type Codec } from './memo.js';
import { StoredText, type Store } from './store.js';
import type { DeferredText } from '../content/lazy-text.js';

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
    memo: (key, compute) => memo<DeferredText | Promise<DeferredText>>(store, 'feed-html', key, compute, { encode: (html) => new StoredText(html), decode: deferredHtml }),
  };
}

/** A SHA-1 in hex, as stored; anything else is a miss. */
const hashCodec: Codec<string> = { encode: (hash) => hash, decode: (stored) => (typeof stored === 'string' && stored.length === 40 ? stored : undefined) };

/**
 * What each page rendered to (the SHA-1 of its bytes) by its render key, a hash of everything it is made from
 * (render/render-pages.ts): a page whose key is known is not rendered unless the writer needs its bytes.
 */
export function storedPageHashes(store: Store): PageHashes {
  return {
    recall: (key) => recall(store, 'page-hashes', key, hashCodec),
    remember: (key, hash) => remember(store, 'page-hashes', key, hash, hashCodec),
  };
}

/** Every page's render key by output path, under the site fingerprint they were computed for (see build-files.ts). */
export function storedRouteKeys(store: Store, siteKey: string) {
  const codec: Codec<Record<string, string>> = { encode: (keys) => keys, decode: (stored) => (typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, string>) : undefined) };
  return {
    recall: () => recall(store, 'route-keys', siteKey, codec),
    remember: (keys: Record<string, string>) => remember(store, 'route-keys', siteKey, keys, codec),
  };
}

// The dev server's memory of earlier builds: namespaces of its memory store, whose values stay the objects they
// were (a memory store keeps values as they are), so an unchanged post is the same object build after build and
// later memos (rendered posts, HTML keys, page keys) can key on it. Never layered over the disk store: these values
// are not JSON.

/** Source texts by path and stat (content/read-source.ts). */
export function rememberedSources(store: Store): SourceMemo {
  const keyOf = (file: string, stat: SourceStat) => `${file}\0${statSignature(stat)}`;
  return {
    recall: (file, stat) => recall<string>(store, 'source-texts', keyOf(file, stat)),
    remember: (file, stat, text) => remember(store, 'source-texts', keyOf(file, stat), text, undefined),
  };
}

/** Loaded posts by source path and inputs, a hit only for the same text (content/load-posts.ts). */
export function rememberedPosts(store: Store): PostMemo {
  return {
    memo(source, inputs, load) {
      const codec: Codec<LoadedPost> = {
        encode: (result) => ({ text: source.text, result }),
        decode: (stored) => ((stored as { text: string }).text === source.text ? (stored as { result: LoadedPost }).result : undefined),
      };
      return memo(store, 'loaded-posts', `${source.path}\0${inputs}`, load, codec);
    },
  };
}

/** A namespace's values by key, as they are: the memory store keeps objects, so no codec. */
function inMemory<T>(store: Store, namespace: string): { recall(key: string): T | undefined; remember(key: string, value: T): void } {
  return {
    recall: (key) => recall<T>(store, namespace, key),
    remember: (key, value) => remember(store, namespace, key, value, undefined),
  };
}

/** Rendered markdown of this process's builds by body text (markdown/render-markdown.ts). */
export const rememberedMarkdown = (store: Store): MarkdownMemos => inMemory<MarkdownSlots>(store, 'markdown-memo');

/** Bodies this process's builds found beyond a markdown limit, by body text (markdown/render-markdown.ts). */
export const rememberedTooComplex = (store: Store): TooComplexMemo => inMemory<MarkdownTooComplexError>(store, 'markdown-too-complex');

/** Compiled themes by their files' key (render/templates.ts). */
export const rememberedThemes = (store: Store): ThemeMemo => inMemory<Theme>(store, 'theme');

/** Rendered pages by output path, with their keys and the objects they were made from (render/render-pages.ts). */
export const rememberedPages = (store: Store): PageMemo => inMemory<RememberedPage>(store, 'page-memo');

/** A feed item's HTML as stored (a {@link StoredText}, perhaps not read yet), or a string (a memory store keeps values as they are). */
function deferredHtml(stored: unknown): DeferredText | undefined {
  return stored instanceof StoredText ? stored.deferred : typeof stored === 'string' ? stored : undefined;
}
