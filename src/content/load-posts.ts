import { defineLazyText, type LazyText } from './lazy-text.js';
import { error, warning, type Diagnostic, type Location } from '../diagnostics/error.js';
import { offsetToPosition } from '../diagnostics/position.js';
import type { Post } from '../site/model.js';
import { parseAliases } from './aliases.js';
import type { KnownSources, SourceFile } from './discover.js';
import { parseAuthors } from './field-values.js';
import { parseFrontMatter, parseSourceFrontMatter, type FrontMatter } from './front-matter.js';
import { canonicalKeys, isConsumedKey } from './front-matter-keys.js';
import { findPostLinks, mayHavePostLinks } from './post-links.js';
import { fieldContext, knownKeys, readDates, readDraft, readReadTime, readRelated, readSlug, readTags, readText, readTitle, readToc } from './post-fields.js';
import { findUnprintable } from './printable.js';

/**
 * Posts loaded by earlier builds of this process (the dev server hands in its memory store's): the result for a
 * source with the same text (the same string while the file is unchanged) and the same `inputs` (path, bundle,
 * options), which is the same post object again, else `load()`'s, kept.
 */
export interface PostMemo {
  memo(source: SourceFile, inputs: string, load: () => LoadedPost): LoadedPost;
}

/** A source loaded: its post and warnings, or the errors that prevent a post. */
export type LoadedPost = { post: Post; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] };

/**
 * Posts loaded by earlier builds (the build hands in the persistent post cache): the post of a source loaded from
 * the same inputs (path, stat, bundle, options), else `load()`'s, kept when it loaded without a problem.
 */
export interface StoredPosts extends KnownSources {
  memo(source: SourceFile, load: () => LoadedPost): LoadedPost;
}

/** Settings that validation needs. */
export interface LoadPostsOptions {
  timezone: string;
  /** Author for posts without one. */
  author: string;
  /**
   * Whether bodies are scanned for characters a page cannot hold (a warning): the dev server's first load leaves that
   * to its background build, which reports it. @default true
   */
  shouldScanBodies?: boolean;
}

/**
 * Validates each source's front matter; every problem in every file is reported, not only the first. With `memo`
 * (posts loaded by earlier builds of this process), a source whose text, path, bundle and options are those of an
 * earlier build's gives the same post object again.
 * Without `memo`, `postCache` (the persistent post cache) gives the posts of sources it knows.
 */
export function loadPosts(sources: SourceFile[], options: LoadPostsOptions, memo?: PostMemo, postCache?: StoredPosts): { posts: Post[]; diagnostics: Diagnostic[] } {
  const posts: Post[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    let result: LoadedPost;
    // What besides its text a post is loaded from (the memo's entries are by it; the post cache makes its own key).
    const inputs = memo ? JSON.stringify([source.relPath, source.bundleDir ?? null, source.assets, options.timezone, options.author]) : '';
    if (memo) {
      // A post loaded without the body scan lacks its warnings: it is not one loaded with it.
      result = memo.memo(source, options.shouldScanBodies === false ? `${inputs}\0unscanned` : inputs, () => loadPost(source, options));
    } else if (postCache) {
      // With the persistent post cache (and no memo): a source whose stat and inputs are unchanged is not parsed.
      try {
        result = postCache.memo(source, () => loadPost(source, options));
      } catch (cause) {
        // A source the cache knew but whose entry was damaged is read only now.
        result = { diagnostics: [error('FileUnreadable', { reason: (cause as Error).message }, { file: source.path }, cause)] };
      }
    } else result = loadPost(source, options);
    if ('post' in result) posts.push(result.post);
    diagnostics.push(...result.diagnostics);
  }
  return { posts, diagnostics };
}

function loadPost(source: SourceFile, options: LoadPostsOptions): LoadedPost {
  // Only the dev server's first load leaves the bodies unread. When they are scanned, each file is decoded whole once:
  // decoding its front matter and body apart (the bytes path) gained nothing there and varied more (10,000 bench
  // posts, CPU: 1.12-2.77 s that way, 1.51-2.03 s this way, 1.55-2.24 s before either).
  const text = options.shouldScanBodies === false ? undefined : source.text;
  const fm = text === undefined ? parseSourceFrontMatter(source) : parseFrontMatter(source.path, text);
  if ('code' in fm) return { diagnostics: [fm] };
  // Other generators' keys (`pubDate`, `lastmod`, `categories`…) are read as blogbuild's: see front-matter-keys.ts.
  const canonical = canonicalKeys(fm.data);
  const field = fieldContext(source, options, fm, canonical);
  const { data, diagnostics, at, fail } = field;
  for (const { key, other, meaning } of canonical.conflicts) {
    fail('FrontMatterInvalid', other, { problem: 'conflict', key, other, meaning, keyLine: at(key).line ?? 1, otherLine: at(other).line ?? 1 });
  }
  for (const { key } of canonical.problems) fail('FrontMatterInvalid', key, { problem: 'image-object', key });
  const { title, dropsTitleHeading } = readTitle(field);
  const { date, updated } = readDates(field);
  const tags = readTags(field);
  const { slug, slugLoc } = readSlug(field);
  const isDraft = readDraft(field);
  readToc(field);
  const readTimeMinutes = readReadTime(field);
  const authors = parseAuthors(data.author, field.keyOf('author'), fail) ?? (options.author ? [options.author] : []);
  const author = authors[0] ?? '';
  const description = readText(field, 'description');
  const image = readText(field, 'image');
  const related = readRelated(field);
  const aliases = parseAliases(data.aliases);
  if ('problem' in aliases) fail('FrontMatterInvalid', 'aliases', { problem: 'aliases', reason: aliases.problem });

  const warnings = unprintableWarnings(fm, source.path, { title, author: authors.join(' '), description, image, tags: typeof tags === 'string' ? undefined : tags.join(' ') }, at, options.shouldScanBodies !== false);
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
  const withBody = defineLazyText(post, 'body', fm.bodyBytes ?? bodyOf(source, fm, text ?? source.text)) as Post;
  withBody.bodyStartLine = fm.bodyStartLine;
  withBody.bundleDir = source.bundleDir;
  withBody.assets = source.assets;
  const postLinks = fm.bodyBytes && !mayHavePostLinks(fm.bodyBytes) ? [] : findPostLinks(fm.body);
  if (postLinks.length > 0) withBody.postLinks = postLinks;
  return { diagnostics, post: withBody };
}

/** The body of a source whose front matter was read from its whole `text`: its bytes when it was read as bytes. */
function bodyOf(source: SourceFile, fm: FrontMatter, text: string): LazyText {
  return source.bytes && text.endsWith(fm.body) ? source.bytes.subarray(Buffer.byteLength(text.slice(0, text.length - fm.body.length))) : fm.body;
}

/**
 * Warnings for characters a web page cannot hold (see findUnprintable) in the front-matter text shown on pages and in
 * the body. They are not errors: the pages and feeds drop such characters (see output/), so the build stays valid; the
 * warning says where they were, since a control character in a post is almost always a paste accident.
 */
function unprintableWarnings(fm: FrontMatter, file: string, fields: Record<string, string | undefined>, at: (key: string) => Location, shouldScanBody: boolean): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const [key, text] of Object.entries(fields)) {
    const found = text === undefined ? undefined : findUnprintable(text, false);
    if (found) {
      warnings.push(warning('CharacterInvalid', { codePoint: found.codePoint, key }, at(key)));
    }
  }
  const found = shouldScanBody ? findUnprintable(fm.body) : undefined;
  if (found) {
    const pos = offsetToPosition(fm.body, found.index);
    warnings.push(warning('CharacterInvalid', { codePoint: found.codePoint }, { file, line: fm.bodyStartLine + pos.line - 1, column: pos.column }));
  }
  return warnings;
}
