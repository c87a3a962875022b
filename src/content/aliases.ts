/**
 * `aliases` in front matter: the old URLs of a post or page, relative to the site's base URL (`/old/url/`,
 * `/2019/05/hello.html`). Each becomes a redirect page, so a moved page never 404s.
 */

/** The site paths (`old/url/`, `2019/05/hello.html`) of an `aliases` value, or why it cannot be used. */
export function parseAliases(value: unknown): { paths: string[] } | { problem: string } {
  if (value === undefined || value === null) return { paths: [] };
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!items) return { problem: '`aliases` must be a list of URL paths' };
  const paths: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return { problem: `\`aliases\` must be a list of URL paths, and ${JSON.stringify(item)} is not text` };
    const problem = aliasProblem(item);
    if (problem) return { problem: `alias ${JSON.stringify(item)} ${problem}` };
    paths.push(aliasPath(item));
  }
  return { paths };
}

/** Why an alias cannot be a path of the site, or undefined. */
function aliasProblem(alias: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(alias)) return 'is an absolute URL; write the path relative to the site, e.g. /old/url/';
  if (/[?#]/.test(alias)) return 'has a query or fragment, which a static file cannot answer';
  if (/[\s\u0000-\u001f\u007f\\]/.test(alias)) return 'holds whitespace, a backslash or a control character';
  const segments = alias.split('/').filter(Boolean);
  if (segments.length === 0) return 'is the home page';
  if (segments.some((segment) => /^\.+$/.test(safeDecode(segment)))) return 'holds a `.` or `..` segment';
  return undefined;
}

/**
 * The site path of an alias: `/old/url` and `/old/url/` → `old/url/` (written as `old/url/index.html`); a last segment
 * with an extension (`/old.html`) is a file. Percent-escapes are kept as written, like a page path's.
 */
function aliasPath(alias: string): string {
  const path = encodeURI(safeDecode(alias.replace(/^\/+/, '').replace(/\/{2,}/g, '/')));
  if (path.endsWith('/')) return path;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return /\.[a-z0-9]+$/i.test(last) ? path : `${path}/`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%` (`/100%-rye/`) is no escape: the alias is taken as written.
    return text;
  }
}
