import { error, type Diagnostic } from '../diagnostics/error.js';
import type { Page, RenderedPage } from './model.js';

/** Pages by weight, then title, then path: the navigation's order when the config has no `nav`. */
export function comparePages(a: Page, b: Page): number {
  return a.weight - b.weight || a.title.localeCompare(b.title, 'en') || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/**
 * The site navigation: the pages the config's `nav` names, in its order (`"about"`, `"/docs/faq/"`), or every page
 * by weight and title when there is no `nav`. A `nav` entry naming no page is an error on the config file.
 */
export function siteNav(pages: readonly RenderedPage[], nav: readonly string[] | undefined, configFile: string | undefined, drafts: readonly Page[] = []): { nav: RenderedPage[]; diagnostics: Diagnostic[] } {
  if (!nav) return { nav: [...pages].sort(comparePages), diagnostics: [] };
  const key = (page: Page) => decodeURIComponent(page.path).replace(/\/$/, '');
  const byPath = new Map(pages.map((page) => [key(page), page]));
  // A draft listed in `nav` is left out of it while it is a draft, not an error.
  const draftPaths = new Set(drafts.map(key));
  const diagnostics: Diagnostic[] = [];
  const listed: RenderedPage[] = [];
  for (const entry of nav) {
    const page = byPath.get(entry.replace(/^\/+|\/+$/g, ''));
    if (page) {
      if (!listed.includes(page)) listed.push(page);
      continue;
    }
    if (draftPaths.has(entry.replace(/^\/+|\/+$/g, ''))) continue;
    diagnostics.push(error('ConfigInvalid', { problem: 'nav-unknown', entry, known: [...byPath.keys()] }, configFile ? { file: configFile } : undefined));
  }
  return { nav: listed, diagnostics };
}
