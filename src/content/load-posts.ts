import path from 'node:path';
import type { PostMemo } from '../build-state.js';
import { defineLazyText } from '../cache/packed.js';
import type { PostCache } from '../cache/post-cache.js';
import type { ArgsOf, ErrorCode } from '../diagnostics/codes.js';
import { error, warning, type Diagnostic, type Location } from '../diagnostics/error.js';
import { findYamlKey, findYamlValue, offsetToPosition } from '../diagnostics/position.js';
import type { Post } from '../site/model.js';
import { parseAliases } from './aliases.js';
import { fileNameDate, parseDate, type PostDate } from './dates.js';
import { markdownExtension, type SourceFile } from './discover.js';
import { parseFrontMatter, type FrontMatter } from './front-matter.js';
import { canonicalKeys, isConsumedKey } from './front-matter-keys.js';
import { findPostLinks } from './post-links.js';
import { findUnprintable } from './printable.js';
import { fallbackSlug, isUnsafePathSegment, slugify, slugLengthProblem, tagProblem } from './slug.js';

/** Settings that validation needs. */
export interface LoadPostsOptions {
  timezone: string;
  /** Author for posts without one. */
  author: string;
}

const knownKeys = new Set(['title', 'slug', 'related']);

/**
 * Validates each source's front matter; every problem in every file is reported, not only the first. With `memo`
 * (posts loaded by earlier builds of this process, by source path), a source whose text, path, bundle and options
 * are those of its entry gives the same post object again; the memo is updated to hold exactly these sources.
 * Without `memo`, `postCache` (the persistent post cache) gives the posts of sources it knows.
 */
export function loadPosts(sources: SourceFile[], options: LoadPostsOptions, memo?: Map<string, PostMemo>, postCache?: PostCache): { posts: Post[]; diagnostics: Diagnostic[] } {
  const posts: Post[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = memo && new Set<string>();
  for (const source of sources) {
    let result: PostMemo['result'];
    // What besides its text a post is loaded from: both the memo and the post cache key entries by it.
    const inputs = memo || postCache ? JSON.stringify([source.relPath, source.bundleDir ?? null, source.assets, options.timezone, options.author]) : '';
    if (memo) {
      seen!.add(source.path);
      const known = memo.get(source.path);
      if (known && known.text === source.text && known.inputs === inputs) result = known.result;
      else {
        result = loadPost(source, options);
        memo.set(source.path, { text: source.text, inputs, result });
      }
    } else if (postCache) {
      // With the persistent post cache (and no memo): a source whose stat and inputs are unchanged is not parsed.
      const cached = postCache.get(source.path, inputs);
      if (cached) result = { post: cached, diagnostics: [] };
      else {
        try {
          result = loadPost(source, options);
          if ('post' in result && result.diagnostics.length === 0) postCache.set(source.path, inputs, result.post);
        } catch (cause) {
          // A source the cache knew by its stat but must load again (other options) is read only now.
          result = { diagnostics: [error('FileUnreadable', { reason: (cause as Error).message }, { file: source.path }, cause)] };
        }
      }
    } else result = loadPost(source, options);
    if ('post' in result) posts.push(result.post);
    diagnostics.push(...result.diagnostics);
  }
  if (memo) for (const file of memo.keys()) if (!seen!.has(file)) memo.delete(file);
  return { posts, diagnostics };
}

function loadPost(source: SourceFile, options: LoadPostsOptions): { post: Post; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] } {
  const text = source.text;
  const fm = parseFrontMatter(source.path, text);
  if ('code' in fm) return { diagnostics: [fm] };
  // Other generators' keys (`pubDate`, `lastmod`, `categories`…) are read as blogbuild's: see front-matter-keys.ts.
  const canonical = canonicalKeys(fm.data);
  const data = { ...fm.data, ...canonical.data };
  const keyOf = (key: string): string => canonical.keyOf[key] ?? key;
  const diagnostics: Diagnostic[] = [];
  const separator = fm.language === 'toml' ? '=' : ':';
  const at = (key: string): Location => {
    const found = findYamlKey(fm.yaml, key, fm.yamlStartLine, separator);
    return found ? { file: source.path, ...found } : { file: source.path, line: 1, column: 1 };
  };
  const fail = <C extends ErrorCode>(code: C, key: string, args: ArgsOf<C>) => {
    diagnostics.push(error(code, args, at(key)));
  };
  for (const { key, other, meaning } of canonical.conflicts) {
    fail('FrontMatterInvalid', other, { problem: 'conflict', key, other, meaning, keyLine: at(key).line ?? 1, otherLine: at(other).line ?? 1 });
  }
  for (const { key } of canonical.problems) fail('FrontMatterInvalid', key, { problem: 'image-object', key });

  // title
  let title = scalarText(data.title);
  let dropsTitleHeading = false;
  if (data.title !== undefined && data.title !== null && title === undefined) {
    fail('FrontMatterInvalid', 'title', { problem: 'not-text', key: 'title' });
  } else if (title) {
    // A body that opens by repeating the front-matter title as `# Title` would show it twice.
    const heading = firstHeading(fm);
    dropsTitleHeading = heading !== undefined && sameText(heading, title);
  } else {
    const heading = firstHeading(fm);
    if (heading) {
      title = heading;
      dropsTitleHeading = true;
    } else {
      diagnostics.push(error('TitleMissing', {}, { file: source.path, line: 1, column: 1 }));
    }
  }

  // date
  let date: PostDate | undefined;
  const baseName = source.bundleDir ? path.basename(source.bundleDir) : path.basename(source.path).replace(markdownExtension, '');
  // Jekyll's convention: `2024-01-31-title.md` is dated by its name.
  const namedDate = data.date === undefined ? fileNameDate(baseName) : undefined;
  if (namedDate) {
    const parsed = parseDate(namedDate, options.timezone);
    if (typeof parsed === 'string') diagnostics.push(error('DateInvalid', { reason: parsed }, { file: source.path, line: 1, column: 1 }));
    else date = parsed;
  } else if (data.date === undefined || data.date === null || data.date === '') {
    diagnostics.push(error('DateMissing', {}, data.date === undefined ? { file: source.path, line: 1, column: 1 } : at('date')));
  } else {
    const parsed = parseDate(data.date, options.timezone);
    if (typeof parsed === 'string') {
      fail('DateInvalid', keyOf('date'), { key: keyOf('date'), reason: parsed });
    } else date = parsed;
  }

  let updated: PostDate | undefined;
  if (data.updated !== undefined && data.updated !== null && data.updated !== '') {
    const parsed = parseDate(data.updated, options.timezone);
    if (typeof parsed === 'string') {
      fail('DateInvalid', keyOf('updated'), { key: keyOf('updated'), isUpdated: true, reason: parsed });
    } else updated = parsed;
  }

  // tags
  const tags = parseTags(data.tags);
  if (typeof tags === 'string') {
    fail('TagsInvalid', keyOf('tags'), { got: tags, key: keyOf('tags') });
  } else {
    for (const tag of tags) {
      const problem = tagProblem(tag);
      if (problem) {
        const found = findYamlValue(fm.yaml, keyOf('tags'), tag, fm.yamlStartLine, separator);
        diagnostics.push(error('SlugUnsafe', problem, found ? { file: source.path, ...found } : at(keyOf('tags'))));
      }
    }
  }

  // slug
  let slug: string | undefined;
  let slugLoc: Location | undefined;
  const rawSlug = scalarText(data.slug);
  if (data.slug !== undefined && data.slug !== null && rawSlug !== undefined) {
    if (isUnsafePathSegment(rawSlug)) {
      fail('SlugUnsafe', 'slug', { problem: 'slug-path', slug: rawSlug });
    } else {
      slug = slugify(rawSlug);
      slugLoc = at('slug');
      if (!slug) fail('FrontMatterInvalid', 'slug', { problem: 'slug-empty', slug: rawSlug });
    }
  } else if (data.slug !== undefined && data.slug !== null) {
    fail('FrontMatterInvalid', 'slug', { problem: 'not-text', key: 'slug' });
  }
  if (slug === undefined && rawSlug === undefined) {
    const base = baseName;
    const name = base.replace(/^\d{4}-\d{2}-\d{2}[-_]?/, '') || base;
    slug = slugify(name) || fallbackSlug(name);
  }
  const slugTooLong = slug && slugLengthProblem(slug);
  if (slugTooLong) {
    diagnostics.push(error('SlugUnsafe', { problem: 'url-too-long', reason: slugTooLong, isSlugSet: slugLoc !== undefined }, slugLoc ?? { file: source.path }));
  }

  // draft
  let isDraft = false;
  if (data.draft !== undefined && data.draft !== null) {
    if (typeof data.draft === 'boolean') isDraft = data.draft;
    else if (data.draft === 'true' || data.draft === 'false') isDraft = data.draft === 'true';
    else fail('FrontMatterInvalid', keyOf('draft'), { problem: 'not-boolean', key: keyOf('draft') });
  }

  // toc: stays in `data`, where the post page's table of contents reads it (render/context.ts)
  if (data.toc !== undefined && data.toc !== null && typeof data.toc !== 'boolean') {
    if (data.toc === 'true' || data.toc === 'false') data.toc = data.toc === 'true';
    else fail('FrontMatterInvalid', 'toc', { problem: 'not-boolean', key: 'toc' });
  }

  // read time
  let readTimeMinutes: number | undefined;
  if (data.readTime !== undefined) {
    const minutes = parseReadTime(data.readTime);
    if (minutes === undefined) {
      fail('FrontMatterInvalid', keyOf('readTime'), { problem: 'read-time', key: keyOf('readTime') });
    } else readTimeMinutes = minutes;
  }

  const textField = (key: string): string | undefined => {
    if (data[key] === undefined || data[key] === null) return undefined;
    const value = scalarText(data[key]);
    if (value === undefined) fail('FrontMatterInvalid', keyOf(key), { problem: 'not-text', key: keyOf(key) });
    return value;
  };
  const authors = parseAuthors(data.author, keyOf('author'), fail) ?? (options.author ? [options.author] : []);
  const author = authors[0] ?? '';
  const description = textField('description');
  const image = textField('image');
  let related: number | undefined;
  if (data.related !== undefined && data.related !== null) {
    if (data.related === false) related = 0;
    else if (typeof data.related === 'number' && Number.isInteger(data.related) && data.related >= 0) related = data.related;
    else fail('FrontMatterInvalid', 'related', { problem: 'related' });
  }

  const aliases = parseAliases(data.aliases);
  if ('problem' in aliases) fail('FrontMatterInvalid', 'aliases', { problem: 'aliases', reason: aliases.problem });

  const warnings = unprintableWarnings(fm, source.path, { title, author: authors.join(' '), description, image, tags: typeof tags === 'string' ? undefined : tags.join(' ') }, at);
  if (diagnostics.length > 0 || !title || !date || !slug || typeof tags === 'string') return { diagnostics: [...diagnostics, ...warnings] };
  diagnostics.push(...warnings);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fm.data)) if (!knownKeys.has(key) && !isConsumedKey(key)) extra[key] = value;
  if (typeof canonical.data.imageAlt === 'string') extra.imageAlt = canonical.data.imageAlt;
  const post: Omit<Post, 'body' | 'bodyStartLine' | 'bundleDir' | 'assets'> = {
    sourcePath: source.path,
    relPath: source.relPath,
    slug,
    slugLoc,
    title,
    dropsTitleHeading,
    date,
    updated,
    author,
    authors,
    tags,
    readTimeMinutes,
    description: description || undefined,
    isDraft,
    image: image || undefined,
    imageLoc: image ? at('image') : undefined,
    related,
    data: extra,
  };
  // A body read as bytes stays bytes (see defineLazyText): a string of every post, kept by the build from here
  // on, would survive the young generation's collections and make V8 grow it to its largest (~16 MiB more memory).
  const withBody = defineLazyText(post, 'body', source.bytes && text.endsWith(fm.body) ? source.bytes.subarray(Buffer.byteLength(text.slice(0, text.length - fm.body.length))) : fm.body) as Post;
  withBody.bodyStartLine = fm.bodyStartLine;
  withBody.bundleDir = source.bundleDir;
  withBody.assets = source.assets;
  const postLinks = findPostLinks(fm.body);
  if (postLinks.length > 0) withBody.postLinks = postLinks;
  return { diagnostics, post: withBody };
}

/**
 * Warnings for characters a web page cannot hold (see findUnprintable) in the front-matter text shown on pages and in
 * the body. They are not errors: the pages and feeds drop such characters (see output/), so the build stays valid; the
 * warning says where they were, since a control character in a post is almost always a paste accident.
 */
function unprintableWarnings(fm: FrontMatter, file: string, fields: Record<string, string | undefined>, at: (key: string) => Location): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const [key, text] of Object.entries(fields)) {
    const found = text === undefined ? undefined : findUnprintable(text, false);
    if (found) {
      warnings.push(warning('CharacterInvalid', { codePoint: found.codePoint, key }, at(key)));
    }
  }
  const found = findUnprintable(fm.body);
  if (found) {
    const pos = offsetToPosition(fm.body, found.index);
    warnings.push(warning('CharacterInvalid', { codePoint: found.codePoint }, { file, line: fm.bodyStartLine + pos.line - 1, column: pos.column }));
  }
  return warnings;
}

/** Tags as names, or a description of what was given instead. */
function parseTags(value: unknown): string[] | string {
  if (value === undefined || value === null) return [];
  let list: unknown[];
  if (typeof value === 'string') list = value.split(',');
  else if (Array.isArray(value)) list = value;
  else return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
  const names: string[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    if (item === null || item === undefined) continue;
    if (typeof item === 'object') return Array.isArray(item) ? 'a nested list' : 'a mapping inside the list';
    const name = String(item).trim().replace(/\s+/g, ' ');
    if (!name) continue;
    const key = slugify(name) || fallbackSlug(name);
    if (!seen.has(key)) {
      seen.add(key);
      names.push(name);
    }
  }
  return names;
}

function parseReadTime(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 0 && Number.isFinite(value) ? Math.max(1, Math.round(value)) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:m|min|mins|minutes?)?\.?(?:\s+read(?:ing)?(?:\s+time)?)?\s*$/i.exec(value);
  return m && Number(m[1]) > 0 ? Math.max(1, Math.round(Number(m[1]))) : undefined;
}

function sameText(a: string, b: string): boolean {
  const normal = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
  return normal(a) === normal(b);
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The text of the body's first level-1 heading (ATX or setext) outside code fences. */
function firstHeading(fm: FrontMatter): string | undefined {
  const lines = fm.body.split(/\r?\n/);
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1][0];
      else if (fenceMatch[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence) continue;
    const atx = /^\s{0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) return stripInline(atx[1]);
    if (/^\s{0,3}=+\s*$/.test(line) && i > 0 && lines[i - 1].trim()) return stripInline(lines[i - 1].trim());
  }
  return undefined;
}

function stripInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]+/g, '')
    .trim();
}

/**
 * The post's authors from `author` (text or a list; `authors` is read as `author`, and giving both is a conflict
 * reported with the other keys read as blogbuild's), each trimmed, duplicates dropped; undefined when none is given
 * (or the list is empty), so the config's default applies.
 */
function parseAuthors(value: unknown, key: string, fail: (code: 'FrontMatterInvalid', key: string, args: ArgsOf<'FrontMatterInvalid'>) => void): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  const names: string[] = [];
  for (const item of list) {
    // A name, or a `{ name }` object as Hugo and Astro themes write author lists.
    const name = item && typeof item === 'object' && !Array.isArray(item) ? scalarText((item as { name?: unknown }).name) : scalarText(item);
    if (name === undefined) {
      fail('FrontMatterInvalid', key, { problem: 'not-names', key });
      return undefined;
    }
    if (name && !names.includes(name)) names.push(name);
  }
  return names.length > 0 ? names : undefined;
}
