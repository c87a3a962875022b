import path from 'node:path';
import { error, warning, type Diagnostic } from '../diagnostics/error.js';
import type { Page, Post, PostLink } from '../site/model.js';
import { postPath, type UrlConfig } from '../site/urls.js';

/** A relative link to a markdown file, `other-post.md` or `../b/index.markdown#part`, as written in a link or definition. */
const markdownHref = /^(?![a-z][a-z0-9+.-]*:|\/|#)([^?#\s]*\.(?:md|markdown|mdown|mkd))(#[^\s]*)?$/i;

// `](href)`, `](<href> "title")`, and reference definitions `[id]: href`.
const inlineLink = /\]\(\s*(<[^>\n]*>|[^\s)]+)/g;
const definition = /^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm;

/**
 * Links in a body to other posts by their markdown file (as Eleventy, Astro and Obsidian users write them), with
 * body-relative places. Fenced code blocks and code spans are skipped.
 */
export function findPostLinks(body: string): PostLink[] {
  if (!/\.(md|markdown|mdown|mkd)\b/i.test(body)) return [];
  const text = withoutCode(body);
  const links: PostLink[] = [];
  for (const pattern of [inlineLink, definition]) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const href = m[1].replace(/^<|>$/g, '');
      if (!markdownHref.test(href)) continue;
      const offset = m.index + m[0].length - m[1].length;
      const before = text.slice(0, offset);
      links.push({ href, line: before.split('\n').length, column: offset - before.lastIndexOf('\n') });
    }
  }
  return links.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Whether a body kept as UTF-8 bytes may link to a markdown file: some `.` is followed by `m` or `M` (every link
 * findPostLinks finds has one). False lets the body go undecoded.
 */
export function mayHavePostLinks(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Two searches of the whole body rather than one per full stop (a post has a hundred): ~1.5 µs instead of ~3 µs.
  return buffer.includes(dotLowerM) || buffer.includes(dotUpperM);
}

const dotLowerM = Buffer.from('.m');
const dotUpperM = Buffer.from('.M');

/** The body with fenced code blocks and code spans blanked out (lines and columns kept). */
function withoutCode(body: string): string {
  let fence: string | undefined;
  return body
    .split('\n')
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) {
        fence = fence ? undefined : marker;
        return '';
      }
      return fence ? ' '.repeat(line.length) : line.replace(/(`+)[^`]+?\1/g, (code) => ' '.repeat(code.length));
    })
    .join('\n');
}

/** The pages a post may link to by file: published ones become their URL, drafts a warning. */
export interface LinkablePages {
  pages: readonly Pick<Page, 'sourcePath' | 'path'>[];
  drafts: readonly Pick<Page, 'sourcePath'>[];
}

/**
 * Each post's links to other posts' or pages' markdown files, as their URLs (`/posts/other/#part`, `/about/`; the
 * markdown stage adds the base path). A link to a file that is neither is an error at its line; to a post or page
 * that is not published (a draft, a scheduled post), a warning: its page is not on the site.
 */
export function resolvePostLinks(posts: Post[], published: ReadonlySet<Post>, config: Pick<UrlConfig, 'permalinks'>, pages: LinkablePages = { pages: [], drafts: [] }): { links: Map<Post, Record<string, string>>; diagnostics: Diagnostic[] } {
  const byPath = new Map(posts.map((post) => [post.relPath.normalize('NFC'), post]));
  const pageByFile = new Map(pages.pages.map((page) => [page.sourcePath.normalize('NFC'), page]));
  const draftPages = new Set(pages.drafts.map((page) => page.sourcePath.normalize('NFC')));
  const links = new Map<Post, Record<string, string>>();
  const diagnostics: Diagnostic[] = [];
  for (const post of posts) {
    if (!post.postLinks || !published.has(post)) continue;
    const urls: Record<string, string> = {};
    for (const link of post.postLinks) {
      const [, file, anchor = ''] = markdownHref.exec(link.href)!;
      const target = byPath.get(targetPath(post.relPath, file));
      const loc = { file: post.sourcePath, line: post.bodyStartLine + link.line - 1, column: link.column, length: link.href.length };
      if (!target) {
        const pageFile = path.resolve(path.dirname(post.sourcePath), decoded(file)).normalize('NFC');
        const page = pageByFile.get(pageFile);
        if (page) urls[link.href] = `/${page.path}${anchor}`;
        else if (draftPages.has(pageFile)) diagnostics.push(warning('PostLinkBroken', { problem: 'unpublished', href: link.href, isDraft: true }, loc));
        if (page || draftPages.has(pageFile)) continue;
        diagnostics.push(error('PostLinkBroken', { problem: 'missing', href: link.href, target: targetPath(post.relPath, file) }, loc));
        continue;
      }
      if (!published.has(target)) {
        diagnostics.push(warning('PostLinkBroken', { problem: 'unpublished', href: link.href, isDraft: target.isDraft }, loc));
      }
      urls[link.href] = `/${postPath(target, config)}${anchor}`;
    }
    if (Object.keys(urls).length > 0) links.set(post, urls);
  }
  return { links, diagnostics };
}

/** The posts-folder path a link in the post at `from` names: relative to that post's folder, `%20` decoded. */
function targetPath(from: string, href: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), decoded(href))).normalize('NFC');
}

/** A link's file name with `%20` and the like decoded. */
function decoded(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    // A malformed escape is a name as written.
    return href;
  }
}
