import { error, warning, type Diagnostic, type Location } from '../diagnostics/error.js';
import { offsetToPosition } from '../diagnostics/position.js';
import { isJsonFeed, scanHtml, scanJsonFeed, scanXml, type Reference } from './collect.js';
import { xmlProblem } from './xml-well-formed.js';

/** Input of {@link checkOutput}: a build's files in memory and where the site lives. */
export interface CheckOutputOptions {
  /** Output path → bytes, as a memory writer holds them. */
  files: ReadonlyMap<string, Uint8Array>;
  /** The base URL's path, `/` or `/blog/`. */
  basePath: string;
  /** The absolute base URL, or "" for a site without one (links are then root-relative). */
  url: string;
  /** Output path of a post's page → the post's source file, so problems point at the markdown. */
  sources?: ReadonlyMap<string, string>;
  /** Reads a source file, to find the line a link is on. */
  readSource?: (file: string) => string | undefined;
}

/** What the check found. */
export interface CheckReport {
  diagnostics: Diagnostic[];
  /** HTML pages and XML files scanned. */
  pages: number;
  feeds: number;
  /** Internal references checked. */
  links: number;
  images: number;
}

const placeholderOrigin = 'http://blogbuild.invalid';

/**
 * Checks that every feed and sitemap (every `.xml` file) is well-formed XML, and every internal link, `#anchor` and
 * local image of a built site, pages and feeds (RSS, Atom and JSON Feed) alike. Pure: reads only
 * `files` (and sources through `readSource`, for locations). Broken links and missing images are errors, missing
 * anchors warnings (the page still opens).
 */
export function checkOutput(options: CheckOutputOptions): CheckReport {
  const { files, basePath } = options;
  const origin = options.url ? new URL(options.url).origin : placeholderOrigin;
  const siteRoot = `${origin}${basePath}`;
  const decoder = new TextDecoder();
  const text = (file: string) => decoder.decode(files.get(file));
  const pageUrl = (file: string) => siteRoot + file.replace(/(^|\/)index\.html$/, '$1');

  const idsByPage = new Map<string, Set<string>>();
  const found: { page: string; ref: Reference }[] = [];
  let pages = 0;
  let feeds = 0;
  const malformed: Diagnostic[] = [];
  for (const file of [...files.keys()].sort()) {
    if (file.endsWith('.html')) {
      const scan = scanHtml(text(file), pageUrl(file));
      idsByPage.set(file, scan.ids);
      for (const ref of scan.references) found.push({ page: file, ref });
      pages++;
    } else if (file.endsWith('.xml')) {
      const problem = xmlProblem(text(file));
      if (problem) {
        malformed.push(error('XmlInvalid', { file, reason: problem.message, line: problem.line, column: problem.column }));
      }
      for (const ref of scanXml(text(file), pageUrl(file))) found.push({ page: file, ref });
      feeds++;
    } else if (file.endsWith('.json') && isJsonFeed(text(file))) {
      for (const ref of scanJsonFeed(text(file), pageUrl(file))) found.push({ page: file, ref });
      feeds++;
    }
  }
  const ids = (file: string) => {
    let set = idsByPage.get(file);
    if (!set) idsByPage.set(file, (set = scanHtml(text(file), pageUrl(file)).ids));
    return set;
  };

  // One diagnostic per problem and source: a template's broken link on 40 pages is one problem.
  const problems = new Map<string, { code: 'LinkBroken' | 'AnchorMissing' | 'ImageMissing'; ref: Reference; target: string; pages: string[]; source?: string; loc?: Location; detail: Detail }>();
  const sourceTexts = new Map<string, string | undefined>();
  const readSource = (file: string) => {
    if (!sourceTexts.has(file)) sourceTexts.set(file, options.readSource?.(file));
    return sourceTexts.get(file);
  };
  let links = 0;
  let images = 0;
  for (const { page, ref } of found) {
    let resolved: URL;
    try {
      resolved = new URL(ref.url, ref.base);
    } catch {
      // A link that is not a URL points at no page of the site: not ours to check.
      continue;
    }
    if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') continue;
    if (resolved.origin !== origin) continue;
    const isRootRelative = ref.url.startsWith('/') && !ref.url.startsWith('//');
    const itemPage = ref.item ? outputFileFor(ref.item, ref.base) : undefined;
    // The post's source, when the URL is written in it; links from the theme (nav, footer) have none.
    const candidate = options.sources?.get(itemPage ?? page);
    const loc = candidate ? locate(candidate, ref.url, siteRoot, basePath, readSource) : undefined;
    const source = loc?.line ? candidate : undefined;
    if (ref.kind === 'image') images++;
    else links++;
    const report = (code: 'LinkBroken' | 'AnchorMissing' | 'ImageMissing', detail: Detail) => {
      const target = resolved.pathname + resolved.hash;
      const key = `${code}\0${target}\0${source ?? ''}`;
      const problem = problems.get(key) ?? { code, ref, target, pages: [], source, loc: source ? loc : undefined, detail };
      // Shown as a page writes it: feeds (atom.xml and feed.json sort before posts/) hold the absolute form.
      if (page.endsWith('.html') && !problem.pages.some((p) => p.endsWith('.html'))) problem.ref = ref;
      if (!problem.pages.includes(page)) problem.pages.push(page);
      problems.set(key, problem);
    };

    if (!resolved.pathname.startsWith(basePath)) {
      // Same origin but outside the blog: a root-relative link that forgot the base path.
      if (isRootRelative || !options.url) report(ref.kind === 'image' ? 'ImageMissing' : 'LinkBroken', { problem: 'outside' });
      continue;
    }
    const target = outputFileFor(resolved.href, siteRoot);
    if (target === undefined || !files.has(target)) {
      report(ref.kind === 'image' ? 'ImageMissing' : 'LinkBroken', { problem: 'missing' });
      continue;
    }
    const fragment = safeDecode(resolved.hash.slice(1));
    if (fragment && fragment !== 'top' && target.endsWith('.html') && !ids(target).has(fragment)) {
      report('AnchorMissing', { problem: 'anchor', fragment });
    }
  }

  function outputFileFor(href: string, base: string): string | undefined {
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      // Not a URL: no output file.
      return undefined;
    }
    if (url.origin !== origin || !url.pathname.startsWith(basePath)) return undefined;
    const rel = safeDecode(url.pathname.slice(basePath.length));
    if (rel === '' || rel.endsWith('/')) return `${rel}index.html`;
    if (files.has(rel)) return rel;
    return files.has(`${rel}/index.html`) ? `${rel}/index.html` : rel;
  }

  const diagnostics: Diagnostic[] = [...malformed];
  for (const problem of problems.values()) {
    const args = { url: problem.ref.url, ...problem.detail, basePath, pages: problem.source ? undefined : problem.pages, isInPost: Boolean(problem.source) };
    diagnostics.push(problem.code === 'AnchorMissing' ? warning(problem.code, args, problem.loc) : error(problem.code, args, problem.loc));
  }
  return { diagnostics, pages, feeds, links, images };
}

/** What is wrong with a reference, as `check`'s catalogue entries take it. */
type Detail = { problem: 'outside' | 'missing' } | { problem: 'anchor'; fragment: string };

/** The line of the link in the markdown source: as written, or without the base path the build added. */
function locate(file: string, url: string, siteRoot: string, basePath: string, readSource: (file: string) => string | undefined): Location {
  const text = readSource(file);
  if (text === undefined) return { file };
  // Feeds hold absolute URLs (https://example.org/blog/posts/x/); posts write /posts/x/ or /blog/posts/x/.
  if (url.startsWith(siteRoot)) url = basePath + url.slice(siteRoot.length);
  const candidates = [url];
  if (basePath !== '/' && url.startsWith(basePath)) candidates.push(url.slice(basePath.length - 1));
  for (const candidate of candidates) {
    for (const form of [`(${candidate}`, `"${candidate}"`, `'${candidate}'`, candidate]) {
      const at = text.indexOf(form);
      if (at >= 0) {
        const start = form === candidate ? at : at + 1;
        return { file, ...offsetToPosition(text, start), length: candidate.length };
      }
    }
  }
  return { file };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A malformed %-escape: the path is compared as written.
    return text;
  }
}
