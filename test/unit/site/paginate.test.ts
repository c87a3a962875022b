import { describe, expect, it } from 'vitest';
import { paginate } from '../../../src/site/paginate.js';

describe('paginate', () => {
  it('puts the first page at the base path and the rest at page/N/', () => {
    const pages = paginate([1, 2, 3, 4, 5, 6, 7], 3, 'tags/x/');
    expect(pages.map((p) => [p.path, p.items, p.previousPath, p.nextPath])).toEqual([
      ['tags/x/', [1, 2, 3], null, 'tags/x/page/2/'],
      ['tags/x/page/2/', [4, 5, 6], 'tags/x/', 'tags/x/page/3/'],
      ['tags/x/page/3/', [7], 'tags/x/page/2/', null],
    ]);
    expect(pages.every((p) => p.totalPages === 3 && p.firstPath === 'tags/x/' && p.lastPath === 'tags/x/page/3/')).toBe(true);
  });

  it('gives an empty list one empty page, and an exact multiple no empty last page', () => {
    expect(paginate([], 10, '')).toMatchObject([{ path: '', items: [], page: 1, totalPages: 1, previousPath: null, nextPath: null }]);
    expect(paginate([1, 2, 3, 4], 2, '').map((p) => p.path)).toEqual(['', 'page/2/']);
  });
});
