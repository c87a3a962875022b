import path from 'node:path';
import type { PostMemo } from '../build-state.js';
import { defineLazyText } from '../cache/packed.js';
import type { PostCache } from '../cache/post-cache.js';
import type { ArgsOf, ErrorCode } from '../diagnostics/codes.js';
import { error, warning, type Diagnostic, type Location } from '../diagnostics/error.js';
import { findYamlKey, findYamlValue, offsetToPosition } from '../diagnostics/position.js';
import type { Post } from '../site/model.js';
import { parseDate, type PostDate } from './dates.js';
import type { SourceFile } from './discover.js';
import { parseFrontMatter, type FrontMatter } from './front-matter.js';
import { findUnprintable } from './printable.js';
import { fallbackSlug, isUnsafePathSegment, slugify, slugLengthProblem, tagProblem } from './slug.js';

/** Settings that validation needs. */
export interface LoadPostsOptions {
  timezone: string;
  /** Author for posts without one. */
  author: string;
}

const readTimeKeys = ['readTime', 'read_time', 'readingTime'];
const knownKeys = new Set(['title', 'date', 'author', 'tags', 'description', 'slug', 'draft', 'updated', 'image', ...readTimeKeys]);

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
  const { data } = fm;
  const diagnostics: Diagnostic[] = [];
  const at = (key: string): Location => {
    const found = findYamlKey(fm.yaml, key, fm.yamlStartLine);
    return found ? { file: source.path, ...found } : { file: source.path, line: 1, column: 1 };
  };
  const fail = <C extends ErrorCode>(code: C, key: string, args: ArgsOf<C>) => {
    diagnostics.push(error(code, args, at(key)));
  };
  const field: FieldContext = { source, options, fm, data, diagnostics, at, fail };
  const { title, dropsTitleHeading } = readTitle(field);
  const { date, updated } = readDates(field);
  const tags = readTags(field);
  const { slug, slugLoc } = readSlug(field);
  const isDraft = readDraft(field);
  const readTimeMinutes = readReadTime(field);

  const textField = (key: string): string | undefined => {
    if (data[key] === undefined || data[key] === null) return undefined;
    const value = scalarText(data[key]);
    if (value === undefined) fail('FrontMatterInvalid', key, { problem: 'not-text', key });
    return value;
  };
  const author = textField('author') ?? options.author;
  const description = textField('description');
  const image = textField('image');

  const warnings = unprintableWarnings(fm, source.path, { title, author, description, image, tags: typeof tags === 'string' ? undefined : tags.join(' ') }, at);
  if (diagnostics.length > 0 || !title || !date || !slug || typeof tags === 'string') return { diagnostics: [...diagnostics, ...warnings] };
  diagnostics.push(...warnings);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!knownKeys.has(key)) extra[key] = value;
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
    tags,
    readTimeMinutes,
    description: description || undefined,
    isDraft,
    image: image || undefined,
    data: extra,
  };
  // A body read as bytes stays bytes (see defineLazyText): a string of every post, kept by the build from here
  // on, would survive the young generation's collections and make V8 grow it to its largest (~16 MiB more memory).
  const withBody = defineLazyText(post, 'body', source.bytes && text.endsWith(fm.body) ? source.bytes.subarray(Buffer.byteLength(text.slice(0, text.length - fm.body.length))) : fm.body) as Post;
  withBody.bodyStartLine = fm.bodyStartLine;
  withBody.bundleDir = source.bundleDir;
  withBody.assets = source.assets;
  return { diagnostics, post: withBody };
}

/** What reading one front-matter field needs: the source, its front matter, and where problems go. */
interface FieldContext {
  source: SourceFile;
  options: LoadPostsOptions;
  fm: FrontMatter;
  data: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** The position of a front-matter key (else the file's start). */
  at(key: string): Location;
  /** Records an error at a front-matter key. */
  fail<C extends ErrorCode>(code: C, key: string, args: ArgsOf<C>): void;
}

/** The title (front matter, else the body's first heading) and whether the body's copy of it is dropped. */
function readTitle({ source, fm, data, diagnostics, fail }: FieldContext): { title: string | undefined; dropsTitleHeading: boolean } {
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
  return { title, dropsTitleHeading };
}

/** `date` (required) and `updated`, as calendar dates or instants in the configured time zone. */
function readDates({ source, options, data, diagnostics, at, fail }: FieldContext): { date: PostDate | undefined; updated: PostDate | undefined } {
  let date: PostDate | undefined;
  if (data.date === undefined || data.date === null || data.date === '') {
    diagnostics.push(error('DateMissing', {}, data.date === undefined ? { file: source.path, line: 1, column: 1 } : at('date')));
  } else {
    const parsed = parseDate(data.date, options.timezone);
    if (typeof parsed === 'string') {
      fail('DateInvalid', 'date', { key: 'date', reason: parsed });
    } else date = parsed;
  }

  let updated: PostDate | undefined;
  if (data.updated !== undefined && data.updated !== null && data.updated !== '') {
    const parsed = parseDate(data.updated, options.timezone);
    if (typeof parsed === 'string') {
      fail('DateInvalid', 'updated', { key: 'updated', reason: parsed });
    } else updated = parsed;
  }
  return { date, updated };
}

/** The tags, or a description of what `tags` held instead of a list. */
function readTags({ source, fm, data, diagnostics, at, fail }: FieldContext): string[] | string {
  const tags = parseTags(data.tags);
  if (typeof tags === 'string') {
    fail('TagsInvalid', 'tags', { got: tags });
  } else {
    for (const tag of tags) {
      const problem = tagProblem(tag);
      if (problem) {
        const found = findYamlValue(fm.yaml, 'tags', tag, fm.yamlStartLine);
        diagnostics.push(error('SlugUnsafe', problem, found ? { file: source.path, ...found } : at('tags')));
      }
    }
  }
  return tags;
}

/** The slug (front matter, else the file or bundle name) and where `slug:` is, when it is in the front matter. */
function readSlug({ source, data, diagnostics, at, fail }: FieldContext): { slug: string | undefined; slugLoc: Location | undefined } {
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
    const base = source.bundleDir ? path.basename(source.bundleDir) : path.basename(source.path).replace(/\.md$/i, '');
    const name = base.replace(/^\d{4}-\d{2}-\d{2}[-_]?/, '') || base;
    slug = slugify(name) || fallbackSlug(name);
  }
  const slugTooLong = slug && slugLengthProblem(slug);
  if (slugTooLong) {
    diagnostics.push(error('SlugUnsafe', { problem: 'url-too-long', reason: slugTooLong, isSlugSet: slugLoc !== undefined }, slugLoc ?? { file: source.path }));
  }
  return { slug, slugLoc };
}

/** `draft: true`. */
function readDraft({ data, fail }: FieldContext): boolean {
  let isDraft = false;
  if (data.draft !== undefined && data.draft !== null) {
    if (typeof data.draft === 'boolean') isDraft = data.draft;
    else if (data.draft === 'true' || data.draft === 'false') isDraft = data.draft === 'true';
    else fail('FrontMatterInvalid', 'draft', { problem: 'not-boolean', key: 'draft' });
  }
  return isDraft;
}

/** The read time given in the front matter, in minutes, under any of its names. */
function readReadTime({ data, fail }: FieldContext): number | undefined {
  let readTimeMinutes: number | undefined;
  const readTimeKey = readTimeKeys.find((key) => data[key] !== undefined && data[key] !== null);
  if (readTimeKey) {
    const minutes = parseReadTime(data[readTimeKey]);
    if (minutes === undefined) {
      fail('FrontMatterInvalid', readTimeKey, { problem: 'read-time', key: readTimeKey });
    } else readTimeMinutes = minutes;
  }
  return readTimeMinutes;
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
