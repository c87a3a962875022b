import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { memo, type Codec } from '../incremental/memo.js';
import { StoredText, type Store } from '../incremental/store.js';
import type { MarkdownResult } from '../markdown/render-job.js';
import type { StoredMarkdown } from '../markdown/render-markdown.js';
import type { ImageRecord } from '../markdown/image-files.js';
import type { FilteredTag } from '../markdown/remark-tagfilter.js';
import type { BodyDigests } from './body-digest.js';
import { defineLazyText, deferredTextOf, type DeferredText } from '../content/lazy-text.js';

/**
 * The persistent markdown cache: each post's rendered body (html, excerpt, word count…) in the store's `markdown`
 * namespace, keyed by a hash of its markdown and of everything that shapes the HTML (markdown options, blogbuild
 * version, the markdown code and plugin versions). Page rendering is never cached here, so templates and the rest
 * of the config cannot go stale. The HTML is a {@link StoredText}: decoded only if the build reads it (a page to
 * render), and written back as the same bytes. An entry of the wrong shape is a miss.
 */
export type MarkdownCache = StoredMarkdown;

/** Options for {@link markdownCache}. */
export interface MarkdownCacheOptions {
  /** Everything besides the body that shapes the output: options, versions. Part of every key. */
  salt: string;
  /** The digests of the posts' bodies (the post cache records those it knows). */
  digests: BodyDigests;
}

const namespace = 'markdown';

type Entry = [html: StoredText, excerpt: string, wordCount: number, filteredTags?: FilteredTag[] | 0, extra?: Extra];

/** The rarer parts of a result, in one object so that an entry without them stays three items long. */
type Extra = Pick<MarkdownResult, 'unknownLanguages' | 'headings' | 'excerptHtml' | 'foreignTags' | 'images' | 'droppedUrls' | 'firstImageLoading'>;

/** The markdown cache over a store (the cache folder's). */
export function markdownCache(store: Store, options: MarkdownCacheOptions): MarkdownCache {
  const saltHash = sha1(options.salt);
  const keyOf = (bodyDigest: string, stripTitleHeading: boolean) => sha1(`${saltHash}\0${stripTitleHeading ? 1 : 0}\0${bodyDigest}`);
  return {
    postKey(post, postLinks) {
      const digest = postLinks ? sha1(`${options.digests.of(post)}${JSON.stringify(postLinks)}`) : options.digests.of(post);
      return keyOf(digest, post.dropsTitleHeading);
    },
    key: keyOf,
    memo(key, render, isCurrent) {
      const codec: Codec<MarkdownResult> = {
        encode: (result) => entryOf(deferredTextOf(result, 'html'), result),
        decode(entry) {
          const result = isEntry(entry) ? resultOf(entry) : undefined;
          return result && (!isCurrent || isCurrent(result)) ? result : undefined;
        },
      };
      // A promise's result is encoded when it resolves (see memo).
      return memo(store, namespace, key, render as () => MarkdownResult, codec);
    },
  };
}

/** An entry as a result, its HTML decoded when first read. */
function resultOf(entry: Entry): MarkdownResult {
  const result = defineLazyText({} as MarkdownResult, 'html', entry[0].deferred);
  result.excerpt = entry[1];
  result.wordCount = entry[2];
  if (entry[3]) result.filteredTags = entry[3];
  if (entry[4]) Object.assign(result, entry[4]);
  return result;
}

/** A result as an entry; the tag filter's finds and the extras only when there are some (most posts have none). */
function entryOf(text: DeferredText, result: MarkdownResult): Entry {
  const html = new StoredText(text);
  const extra: Extra = {};
  if (result.unknownLanguages) extra.unknownLanguages = result.unknownLanguages;
  if (result.headings) extra.headings = result.headings;
  if (result.excerptHtml) extra.excerptHtml = result.excerptHtml;
  if (result.foreignTags) extra.foreignTags = result.foreignTags;
  if (result.images) extra.images = result.images;
  if (result.droppedUrls) extra.droppedUrls = result.droppedUrls;
  if (result.firstImageLoading) extra.firstImageLoading = result.firstImageLoading;
  if (Object.keys(extra).length > 0) return [html, result.excerpt, result.wordCount, result.filteredTags ?? 0, extra];
  return result.filteredTags ? [html, result.excerpt, result.wordCount, result.filteredTags] : [html, result.excerpt, result.wordCount];
}

/** Whether a stored value is an entry: the HTML, excerpt and word count, then the optional items. */
function isEntry(e: unknown): e is Entry {
  return Array.isArray(e) && e[0] instanceof StoredText && typeof e[1] === 'string' && Number.isInteger(e[2]) && hasValidTail(e);
}

/** Where the writer's manifest of `outDir` lives in the cache folder (see fsWriter's `manifest`). */
export function outputManifestPath(dir: string, outDir: string): string {
  return path.join(dir, `output-${sha1(outDir).slice(0, 12)}.manifest`);
}

/** Removes the cache folder; `blogbuild clean`. */
export async function clearMarkdownCache(dir: string): Promise<boolean> {
  const existed = await fs.stat(dir).then(() => true, () => false);
  await fs.rm(dir, { recursive: true, force: true });
  return existed;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** An entry's optional items: the tag filter's finds, then (or after a 0 in their place) the extras. */
function hasValidTail(e: unknown[]): boolean {
  return e.length === 3 || (e.length === 4 && isFilteredTags(e[3])) || (e.length === 5 && (e[3] === 0 || isFilteredTags(e[3])) && isExtra(e[4]));
}

function isExtra(value: unknown): value is Extra {
  if (!isRecord(value)) return false;
  const { unknownLanguages, headings, excerptHtml, droppedUrls, images, firstImageLoading } = value;
  return (images === undefined || isImages(images)) && (firstImageLoading === undefined || firstImageLoading === 'eager' || firstImageLoading === 'lazy')
    && (unknownLanguages === undefined || (Array.isArray(unknownLanguages) && unknownLanguages.every((u) => isRecord(u) && typeof u.language === 'string' && Number.isInteger(u.line))))
    && (headings === undefined || (Array.isArray(headings) && headings.every((h) => isRecord(h) && Number.isInteger(h.depth) && typeof h.id === 'string' && typeof h.text === 'string')))
    && (excerptHtml === undefined || typeof excerptHtml === 'string')
    && (droppedUrls === undefined || (Array.isArray(droppedUrls) && droppedUrls.every((d) => isRecord(d) && typeof d.scheme === 'string' && typeof d.element === 'string' && Number.isInteger(d.line))));
}

function isFilteredTags(value: unknown): value is FilteredTag[] {
  return Array.isArray(value) && value.length > 0 && value.every((t) => isRecord(t) && typeof t.tag === 'string' && Number.isInteger(t.line)
    && (t.column === undefined || Number.isInteger(t.column)));
}

function isImages(value: unknown): value is ImageRecord[] {
  const isOptional = (v: unknown, type: string) => v === undefined || typeof v === type;
  return Array.isArray(value) && value.length > 0 && value.every((i) => isRecord(i) && typeof i.src === 'string' && isOptional(i.file, 'string')
    && isOptional(i.width, 'number') && isOptional(i.height, 'number') && (i.isMissing === undefined || i.isMissing === true)
    && isOptional(i.line, 'number') && isOptional(i.column, 'number') && isOptional(i.stat, 'string'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The cache folder of a blog: `cacheDir` resolved against the root, else `<root>/node_modules/.cache/blogbuild`. */
export function resolveCacheDir(root: string, cacheDir?: string): string {
  return path.resolve(root, cacheDir ?? path.join('node_modules', '.cache', 'blogbuild'));
}
