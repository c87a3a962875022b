import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { MarkdownResult } from '../markdown/render-job.js';
import type { ForeignTag } from '../markdown/remark-foreign-syntax.js';
import type { ImageRecord } from '../markdown/image-files.js';
import type { FilteredTag } from '../markdown/remark-tagfilter.js';
import type { Post } from '../site/model.js';
import type { BodyDigests } from './body-digest.js';
import { defineLazyText, lazyTextOf, packFile, textOf, unpackFile, writeFileAtomic, type LazyText } from './packed.js';

/**
 * The persistent markdown cache: each post's rendered body (html, excerpt, word count) keyed by a hash of its
 * markdown and of everything that shapes the HTML (markdown options, blogbuild version, the markdown code and
 * plugin versions). Page rendering is never cached, so templates and the rest of the config cannot go stale.
 *
 * One packed file, `markdown-v1.cache` (see packed.ts): a header line `blogbuild-cache 3 <crc32> <bytes>`, then
 * `{ salt, entries: { key: [html blob, excerpt, wordCount, filteredTags?, images?] } }` as JSON and the HTML
 * as raw UTF-8. Reading 10,000 entries is one read and one small JSON.parse; an entry's HTML is decoded only if
 * the build reads it (a page to render), and written back as the same bytes. A file whose length, checksum, JSON,
 * salt or entry shapes are wrong is ignored as a whole.
 */
export interface MarkdownCache {
  /**
   * The key of a post's body (and whether its title heading is dropped) under this cache's salt, with the URLs of
   * the posts it links to by file, which its HTML holds.
   */
  postKey(post: Post, postLinks?: Record<string, string>): string;
  /** The key of a body given by its SHA-1 hex digest (a page's), under this cache's salt. */
  key(bodyDigest: string, stripTitleHeading: boolean): string;
  /** A cached result, or undefined. Its `html` is decoded from the file only when first read. */
  get(key: string): MarkdownResult | undefined;
  /** Records a result for this build. */
  set(key: string, result: MarkdownResult): void;
  /**
   * Marks a result this process already holds (from an earlier build) as used by this build, so it is saved:
   * a lookup without the lookup. Changes the file only if the entry was not in it.
   */
  keep(key: string, result: MarkdownResult): void;
  /** Writes the entries used by this build (and only those), when anything changed. Never throws. */
  save(): Promise<void>;
  /** How the cache was found: `hit` counts lookups served, `ignored` says why a file was rejected. */
  readonly stats: { loaded: number; hits: number; misses: number; ignored?: string; saved: boolean };
}

/** Options for {@link openMarkdownCache}. */
export interface MarkdownCacheOptions {
  /** Folder holding the cache file. */
  dir: string;
  /** Everything besides the body that shapes the output: options, versions. Part of every key. */
  salt: string;
  /**
   * Where a process that opens the cache again and again (the dev server) keeps the entries of the file it read or
   * wrote last, so an unchanged file is not read and parsed again. @default undefined (read the file every time)
   */
  lastRead?: LastRead;
  /** The digests of the posts' bodies (the post cache records those it knows). */
  digests: BodyDigests;
}

/**
 * The entries of the cache file a process read or wrote last, with the file's path, size, mtime and inode then.
 * Entries are never mutated once stored. Create one with `{}`.
 */
export interface LastRead {
  file?: { path: string; signature: string; saltHash: string; entries: Record<string, Entry> };
}

const fileName = 'markdown-v1.cache';
const magic = 'blogbuild-cache 5';

type Entry = [html: LazyText, excerpt: string, wordCount: number, filteredTags?: FilteredTag[] | 0, extra?: Extra];

/** The rarer parts of a result, in one object so that an entry without them stays three items long. */
type Extra = Pick<MarkdownResult, 'unknownLanguages' | 'headings' | 'excerptHtml' | 'foreignTags' | 'images' | 'droppedUrls' | 'firstImageLoading'>;

/** Opens (reads) the cache; a missing, truncated or corrupted file gives an empty cache. */
export async function openMarkdownCache(options: MarkdownCacheOptions): Promise<MarkdownCache> {
  const file = path.join(options.dir, fileName);
  const stats: MarkdownCache['stats'] = { loaded: 0, hits: 0, misses: 0, saved: false };
  const saltHash = sha1(options.salt);
  let previous: Record<string, Entry> = Object.create(null);
  try {
    const signature = await fileSignature(file);
    const lastRead = options.lastRead;
    const remembered = lastRead?.file?.path === file ? lastRead.file : undefined;
    if (remembered && signature !== undefined && remembered.signature === signature && remembered.saltHash === saltHash) {
      // The file this process read or wrote last, unchanged since (the dev server rebuilds in one process).
      previous = remembered.entries;
    } else {
      const read = parseCacheFile(await fs.readFile(file), saltHash);
      if ('reason' in read) stats.ignored = read.reason;
      else {
        previous = read.entries;
        if (signature !== undefined && lastRead) lastRead.file = { path: file, signature, saltHash, ...read };
      }
    }
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') stats.ignored = `unreadable: ${(cause as Error).message}`;
  }
  stats.loaded = Object.keys(previous).length;

  const used = new Map<string, Entry>();
  let isChanged = Boolean(stats.ignored);
  const keyOf = (bodyDigest: string, stripTitleHeading: boolean) => sha1(`${saltHash}\0${stripTitleHeading ? 1 : 0}\0${bodyDigest}`);
  return {
    stats,
    postKey(post, postLinks) {
      const digest = postLinks ? sha1(`${options.digests.of(post)}${JSON.stringify(postLinks)}`) : options.digests.of(post);
      return keyOf(digest, post.dropsTitleHeading);
    },
    key: keyOf,
    get(key) {
      const entry = used.get(key) ?? previous[key];
      if (!entry) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      used.set(key, entry);
      return resultOf(entry);
    },
    set(key, result) {
      used.set(key, entryOf(lazyTextOf(result, 'html'), result));
      isChanged = true;
    },
    keep(key, result) {
      stats.hits++;
      if (used.has(key)) return;
      const entry = previous[key];
      // The result usually came from this very entry (the same bytes, or the same string): compared without
      // decoding, which on every dev-server rebuild would decode every post's HTML.
      const html = lazyTextOf(result, 'html');
      if (entry && entry[1] === result.excerpt && entry[2] === result.wordCount && (entry[0] === html || textOf(entry[0]) === textOf(html))) used.set(key, entry);
      else {
        used.set(key, entryOf(html, result));
        isChanged = true;
      }
    },
    async save() {
      // Entries of posts no longer built are dropped, so the file does not grow forever.
      if (!isChanged && used.size === stats.loaded) return;
      try {
        writeFileAtomic(file, serialize(saltHash, used));
        stats.saved = true;
        const signature = await fileSignature(file);
        const lastRead = options.lastRead;
        if (lastRead) {
          lastRead.file = signature === undefined ? undefined : {
            path: file,
            signature,
            saltHash,
            entries: Object.assign(Object.create(null), Object.fromEntries(used)) as Record<string, Entry>,
          };
        }
      } catch {
        // A cache that cannot be written only makes the next build slower.
      }
    },
  };
}

/** An entry as a result, its HTML decoded when first read. */
function resultOf(entry: Entry): MarkdownResult {
  const result = defineLazyText({} as MarkdownResult, 'html', entry[0]);
  result.excerpt = entry[1];
  result.wordCount = entry[2];
  if (entry[3]) result.filteredTags = entry[3];
  if (entry[4]) Object.assign(result, entry[4]);
  return result;
}

/** A result as an entry; the tag filter's finds and the extras only when there are some (most posts have none). */
function entryOf(html: LazyText, result: MarkdownResult): Entry {
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

async function fileSignature(file: string): Promise<string | undefined> {
  try {
    const s = await fs.stat(file, { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ino}`;
  } catch {
    // A file that cannot be stat'ed has no fingerprint: the cache is treated as missing.
    return undefined;
  }
}

/** The cache file: entries' HTML as raw UTF-8 blobs (see packed.ts), the rest as JSON. */
function serialize(saltHash: string, entries: Map<string, Entry>): Uint8Array[] {
  const blobs: LazyText[] = [];
  const packedEntries: Record<string, unknown[]> = {};
  for (const [key, entry] of entries) {
    const blob = blobs.push(entry[0]) - 1;
    packedEntries[key] = [blob, ...entry.slice(1)];
  }
  return packFile(magic, { salt: saltHash, entries: packedEntries }, blobs);
}

/** Validates a cache file: header, length, checksum, JSON, salt and the shape of every entry. */
export function parseCacheFile(bytes: Buffer, saltHash: string): { entries: Record<string, Entry> } | { reason: string } {
  const file = unpackFile(bytes, magic);
  if ('reason' in file) return file;
  const data = file.data;
  if (!isRecord(data) || !isRecord(data.entries)) return { reason: 'invalid structure' };
  if (data.salt !== saltHash) return { reason: 'made by another version or other markdown options' };
  const isBlob = (i: unknown): i is number => Number.isInteger(i) && (i as number) >= 0 && (i as number) < file.blobCount;
  const raw = data.entries as Record<string, unknown>;
  const entries: Record<string, Entry> = Object.create(null);
  for (const key in raw) {
    const e = raw[key];
    if (!Array.isArray(e) || !hasValidTail(e) || !isBlob(e[0]) || typeof e[1] !== 'string' || !Number.isInteger(e[2])) {
      return { reason: `invalid entry ${key}` };
    }
    entries[key] = [file.blob(e[0]), ...(e.slice(1) as [string, number])];
  }
  return { entries };
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
