/**
 * Slugs for posts and tags: lowercase, readable, safe as a path segment, and distinct for tags that differ
 * only in punctuation that carries meaning (`C++` → `c-plus-plus`, `C#` → `c-sharp`, `Node.js` → `node-js`).
 * Letters outside ASCII stay (`日本語` → `日本語`, `レシピ` → `レシピ`); accents on Latin letters are dropped (`café` → `cafe`).
 */
const replacements: [RegExp, string][] = [
  [/\+/g, ' plus '],
  [/#/g, ' sharp '],
  [/&/g, ' and '],
  [/@/g, ' at '],
  [/%/g, ' percent '],
];

/**
 * Slugs already made, by text: tag names are slugified for every post that carries them, in every build of a dev
 * server. A pure function's results, so nothing is observable but the time; cleared when it grows large.
 */
const made = new Map<string, string>();

/** Turns free text into a URL slug; returns "" when nothing readable is left (e.g. only emoji). */
export function slugify(text: string): string {
  let slug = made.get(text);
  if (slug === undefined) {
    if (made.size >= 20_000) made.clear();
    slug = makeSlug(text);
    made.set(text, slug);
  }
  return slug;
}

function makeSlug(text: string): string {
  // ASCII text (most titles) needs none of unicodeSlug's steps: NFKD and NFC leave it as it is, it has no marks, and
  // its letters and digits are a-z and 0-9 once lowercased. The same slug, several times faster.
  return /^[\x00-\x7f]*$/.test(text) ? asciiSlug(text) : unicodeSlug(text);
}

/** The slug of ASCII text (unicodeSlug's, without its Unicode steps). */
export function asciiSlug(text: string): string {
  let s = text;
  for (const [re, word] of replacements) s = s.replace(re, word);
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** The slug of any text. */
export function unicodeSlug(text: string): string {
  // Accents go from Latin letters only (`café` → `cafe`): in other scripts a mark is part of the letter (`ピ` is
  // `ヒ` + a mark, Devanagari vowel signs are marks), so they stay, composed again (NFC) at the end.
  let s = text.normalize('NFKD').replace(/(\p{Script=Latin})\p{M}+/gu, '$1');
  for (const [re, word] of replacements) s = s.replace(re, word);
  return s
    .replace(/ß/g, 'ss')
    .toLowerCase()
    // A mark with no letter before it (an emoji's variation selector) is not kept on its own.
    .replace(/(?<![\p{L}\p{M}\p{N}])\p{M}+/gu, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .normalize('NFC');
}

/** A slug for text that slugify leaves empty: the code points in hex, so it stays unique and safe. */
export function fallbackSlug(text: string): string {
  return `u-${Array.from(text.trim(), (ch) => ch.codePointAt(0)!.toString(16)).join('-')}`;
}

/** Whether a front-matter value tries to leave its folder: `..` segments, slashes, backslashes. */
export function isUnsafePathSegment(text: string): boolean {
  return /[/\\]/.test(text) || /^\.+$/.test(text.trim()) || /[\u0000-\u001f]/.test(text);
}

/**
 * The most bytes (UTF-8) a slug may have. A slug is a folder name in the output, and file systems allow 255 bytes
 * a name; the rest is room for the writer's temporary names.
 */
export const maxSlugBytes = 200;

/** Why `slug` cannot be a folder name of the output (too long), or undefined when it can. */
export function slugLengthProblem(slug: string): string | undefined {
  const bytes = Buffer.byteLength(slug);
  return bytes > maxSlugBytes ? `its slug is ${bytes} bytes long, and a folder name of the site may have at most ${maxSlugBytes}` : undefined;
}

/** Why `tag` cannot name a tag page (a path, or a slug too long for a folder name), as `SlugUnsafe` values, or undefined. */
export function tagProblem(tag: string): { problem: 'tag-path'; tag: string } | { problem: 'tag-too-long'; tag: string; reason: string } | undefined {
  if (/(^|[/\\])\.\.([/\\]|$)/.test(tag) || /^[/\\]/.test(tag)) return { problem: 'tag-path', tag };
  const tooLong = slugLengthProblem(slugify(tag) || fallbackSlug(tag));
  return tooLong ? { problem: 'tag-too-long', tag, reason: tooLong } : undefined;
}
