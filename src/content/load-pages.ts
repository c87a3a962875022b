import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import type { ArgsOf, ErrorCode } from '../diagnostics/codes.js';
import { error, type Diagnostic, type Location } from '../diagnostics/error.js';
import { findYamlKey, findYamlValue } from '../diagnostics/position.js';
import type { Page } from '../site/model.js';
import { defaultPermalinks, pagePath } from '../site/urls.js';
import { parseAliases } from './aliases.js';
import { discoverSources, type SourceFile } from './discover.js';
import { parseFrontMatter } from './front-matter.js';
import { fallbackSlug, isUnsafePathSegment, slugify, slugLengthProblem } from './slug.js';

const knownKeys = new Set(['title', 'description', 'slug', 'weight', 'draft', 'aliases']);

/**
 * Validates the pages folder's sources: a page needs only a `title` (or a body opening with `# Title`). Every
 * problem in every file is reported. Under the default permalink `/:path/`, `pages/about.md` → `about/`,
 * `pages/docs/faq.md` → `docs/faq/` and `pages/docs/index.md` → `docs/`; `slug:` renames the last segment.
 */
export function loadPages(sources: SourceFile[], permalink = defaultPermalinks.page, loaded?: LoadedPages): { pages: Page[]; diagnostics: Diagnostic[] } {
  const pages: Page[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    // A page loaded without a problem from the same text, path and permalink is not parsed again (nor the YAML
    // parser loaded); one with problems is, so its diagnostics are reported every time.
    const key = loaded ? createHash('sha1').update(JSON.stringify([source.path, source.relPath, permalink])).update('\0').update(source.text).digest('hex') : undefined;
    let result: PageResult | undefined = key === undefined ? undefined : loaded!.memo(key, () => {
      const fresh = loadPage(source, permalink);
      return 'page' in fresh && fresh.diagnostics.length === 0 ? fresh : undefined;
    });
    result ??= loadPage(source, permalink);
    if ('page' in result) pages.push(result.page);
    diagnostics.push(...result.diagnostics);
  }
  return { pages, diagnostics };
}

type PageResult = { page: Page; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] };

function loadPage(source: SourceFile, permalink: string): PageResult {
  const fm = parseFrontMatter(source.path, source.text);
  if ('code' in fm) return { diagnostics: [fm] };
  const { data } = fm;
  const diagnostics: Diagnostic[] = [];
  const at = (key: string): Location => {
    const found = findYamlKey(fm.yaml, key, fm.yamlStartLine);
    return found ? { file: source.path, ...found } : { file: source.path, line: 1, column: 1 };
  };
  const fail = <C extends ErrorCode>(code: C, key: string, args: ArgsOf<C>) => diagnostics.push(error(code, args, at(key)));
  const text = (key: string): string | undefined => {
    const value = data[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' || typeof value === 'number') return String(value).trim();
    fail('FrontMatterInvalid', key, { problem: 'not-text', key });
    return undefined;
  };

  let title = text('title');
  const heading = /^#[ \t]+(.+?)[ \t#]*$/m.exec(fm.body.replace(/^\s+/, ''));
  const opensWithHeading = heading !== null && fm.body.replace(/^\s+/, '').startsWith(heading[0]);
  let dropsTitleHeading = opensWithHeading && title !== undefined && heading[1].trim() === title;
  if (!title && data.title === undefined && opensWithHeading) {
    title = heading[1].trim();
    dropsTitleHeading = true;
  }
  if (!title && !diagnostics.length) {
    diagnostics.push(error('TitleMissing', { isPage: true }, { file: source.path, line: 1, column: 1 }));
  }

  const rawSlug = text('slug');
  const slugs = pageSlugs(source, rawSlug, fail);
  const tooLong = slugs.map(slugLengthProblem).find(Boolean);
  if (tooLong) diagnostics.push(error('SlugUnsafe', { problem: 'page-url-too-long', reason: tooLong }, rawSlug ? at('slug') : { file: source.path }));

  let weight = 0;
  if (data.weight !== undefined && data.weight !== null) {
    if (typeof data.weight === 'number' && Number.isFinite(data.weight)) weight = data.weight;
    else fail('FrontMatterInvalid', 'weight', { problem: 'not-number', key: 'weight' });
  }
  let isDraft = false;
  if (data.draft !== undefined && data.draft !== null) {
    if (typeof data.draft === 'boolean') isDraft = data.draft;
    else fail('FrontMatterInvalid', 'draft', { problem: 'not-boolean', key: 'draft' });
  }
  const aliases = parseAliases(data.aliases);
  if ('problem' in aliases) fail('FrontMatterInvalid', 'aliases', { problem: 'aliases', reason: aliases.problem });
  const description = text('description');

  if (diagnostics.length > 0 || !title || 'problem' in aliases) return { diagnostics };
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!knownKeys.has(key)) extra[key] = value;
  return {
    diagnostics,
    page: {
      sourcePath: source.path,
      relPath: source.relPath,
      path: pagePath(slugs, permalink),
      slugLoc: rawSlug !== undefined ? at('slug') : { file: source.path, line: 1, column: 1 },
      title,
      dropsTitleHeading,
      ...(description ? { description } : {}),
      weight,
      isDraft,
      aliases: aliases.paths,
      aliasLocs: (Array.isArray(data.aliases) ? data.aliases : [data.aliases]).slice(0, aliases.paths.length).map((raw): Location => {
        const found = findYamlValue(fm.yaml, 'aliases', String(raw), fm.yamlStartLine);
        return found ? { file: source.path, ...found } : at('aliases');
      }),
      data: extra,
      body: fm.body,
      bodyStartLine: fm.bodyStartLine,
    },
  };
}

/** The slugs of a page's URL: its path in the pages folder (`index` dropped), the last one replaced by `slug:`. */
function pageSlugs(source: SourceFile, rawSlug: string | undefined, fail: (code: 'SlugUnsafe', key: string, args: ArgsOf<'SlugUnsafe'>) => void): string[] {
  const segments = source.relPath.replace(/\.md$/i, '').split('/');
  if (segments.at(-1)?.toLowerCase() === 'index') segments.pop();
  if (rawSlug !== undefined) {
    if (isUnsafePathSegment(rawSlug) || !slugify(rawSlug)) {
      fail('SlugUnsafe', 'slug', { problem: 'page-slug', slug: rawSlug });
    } else if (segments.length > 0) segments[segments.length - 1] = rawSlug;
    else segments.push(rawSlug);
  }
  return segments.map((segment) => slugify(segment) || fallbackSlug(segment));
}

/** Pages loaded by earlier builds (the build cache), by a key of everything a page is loaded from. */
export interface LoadedPages {
  memo(key: string, compute: () => { page: Page; diagnostics: Diagnostic[] } | undefined): { page: Page; diagnostics: Diagnostic[] } | undefined;
}

/**
 * The pages stage: reads the pages folder (none is fine: a blog without pages), validates every page, and splits
 * off drafts unless they are published too.
 */
export async function discoverPages(config: { pagesDir: string; root: string; drafts: boolean; permalinks?: { page: string } }, loaded?: LoadedPages): Promise<{ pages: Page[]; drafts: Page[]; diagnostics: Diagnostic[] }> {
  if (!fsSync.statSync(config.pagesDir, { throwIfNoEntry: false })?.isDirectory()) return { pages: [], drafts: [], diagnostics: [] };
  const { sources, diagnostics } = await discoverSources(config.pagesDir, undefined, undefined, config.root);
  const result = loadPages(sources, config.permalinks?.page, loaded);
  const isPublished = (page: Page) => !page.isDraft || config.drafts;
  return { pages: result.pages.filter(isPublished), drafts: result.pages.filter((page) => !isPublished(page)), diagnostics: [...diagnostics, ...result.diagnostics] };
}
