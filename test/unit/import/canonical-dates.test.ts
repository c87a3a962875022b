import { describe, expect, it } from 'vitest';
import { canonicalDate, fileNameDate } from '../../../src/import/canonical-dates.js';
import { expandPermalink } from '../../../src/import/permalink.js';

describe('canonicalDate', () => {
  it.each([
    ['2024-12-31', '2024-12-31'],
    ['2021-04-02 08:30:00 +0200', '2021-04-02T08:30:00+02:00'],
    ['2023-11-02T07:15:00.000-04:00', '2023-11-02T07:15:00-04:00'],
    ['2023-11-02T07:15Z', '2023-11-02T07:15:00+00:00'],
    ['2023-11-02 07:15', '2023-11-02T07:15:00'],
    ['Jul 08 2022', '2022-07-08'],
    ['11 Oct 2023', '2023-10-11'],
    ['6 December 2024', '2024-12-06'],
    ['December 6, 2024', '2024-12-06'],
    ['Tue, 15 Nov 1994 12:45:26 GMT', '1994-11-15'],
  ])('%s → %s', (written, canonical) => {
    expect(canonicalDate(written, 'Europe/Berlin')).toBe(canonical);
  });

  it.each(['03/04/2024', 'Last Modified', '2024-02-30', '31 Smarch 2024', ''])('leaves %j unconverted', (written) => {
    expect(canonicalDate(written, 'UTC')).toBeUndefined();
  });

  it('reads the date of a Jekyll file name', () => {
    expect(fileNameDate('2016-01-01-x')).toBe('2016-01-01');
    expect(fileNameDate('x-2016-01-01')).toBeUndefined();
  });
});

describe('expandPermalink', () => {
  const values = { date: '2021-03-04', slug: 'pi-day', categories: ['Baking Tips'] };
  it.each([
    ['/:categories/:year/:month/:day/:title:output_ext', '/baking-tips/2021/03/04/pi-day.html'],
    ['/:year/:i_month/:i_day/:title/', '/2021/3/4/pi-day/'],
    ['/:categories/:title/', '/baking-tips/pi-day/'],
  ])('Jekyll %s → %s', (pattern, url) => {
    expect(expandPermalink(pattern, values)).toBe(url);
  });

  it('expands Hugo :title from the title and collapses empty segments', () => {
    expect(expandPermalink('/:section/:year/:title/', { date: '2023-11-02', slug: 'x', title: 'First Frost!', section: 'posts' })).toBe('/posts/2023/first-frost/');
    expect(expandPermalink('/:categories/:title/', { slug: 'x' })).toBe('/x/');
  });
});
