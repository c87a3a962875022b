import path from 'node:path';
import type { ArgsOf, ErrorCode } from '../diagnostics/codes.js';
import { error, type Diagnostic, type Location } from '../diagnostics/error.js';
import { findYamlKey, findYamlValue } from '../diagnostics/position.js';
import { fileNameDate, parseDate, type PostDate } from './dates.js';
import { markdownExtension, type SourceFile } from './discover.js';
import type { FrontMatter } from './front-matter.js';
import type { canonicalKeys } from './front-matter-keys.js';
import { fallbackSlug, isUnsafePathSegment, slugify, slugLengthProblem, tagProblem } from './slug.js';
import { firstHeading, parseReadTime, parseTags, sameText, scalarText } from './field-values.js';

/** Settings that reading the fields needs. */
interface FieldOptions {
  timezone: string;
}

/** What reading one front-matter field needs: the source, its front matter, and where problems go. */
export interface FieldContext {
  source: SourceFile;
  options: FieldOptions;
  fm: FrontMatter;
  /** The front matter with other generators' keys read as blogbuild's. */
  data: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** The key as the file spells it (`pubDate` for `date`). */
  keyOf(key: string): string;
  /** `=` in TOML front matter, `:` in YAML. */
  separator: ':' | '=';
  /** The file's (or bundle's) name without its extension. */
  baseName: string;
  /** The position of a front-matter key (else the file's start). */
  at(key: string): Location;
  /** Records an error at a front-matter key. */
  fail<C extends ErrorCode>(code: C, key: string, args: ArgsOf<C>): void;
}

const readTimeKeys = ['readTime', 'read_time', 'readingTime'];

/** Front-matter keys read into a post's own fields (the rest go to `data`), besides the canonical ones. */
export const knownKeys = new Set(['title', 'slug', 'related', ...readTimeKeys]);

/** The context the field readers share for one source. */
export function fieldContext(source: SourceFile, options: FieldOptions, fm: FrontMatter, canonical: ReturnType<typeof canonicalKeys>): FieldContext {
  const diagnostics: Diagnostic[] = [];
  const separator = fm.language === 'toml' ? '=' as const : ':' as const;
  const at = (key: string): Location => {
    const found = findYamlKey(fm.yaml, key, fm.yamlStartLine, separator);
    return found ? { file: source.path, ...found } : { file: source.path, line: 1, column: 1 };
  };
  return {
    source,
    options,
    fm,
    data: { ...fm.data, ...canonical.data },
    diagnostics,
    keyOf: (key) => canonical.keyOf[key] ?? key,
    separator,
    baseName: source.bundleDir ? path.basename(source.bundleDir) : path.basename(source.path).replace(markdownExtension, ''),
    at,
    fail: (code, key, args) => {
      diagnostics.push(error(code, args, at(key)));
    },
  };
}

/** The title (front matter, else the body's first heading) and whether the body's copy of it is dropped. */
export function readTitle({ source, fm, data, diagnostics, fail }: FieldContext): { title: string | undefined; dropsTitleHeading: boolean } {
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

/** `date` (required, or from a Jekyll-style file name) and `updated`, in the configured time zone. */
export function readDates({ source, options, data, diagnostics, baseName, keyOf, at, fail }: FieldContext): { date: PostDate | undefined; updated: PostDate | undefined } {
  let date: PostDate | undefined;
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
  return { date, updated };
}

/** The tags, or a description of what `tags` held instead of a list. */
export function readTags({ source, fm, data, diagnostics, keyOf, separator, at, fail }: FieldContext): string[] | string {
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
  return tags;
}

/** The slug (front matter, else the file or bundle name) and where `slug:` is, when it is in the front matter. */
export function readSlug({ source, data, diagnostics, baseName, at, fail }: FieldContext): { slug: string | undefined; slugLoc: Location | undefined } {
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
    const name = baseName.replace(/^\d{4}-\d{2}-\d{2}[-_]?/, '') || baseName;
    slug = slugify(name) || fallbackSlug(name);
  }
  const slugTooLong = slug && slugLengthProblem(slug);
  if (slugTooLong) {
    diagnostics.push(error('SlugUnsafe', { problem: 'url-too-long', reason: slugTooLong, isSlugSet: slugLoc !== undefined }, slugLoc ?? { file: source.path }));
  }
  return { slug, slugLoc };
}

/** `draft: true`. */
export function readDraft({ data, keyOf, fail }: FieldContext): boolean {
  let isDraft = false;
  if (data.draft !== undefined && data.draft !== null) {
    if (typeof data.draft === 'boolean') isDraft = data.draft;
    else if (data.draft === 'true' || data.draft === 'false') isDraft = data.draft === 'true';
    else fail('FrontMatterInvalid', keyOf('draft'), { problem: 'not-boolean', key: keyOf('draft') });
  }
  return isDraft;
}

/** `toc`: checked and made a boolean in place, in `data`, where the post page's table of contents reads it (render/context.ts). */
export function readToc({ data, fail }: FieldContext): void {
  if (data.toc !== undefined && data.toc !== null && typeof data.toc !== 'boolean') {
    if (data.toc === 'true' || data.toc === 'false') data.toc = data.toc === 'true';
    else fail('FrontMatterInvalid', 'toc', { problem: 'not-boolean', key: 'toc' });
  }
}

/** The read time given in the front matter, in minutes, under any of its names. */
export function readReadTime({ data, fail }: FieldContext): number | undefined {
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

/** A text field (`description`, `image`): trimmed text, or an error when it is not a scalar. */
export function readText({ data, keyOf, fail }: FieldContext, key: string): string | undefined {
  if (data[key] === undefined || data[key] === null) return undefined;
  const value = scalarText(data[key]);
  if (value === undefined) fail('FrontMatterInvalid', keyOf(key), { problem: 'not-text', key: keyOf(key) });
  return value;
}

/** `related`: how many related posts to show (`false` is none). */
export function readRelated({ data, fail }: FieldContext): number | undefined {
  if (data.related === undefined || data.related === null) return undefined;
  if (data.related === false) return 0;
  if (typeof data.related === 'number' && Number.isInteger(data.related) && data.related >= 0) return data.related;
  fail('FrontMatterInvalid', 'related', { problem: 'related' });
  return undefined;
}
