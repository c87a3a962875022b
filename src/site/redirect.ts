import { escapeXml } from './xml.js';

/** What a redirect page needs: where it points, twice (a link for the browser, an absolute URL for search engines). */
export interface RedirectOptions {
  /** The target's link, root-relative with the base path (`/blog/about/`). */
  url: string;
  /** The target's absolute URL (root-relative when the site has no `url`), for `rel="canonical"`. */
  canonical: string;
  /** The target's title, for the page title and the link text. */
  title: string;
  /** `<html lang>`. */
  language: string;
}

/**
 * The page left at an old URL (`aliases` in front matter): a meta refresh for browsers, a canonical link so search
 * engines index the new URL, `noindex` for the old one, and a plain link for people whose browser does not follow
 * refreshes. Valid HTML on its own: it uses no template and no asset.
 */
export function renderRedirect(options: RedirectOptions): string {
  const url = escapeXml(options.url);
  const title = escapeXml(options.title);
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeXml(options.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<title>Moved: ${title}</title>`,
    '<meta name="robots" content="noindex">',
    `<link rel="canonical" href="${escapeXml(options.canonical)}">`,
    `<meta http-equiv="refresh" content="0; url=${url}">`,
    '</head>',
    '<body>',
    `<p>This page has moved to <a href="${url}">${title}</a>.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
