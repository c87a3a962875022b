import { warning, type Diagnostic } from '../diagnostics/error.js';

/**
 * URL schemes a post may link to when `markdown.rawHtml` is false, the setting for posts one does not fully trust.
 * Raw HTML is dropped then, but markdown itself can still write `[x](javascript:alert(1))`, an autolink
 * `<javascript:alert(1)>` or `![x](data:text/html,…)`. The lists are hast-util-sanitize's default schema's (what
 * rehype-sanitize uses, as GitHub does), plus `tel:` links and raster `data:` images, which cannot run script. A
 * URL with no scheme (relative, root-relative, `#anchor`, `?query`) is always kept.
 */
const allowed: Record<string, readonly string[]> = {
  href: ['http', 'https', 'mailto', 'xmpp', 'irc', 'ircs', 'tel'],
  src: ['http', 'https'],
  cite: ['http', 'https'],
  poster: ['http', 'https'],
  action: ['http', 'https'],
};

/** Raster images a `data:` URL may hold in `src` (not SVG, which may carry script when opened on its own). */
const dataImage = /^data:image\/(?:png|gif|jpeg|webp|avif)[;,]/i;

/**
 * Whether a URL attribute's value would be unsafe in a page: its scheme, read as a browser reads it (leading
 * spaces and control characters skipped, tabs and newlines inside removed, case ignored), is not one allowed for
 * that attribute.
 */
export function isUnsafeUrl(attribute: string, value: string): boolean {
  return unsafeScheme(attribute, value) !== undefined;
}

/** The scheme of an unsafe URL (see {@link isUnsafeUrl}), in lower case, as the warning names it; undefined when safe. */
export function unsafeScheme(attribute: string, value: string): string | undefined {
  const schemes = allowed[attribute];
  if (!schemes) return undefined;
  // The URL parser strips leading C0 controls and spaces, and every tab and newline, before it reads the scheme.
  const url = value.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  const colon = url.indexOf(':');
  if (colon < 0) return undefined;
  const scheme = url.slice(0, colon);
  // Text before the colon that is not a scheme (`/a:b`, `#x:y`, `1:2`) makes a relative URL, as the URL parser reads it.
  if (!/^[a-z][a-z\d+.-]*$/i.test(scheme)) return undefined;
  if (attribute === 'src' && dataImage.test(url)) return undefined;
  return schemes.includes(scheme.toLowerCase()) ? undefined : scheme.toLowerCase();
}

/** A URL dropped as unsafe, at its element's body-relative place (1-based line, and column when known). */
export interface DroppedUrl {
  /** The scheme, lower case (`javascript`, `data`…), at most 40 characters. */
  scheme: string;
  /** `href` of a link, `src` of an image… */
  attribute: string;
  /** The element that held it (`a`, `img`). */
  element: string;
  line: number;
  column?: number;
}

/**
 * The warning for a dropped URL, at its place in the post's file (`bodyStartLine` is the file line of the body's
 * first line). Made from the record alone, so a result from the cache warns as the rendering did.
 */
export function droppedUrlWarning(file: string, bodyStartLine: number, found: DroppedUrl): Diagnostic {
  const loc = { file, line: bodyStartLine + found.line - 1, column: found.column };
  const what = found.element === 'img' ? 'image' : found.element === 'a' ? 'link' : `<${found.element}> element`;
  return warning('UnsafeUrlDropped', { scheme: found.scheme, what, attribute: found.attribute }, loc);
}
