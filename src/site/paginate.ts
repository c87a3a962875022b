import type { Pagination } from './model.js';

/** How many pages {@link paginate} makes of `count` items: one at least. */
export function pageCount(count: number, perPage: number): number {
  return Math.max(1, Math.ceil(count / perPage));
}

/**
 * Splits items into pages: the first at `basePath`, the rest at `basePath` + `page/N/`.
 * Pure; an empty list still gives one (empty) page, so a blog without posts has a home page.
 */
export function paginate<T>(items: readonly T[], perPage: number, basePath: string): Pagination<T>[] {
  const totalPages = pageCount(items.length, perPage);
  const pagePaths = Array.from({ length: totalPages }, (_, i) => (i === 0 ? basePath : `${basePath}page/${i + 1}/`));
  return pagePaths.map((path, i) => ({
    items: items.slice(i * perPage, (i + 1) * perPage),
    page: i + 1,
    totalPages,
    path,
    previousPath: i > 0 ? pagePaths[i - 1] : null,
    nextPath: i < totalPages - 1 ? pagePaths[i + 1] : null,
    firstPath: pagePaths[0],
    lastPath: pagePaths[totalPages - 1],
    pagePaths,
  }));
}
