/**
 * Front-matter keys of other generators (Jekyll, Hugo, Eleventy, Astro), read as blogbuild's own, so their posts
 * build as they are. The README's "Front matter" table lists each; `blogbuild import` writes the canonical keys.
 */

/** The keys read as each canonical key, in the order the README lists them. */
export const keyAliases = {
  date: ['date', 'pubDate', 'publishDate', 'pubDatetime'],
  updated: ['updated', 'lastmod', 'updatedDate', 'modified', 'last_modified_at'],
  description: ['description', 'summary', 'excerpt'],
  author: ['author', 'authors'],
  image: ['image', 'cover', 'heroImage', 'coverImage'],
  draft: ['draft', 'published'],
} as const satisfies Record<string, readonly string[]>;

/** Keys merged into `tags`: Jekyll's and Hugo's categories are tags here. */
export const tagKeys = ['tags', 'categories', 'category'] as const;

type Canonical = keyof typeof keyAliases;

/** The front matter with other generators' keys read as canonical ones. */
export interface CanonicalFrontMatter {
  /** Values by canonical key (`image` is its URL, `imageAlt` its alt text when an image object gave one). */
  data: Record<string, unknown>;
  /** The key each canonical value was written as (for messages and positions): `keyOf.date` may be `pubDate`. */
  keyOf: Record<string, string>;
  /** Two keys given for one meaning: the post is in error. */
  conflicts: { key: string; other: string; meaning: string }[];
  /** Image objects naming no picture (no `url`, `src` or `image`), by the key written. */
  problems: { key: string }[];
}

const meanings: Record<Canonical, string> = {
  date: "the post's date", updated: 'the date of its last update', description: 'its description', author: 'its author',
  image: 'its cover image', draft: 'whether it is a draft',
};

/** Reads the aliases in `data` as canonical keys; the rest of `data` is left as it is (see {@link isConsumedKey}). */
export function canonicalKeys(data: Record<string, unknown>): CanonicalFrontMatter {
  const out: CanonicalFrontMatter = { data: {}, keyOf: {}, conflicts: [], problems: [] };
  for (const canonical of Object.keys(keyAliases) as Canonical[]) {
    const given = keyAliases[canonical].filter((key) => data[key] !== undefined && data[key] !== null && data[key] !== '');
    if (given.length === 0) continue;
    for (const other of given.slice(1)) out.conflicts.push({ key: given[0], other, meaning: meanings[canonical] });
    const key = given[0];
    out.keyOf[canonical] = key;
    out.data[canonical] = key === 'published' ? invertBoolean(data[key]) : data[key];
  }
  if (out.keyOf.image) readImage(data, out);
  const tags = tagKeys.filter((key) => data[key] !== undefined && data[key] !== null);
  if (tags.length > 0) readTags(data, tags, out);
  return out;
}

/**
 * `tags`, `categories` and `category` as one list of names. A string is comma-separated, or, with no comma, Jekyll's
 * space-separated list (`tags: bread baking`). A value that is no list of names is left for the tags check to report.
 */
function readTags(data: Record<string, unknown>, keys: string[], out: CanonicalFrontMatter): void {
  const names: unknown[] = [];
  for (const key of keys) {
    const value = data[key];
    if (typeof value === 'string') names.push(...(value.includes(',') ? value.split(',') : value.split(/\s+/)));
    else if (Array.isArray(value)) names.push(...value);
    else {
      out.keyOf.tags = key;
      out.data.tags = value;
      return;
    }
  }
  out.keyOf.tags = keys[0];
  out.data.tags = names;
}

/** Whether `key` is read into a canonical key, so it is not also passed to templates as `post.data`. */
export function isConsumedKey(key: string): boolean {
  return consumed.has(key);
}

const consumed = new Set<string>([...Object.values(keyAliases).flat(), ...tagKeys, 'imageAlt']);

/** `published: false` is `draft: true`; other values stay as written, for the draft check to report. */
function invertBoolean(value: unknown): unknown {
  if (value === true || value === 'true') return false;
  if (value === false || value === 'false') return true;
  return value;
}

/** An image written as an object (`{ url|src, alt }`, PaperMod's `cover: { image, alt }`) → `image` + `imageAlt`. */
function readImage(data: Record<string, unknown>, out: CanonicalFrontMatter): void {
  const key = out.keyOf.image;
  const value = out.data.image;
  const alt = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  let imageAlt = alt(data.imageAlt) ?? alt(data[`${key}Alt`]);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const src = [o.url, o.src, o.image, o.path].find((v) => typeof v === 'string' && v.trim());
    if (src === undefined) {
      out.problems.push({ key });
      delete out.data.image;
      return;
    }
    out.data.image = (src as string).trim();
    imageAlt ??= alt(o.alt);
  }
  if (imageAlt !== undefined) out.data.imageAlt = imageAlt;
}
