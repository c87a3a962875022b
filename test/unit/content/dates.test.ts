import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarParts, formatDate, parseDate, wallTimeToInstant, type PostDate } from '../../../src/content/dates.js';

const ny = 'America/New_York';

function ok(value: unknown, timeZone = 'UTC'): PostDate {
  const parsed = parseDate(value, timeZone);
  if (typeof parsed === 'string') throw new Error(`expected a date, got: ${parsed}`);
  return parsed;
}

describe('parseDate: calendar dates', () => {
  it('is midnight in the site time zone and keeps the written day', () => {
    const date = ok('2024-01-31', ny);
    expect(date.isDateOnly).toBe(true);
    expect(date.iso).toBe('2024-01-31');
    expect(date.instant.toISOString()).toBe('2024-01-31T05:00:00.000Z');
    expect(ok('2024-07-04', ny).instant.toISOString()).toBe('2024-07-04T04:00:00.000Z');
    expect(ok('2024-01-31').instant.toISOString()).toBe('2024-01-31T00:00:00.000Z');
  });

  it('accepts 29 February in leap years only', () => {
    expect(ok('2024-02-29').iso).toBe('2024-02-29');
    expect(ok('2000-02-29').iso).toBe('2000-02-29');
    expect(parseDate('2023-02-29', 'UTC')).toBe('"2023-02-29" does not exist (February 2023 has 28 days)');
    expect(parseDate('1900-02-29', 'UTC')).toBe('"1900-02-29" does not exist (February 1900 has 28 days)');
  });

  it('shows the same calendar day in every time zone', () => {
    const date = ok('2024-12-31', 'Pacific/Kiritimati');
    expect(calendarParts(date, 'Pacific/Kiritimati')).toEqual({ year: 2024, month: 12, day: 31 });
    expect(formatDate(date, 'en', 'Pacific/Kiritimati')).toBe('December 31, 2024');
    expect(formatDate(date, 'en', 'Pacific/Pago_Pago')).toBe('December 31, 2024');
  });

  it('is the instant midnight begins on the day clocks change', () => {
    expect(ok('2024-03-10', ny).instant.toISOString()).toBe('2024-03-10T05:00:00.000Z');
    expect(ok('2024-11-03', ny).instant.toISOString()).toBe('2024-11-03T04:00:00.000Z');
  });
});

describe('parseDate: date-times with an offset', () => {
  it.each([
    ['2024-01-31T09:30:00+01:00', '2024-01-31T08:30:00.000Z'],
    ['2024-01-31T09:30:00Z', '2024-01-31T09:30:00.000Z'],
    ['2024-01-31t09:30z', '2024-01-31T09:30:00.000Z'],
    ['2024-01-31T09:30:00-0530', '2024-01-31T15:00:00.000Z'],
    ['2024-01-31T09:30:00+09', '2024-01-31T00:30:00.000Z'],
    ['2024-01-31T09:30:00.25+00:00', '2024-01-31T09:30:00.250Z'],
    ['2024-01-31 09:30:00 +02:00', '2024-01-31T07:30:00.000Z'],
  ])('%s is %s', (text, instant) => {
    const date = ok(text, ny);
    expect(date.isDateOnly).toBe(false);
    expect(date.instant.toISOString()).toBe(instant);
  });

  it('writes iso in the site time zone with its offset', () => {
    expect(ok('2024-01-31T09:30:00+01:00', ny).iso).toBe('2024-01-31T03:30:00-05:00');
    expect(ok('2024-06-30T09:30:00+01:00', ny).iso).toBe('2024-06-30T04:30:00-04:00');
    expect(ok('2024-06-01T12:00:00Z', 'Asia/Kolkata').iso).toBe('2024-06-01T17:30:00+05:30');
  });

  it('accepts a js-yaml Date object as the instant it is', () => {
    expect(ok(new Date('2024-01-31T10:00:00Z'), ny).instant.toISOString()).toBe('2024-01-31T10:00:00.000Z');
  });
});

describe('parseDate: date-times without an offset are wall time in the site time zone', () => {
  it('in winter and summer', () => {
    expect(ok('2024-01-31T09:30', ny).instant.toISOString()).toBe('2024-01-31T14:30:00.000Z');
    expect(ok('2024-07-31 09:30:15', ny).instant.toISOString()).toBe('2024-07-31T13:30:15.000Z');
  });

  it('around the spring-forward gap (2024-03-10, 02:00 → 03:00)', () => {
    expect(ok('2024-03-10T01:59', ny).instant.toISOString()).toBe('2024-03-10T06:59:00.000Z');
    // 02:30 never happens on that night: it moves forward by the gap, to 03:30 EDT, not back to 01:30 EST.
    expect(ok('2024-03-10T02:30', ny).instant.toISOString()).toBe('2024-03-10T07:30:00.000Z');
    expect(ok('2024-03-10T02:30', ny).iso).toBe('2024-03-10T03:30:00-04:00');
    expect(ok('2024-03-10T03:00', ny).instant.toISOString()).toBe('2024-03-10T07:00:00.000Z');
    expect(ok('2024-03-10T03:30', ny).iso).toBe('2024-03-10T03:30:00-04:00');
  });

  it('around the fall-back overlap (2024-11-03, 02:00 → 01:00)', () => {
    // 01:30 happens twice; the first (EDT) is taken, as JavaScript and Temporal do.
    expect(ok('2024-11-03T01:30', ny).instant.toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(ok('2024-11-03T01:30', ny).iso).toBe('2024-11-03T01:30:00-04:00');
    expect(ok('2024-11-03T00:59', ny).instant.toISOString()).toBe('2024-11-03T04:59:00.000Z');
    expect(ok('2024-11-03T02:00', ny).instant.toISOString()).toBe('2024-11-03T07:00:00.000Z');
    expect(ok('2024-11-03T02:30', ny).iso).toBe('2024-11-03T02:30:00-05:00');
  });

  it('keeps wall times in order across both changes', () => {
    const times = ['2024-03-10T01:30', '2024-03-10T02:30', '2024-03-10T03:45', '2024-11-03T00:30', '2024-11-03T01:30', '2024-11-03T02:30'];
    const instants = times.map((t) => ok(t, ny).instant.getTime());
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(new Set(instants).size).toBe(times.length);
  });
});

describe('parseDate: dates written with a month name (other generators\' posts)', () => {
  it.each([
    ['11 Oct 2023', '2023-10-11'],
    ['6 December 2024', '2024-12-06'],
    ['December 6, 2024', '2024-12-06'],
    ['Jan 31 2024', '2024-01-31'],
    ['Tue, 15 Nov 1994 12:45:26 GMT', '1994-11-15'],
  ])('%s is the calendar date %s in every time zone', (text, iso) => {
    for (const zone of ['UTC', ny, 'Pacific/Kiritimati']) {
      const date = ok(text, zone);
      expect(date.isDateOnly).toBe(true);
      expect(date.iso).toBe(iso);
    }
  });

  it('checks the day exists and the month is a month', () => {
    expect(parseDate('31 Feb 2024', 'UTC')).toBe('"2024-02-31" does not exist (February 2024 has 29 days)');
    expect(typeof parseDate('6 Decembre 2024', 'UTC')).toBe('string');
  });
});

describe('parseDate: invalid dates', () => {
  it.each([
    ['2024-13-31', '"2024-13-31" has no month 13 (months go from 01 to 12)'],
    ['2024-00-10', '"2024-00-10" has no month 0 (months go from 01 to 12)'],
    ['2024-02-30', '"2024-02-30" does not exist (February 2024 has 29 days)'],
    ['2024-04-31', '"2024-04-31" does not exist (April 2024 has 30 days)'],
    ['2024-01-00', '"2024-01-00" has no day 0'],
    ['next tuesday', '"next tuesday" is not written as YYYY-MM-DD or an ISO date-time'],
    ['2024-1-31', '"2024-1-31" is not written as YYYY-MM-DD or an ISO date-time'],
    ['31/01/2024', '"31/01/2024" is written in numbers only, and blogbuild does not guess which is the day and which the month; write it as YYYY-MM-DD'],
    ['03/04/2024', '"03/04/2024" is written in numbers only, and blogbuild does not guess which is the day and which the month (March 4 or 3 April?); write it as YYYY-MM-DD'],
    ['2024-01-31T24:00', '"2024-01-31T24:00" has no time of day 24:00'],
    ['2024-01-31T10:60:00', '"2024-01-31T10:60:00" has no time of day 10:60:00'],
    ['2024-02-30T10:00Z', '"2024-02-30T10:00Z" does not exist (February 2024 has 29 days)'],
    ['2024-01-31T10:00+25:00', '"2024-01-31T10:00+25:00" has an invalid UTC offset'],
  ])('%s: %s', (text, reason) => {
    expect(parseDate(text, ny)).toBe(reason);
  });

  it('names what was given when it is not text', () => {
    expect(parseDate(20240131, 'UTC')).toBe('expected a date such as 2024-01-31, got number 20240131');
    expect(parseDate(['2024-01-01'], 'UTC')).toBe('expected a date such as 2024-01-31, got a list');
    expect(parseDate({ day: 1 }, 'UTC')).toBe('expected a date such as 2024-01-31, got a mapping');
    expect(parseDate(true, 'UTC')).toBe('expected a date such as 2024-01-31, got boolean true');
  });
});

describe('years before 1000 (issue 14)', () => {
  it('refuses them instead of reading 0001 as 1901 or 0052 as 1952', () => {
    for (const text of ['0001-01-01', '0052-02-29', '0999-12-31', '0052-02-29T10:00:00Z', '0000-01-01']) {
      expect(parseDate(text, 'UTC'), text).toMatch(/is in the year \d+, and blogbuild takes years from 1000 to 9999/);
    }
    const first = parseDate('1000-01-01', 'Europe/Paris');
    expect(typeof first === 'string' ? first : first.iso).toBe('1000-01-01');
  });
});

describe('wallTimeToInstant in UTC', () => {
  it('is the instant the offset lookups give in a zone that is always UTC+0 (Etc/GMT)', () => {
    const wall = fc.tuple(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 999 }));
    fc.assert(fc.property(wall, fc.constantFrom('UTC', 'Etc/UTC'), ([y, mo, d, h, mi, s, ms], zone) => {
      expect(wallTimeToInstant(y, mo, d, h, mi, s, ms, zone).getTime()).toBe(wallTimeToInstant(y, mo, d, h, mi, s, ms, 'Etc/GMT').getTime());
    }), { numRuns: 500, seed: 15 });
  });
});
