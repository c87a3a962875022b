import { keyAliases } from '../content/front-matter-keys.js';
import { canonicalDate, fileNameDate } from './canonical-dates.js';
import type { ReportItem, SourcePost } from './model.js';

/** Keys read into canonical ones, or meaningful only to the source generator: not passed on. */
const consumed = new Set([
  'title', 'date', 'pubDate', 'publishDate', 'pubDatetime', 'updated', 'lastmod', 'updatedDate', 'modified', 'last_modified_at',
  'tags', 'categories', 'category', 'author', 'authors', 'description', 'summary', 'excerpt', 'image', 'imageAlt', 'cover',
  'heroImage', 'heroImageAlt', 'coverImage', 'coverImageAlt', 'draft', 'published', 'slug', 'aliases', 'redirect_from',
  'layout', 'permalink', 'type', 'url', 'eleventyExcludeFromCollections', 'eleventyNavigation', 'weight',
]);

/** The canonical front matter of a post, in the order blogbuild's README lists the keys. */
export interface CanonicalPost {
  data: Record<string, unknown>;
  changes: ReportItem[];
  unconverted: ReportItem[];
}

/** Converts a source post's front matter to blogbuild's keys; `aliases` are the old URLs to keep working. */
export function canonicalFrontMatter(post: SourcePost, timeZone: string, aliases: string[]): CanonicalPost {
  const d = post.data;
  const changes: ReportItem[] = [];
  const unconverted: ReportItem[] = [];
  const change = (kind: string, detail?: string) => changes.push({ kind, file: post.rel, line: 1, detail });
  const out: Record<string, unknown> = {};

  if (typeof d.title === 'string' || typeof d.title === 'number') out.title = String(d.title);
  // The same keys, in the same order of preference, as the build reads (content/front-matter-keys.ts).
  const dateKey = keyAliases.date.find((key) => d[key] !== undefined);
  const date = dateKey ? canonicalDate(d[dateKey], timeZone) : fileNameDate(post.name);
  if (date) {
    out.date = date;
    if (!dateKey) change('date from the file name');
    else if (dateKey !== 'date') change(`${dateKey} → date`);
    else if (date !== String(d.date).trim()) change('date rewritten as ISO', `${String(d.date)} → ${date}`);
  } else {
    unconverted.push({ kind: 'date', file: post.rel, line: 1, detail: dateKey ? `${dateKey}: ${JSON.stringify(d[dateKey])} is not a date blogbuild reads; write YYYY-MM-DD` : 'no date; add `date: YYYY-MM-DD`' });
  }
  const author = authorOf(d.author ?? d.authors);
  if (author) {
    out.author = author.name;
    if (author.isChanged) change('author list → author', author.name);
  }
  const tags = [...listOf(d.tags, 'tags'), ...listOf(d.categories ?? d.category, 'categories')];
  const uniqueTags = [...new Map(tags.map((tag) => [tag.toLowerCase(), tag])).values()];
  if (uniqueTags.length > 0) out.tags = uniqueTags;
  if (d.categories !== undefined || d.category !== undefined) change('categories → tags');
  if (typeof d.tags === 'string' && !d.tags.includes(',') && d.tags.includes(' ')) change('space-separated tags → list');

  const descriptionKey = keyAliases.description.find((key) => typeof d[key] === 'string');
  if (descriptionKey) {
    out.description = (d[descriptionKey] as string).trim();
    if (descriptionKey !== 'description') change(`${descriptionKey} → description`);
  }
  const updatedKey = keyAliases.updated.find((key) => d[key] !== undefined);
  if (updatedKey) {
    const updated = canonicalDate(d[updatedKey], timeZone);
    if (updated) out.updated = updated;
    else unconverted.push({ kind: 'updated', file: post.rel, line: 1, detail: `${updatedKey}: ${JSON.stringify(d[updatedKey])} is not a date` });
    if (updated && updatedKey !== 'updated') change(`${updatedKey} → updated`);
  }
  const image = imageOf(d);
  if (image) {
    out.image = image.src;
    if (image.alt) out.imageAlt = image.alt;
    if (image.key !== 'image') change(`${image.key} → image`);
    else if (typeof d.image !== 'string') change('image object → image + imageAlt');
  }
  if (d.draft === true || d.published === false || post.isDraftFolder) {
    out.draft = true;
    if (d.draft !== true) change(d.published === false ? 'published: false → draft' : 'drafts folder → draft');
  }
  if (typeof d.slug === 'string') out.slug = d.slug;
  const oldAliases = [...listOf(d.aliases, 'aliases'), ...listOf(d.redirect_from, 'aliases')];
  const allAliases = [...new Set([...aliases, ...oldAliases])];
  if (allAliases.length > 0) out.aliases = allAliases;
  for (const [key, value] of Object.entries(d)) if (!consumed.has(key) && !(key in out)) out[key] = value;
  return { data: out, changes, unconverted };
}

function listOf(value: unknown, kind: 'tags' | 'categories' | 'aliases'): string[] {
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => String(v).trim()).filter(Boolean);
  if (typeof value !== 'string') return [];
  // Jekyll writes `tags: a b c` and `categories: a b`; a comma means a comma-separated list.
  const parts = value.includes(',') || kind === 'aliases' ? value.split(',') : value.split(/\s+/);
  return parts.map((part) => part.trim()).filter(Boolean);
}

function authorOf(value: unknown): { name: string; isChanged: boolean } | undefined {
  if (typeof value === 'string' && value.trim()) return { name: value.trim(), isChanged: false };
  const names = (Array.isArray(value) ? value : [value])
    .map((v) => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : ''))
    .filter(Boolean);
  return names.length > 0 ? { name: names.join(', '), isChanged: true } : undefined;
}

function imageOf(d: Record<string, unknown>): { key: string; src: string; alt?: string } | undefined {
  const alt = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  for (const key of ['image', 'cover', 'heroImage', 'coverImage']) {
    const value = d[key];
    if (typeof value === 'string' && value) return { key, src: value, alt: alt(d[`${key}Alt`]) ?? alt(d.imageAlt) };
    if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      const src = [o.url, o.src, o.path, o.image].find((v) => typeof v === 'string' && v) as string | undefined;
      if (src) return { key: key === 'cover' ? 'cover.image' : key, src, alt: alt(o.alt) ?? alt(d.imageAlt) };
    }
  }
  return undefined;
}
