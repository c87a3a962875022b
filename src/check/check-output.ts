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
  const site = siteOf(options);
  const scanned = scanFiles(site);
  const checked = checkReferences(scanned.found, site, options);
  const diagnostics: Diagnostic[] = [...scanned.malformed];
  for (const problem of checked.problems) {
    const args = { url: problem.ref.url, ...problem.detail, basePath: site.basePath, pages: problem.source ? undefined : problem.pages, isInPost: Boolean(problem.source) };
    diagnostics.push(problem.code === 'AnchorMissing' ? warning(problem.code, args, problem.loc) : error(problem.code, args, problem.loc));
  }
  return { diagnostics, pages: scanned.pages, feeds: scanned.feeds, links: checked.links, images: checked.images };
}

/** The built site as the checks read it: its files, where it lives, and the ids of its pages (scanned once each). */
interface CheckedSite {
  files: ReadonlyMap<string, Uint8Array>;
  basePath: string;
  origin: string;
  /** Origin and base path: `https://example.org/blog/`. */
  siteRoot: string;
  text(file: string): string;
  pageUrl(file: string): string;
  idsByPage: Map<string, Set<string>>;
}

function siteOf(options: CheckOutputOptions): CheckedSite {
  const { files, basePath } = options;
  const origin = options.url ? new URL(options.url).origin : placeholderOrigin;
  const siteRoot = `${origin}${basePath}`;
  const decoder = new TextDecoder();
  return {
    files, basePath, origin, siteRoot, idsByPage: new Map(),
    text: (file) => decoder.decode(files.get(file)),
    pageUrl: (file) => siteRoot + file.replace(/(^|\/)index\.html$/, '$1'),
  };
}

/** Every reference of every page, feed and sitemap, the ids of the pages, and the XML files that are not well-formed. */
function scanFiles(site: CheckedSite): { found: { page: string; ref: Reference }[]; pages: number; feeds: number; malformed: Diagnostic[] } {
  const found: { page: string; ref: Reference }[] = [];
  let pages = 0;
  let feeds = 0;
  const malformed: Diagnostic[] = [];
  for (const file of [...site.files.keys()].sort()) {
    if (file.endsWith('.html')) {
      const scan = scanHtml(site.text(file), site.pageUrl(file));
      site.idsByPage.set(file, scan.ids);
      for (const ref of scan.references) found.push({ page: file, ref });
      pages++;
    } else if (file.endsWith('.xml')) {
      const problem = xmlProblem(site.text(file));
      if (problem) {
        malformed.push(error('XmlInvalid', { file, reason: problem.message, line: problem.line, column: problem.column }));
      }
      for (const ref of scanXml(site.text(file), site.pageUrl(file))) found.push({ page: file, ref });
      feeds++;
    } else if (file.endsWith('.json') && isJsonFeed(site.text(file))) {
      for (const ref of scanJsonFeed(site.text(file), site.pageUrl(file))) found.push({ page: file, ref });
      feeds++;
    }
  }
  return { found, pages, feeds, malformed };
}

/** The ids of an HTML page of the site. */
function idsOf(site: CheckedSite, file: string): Set<string> {
  let set = site.idsByPage.get(file);
  if (!set) site.idsByPage.set(file, (set = scanHtml(site.text(file), site.pageUrl(file)).ids));
  return set;
}

type ProblemCode = 'LinkBroken' | 'AnchorMissing' | 'ImageMissing';

interface Problem {
  code: ProblemCode;
  ref: Reference;
  target: string;
  pages: string[];
  source?: string;
  loc?: Location;
  detail: Detail;
}

/**
 * Resolves each internal reference against the site's files: one problem per kind, target and source (a template's
 * broken link on 40 pages is one problem), located in the post's markdown when the URL is written there.
 */
function checkReferences(found: { page: string; ref: Reference }[], site: CheckedSite, options: CheckOutputOptions): { problems: Problem[]; links: number; images: number } {
  const problems = new Map<string, Problem>();
  const sourceTexts = new Map<string, string | undefined>();
  const readSource = (file: string) => {
    if (!sourceTexts.has(file)) sourceTexts.set(file, options.readSource?.(file));
    return sourceTexts.get(file);
  };
  let links = 0;
  let images = 0;
  for (const { page, ref } of found) {
    const resolved = internalUrl(ref, site.origin);
    if (!resolved) continue;
    const itemPage = ref.item ? outputFileFor(site, ref.item, ref.base) : undefined;
    // The post's source, when the URL is written in it; links from the theme (nav, footer) have none.
    const candidate = options.sources?.get(itemPage ?? page);
    const loc = candidate ? locate(candidate, ref.url, site.siteRoot, site.basePath, readSource) : undefined;
    const source = loc?.line ? candidate : undefined;
    if (ref.kind === 'image') images++;
    else links++;
    const problem = referenceProblem(ref, resolved, site, Boolean(options.url));
    if (!problem) continue;
    const target = resolved.pathname + resolved.hash;
    const key = `${problem.code}\0${target}\0${source ?? ''}`;
    const entry = problems.get(key) ?? { code: problem.code, ref, target, pages: [], source, loc: source ? loc : undefined, detail: problem.detail };
    // Shown as a page writes it: feeds (atom.xml and feed.json sort before posts/) hold the absolute form.
    if (page.endsWith('.html') && !entry.pages.some((p) => p.endsWith('.html'))) entry.ref = ref;
    if (!entry.pages.includes(page)) entry.pages.push(page);
    problems.set(key, entry);
  }
  return { problems: foldUnlocated([...problems.values()]), links, images };
}

/**
 * A problem found where it could not be located (a feed or list page holds the post's image or link in its absolute
 * form) joins the located one with the same code and target: one problem, pointing at the markdown.
 */
function foldUnlocated(problems: Problem[]): Problem[] {
  const located = new Map<string, Problem>();
  for (const problem of problems) if (problem.source) located.set(`${problem.code}\0${problem.target}`, problem);
  return problems.filter((problem) => {
    const into = problem.source ? undefined : located.get(`${problem.code}\0${problem.target}`);
    if (!into) return true;
    for (const page of problem.pages) if (!into.pages.includes(page)) into.pages.push(page);
    return false;
  });
}

/** The reference as a URL of the site's origin (http or https), or undefined when it is not ours to check. */
function internalUrl(ref: Reference, origin: string): URL | undefined {
  let resolved: URL;
  try {
    resolved = new URL(ref.url, ref.base);
  } catch {
    // A link that is not a URL points at no page of the site: not ours to check.
    return undefined;
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return undefined;
  return resolved.origin === origin ? resolved : undefined;
}

/** What is wrong with an internal reference, if anything: outside the blog, no such file, or no such anchor. */
function referenceProblem(ref: Reference, resolved: URL, site: CheckedSite, hasUrl: boolean): { code: ProblemCode; detail: Detail } | undefined {
  const missing = ref.kind === 'image' ? 'ImageMissing' : 'LinkBroken';
  if (!resolved.pathname.startsWith(site.basePath)) {
    // Same origin but outside the blog: a root-relative link that forgot the base path.
    const isRootRelative = ref.url.startsWith('/') && !ref.url.startsWith('//');
    return isRootRelative || !hasUrl ? { code: missing, detail: { problem: 'outside' } } : undefined;
  }
  const target = outputFileFor(site, resolved.href, site.siteRoot);
  if (target === undefined || !site.files.has(target)) return { code: missing, detail: { problem: 'missing' } };
  const fragment = safeDecode(resolved.hash.slice(1));
  if (fragment && fragment !== 'top' && target.endsWith('.html') && !idsOf(site, target).has(fragment)) {
    return { code: 'AnchorMissing', detail: { problem: 'anchor', fragment } };
  }
  return undefined;
}

/** The output file a URL of the site names (`posts/x/` → `posts/x/index.html`), or undefined for one outside it. */
function outputFileFor(site: CheckedSite, href: string, base: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    // Not a URL: no output file.
    return undefined;
  }
  if (url.origin !== site.origin || !url.pathname.startsWith(site.basePath)) return undefined;
  const rel = safeDecode(url.pathname.slice(site.basePath.length));
  if (rel === '' || rel.endsWith('/')) return `${rel}index.html`;
  if (site.files.has(rel)) return rel;
  return site.files.has(`${rel}/index.html`) ? `${rel}/index.html` : rel;
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
