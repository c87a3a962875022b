/**
 * Dates in posts. A date without a time is a calendar date in the site's time zone: it shows the same day
 * on every machine. A date-time is an instant, shown in the site's time zone.
 */

import { monthNameDate, numericDateOrder } from './month-name-dates.js';

/** A parsed front-matter date. */
export interface PostDate {
  /** The instant: midnight in the site's time zone for a calendar date. Used for sorting and feeds. */
  instant: Date;
  /** True when the front matter gave no time of day. */
  isDateOnly: boolean;
  /** For `<time datetime>`: `2024-12-31`, or `2024-12-31T10:00:00+02:00` in the site's time zone. */
  iso: string;
}

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTime = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * The earliest year a post may have. Earlier four-digit years (`0024-01-31`) are far more often a typo than a post
 * from antiquity, and JavaScript's Date.UTC reads years 0–99 as 1900–1999 (`0052-02-29` would be 1952).
 */
export const minYear = 1000;

function yearTooEarly(text: string, year: number): string {
  return `${JSON.stringify(text)} is in the year ${year}, and blogbuild takes years from ${minYear} to 9999 (is a digit of the year missing?)`;
}

/** Parses a front-matter date value; returns a reason string when it is not a date. */
export function parseDate(value: unknown, timeZone: string): PostDate | string {
  if (value instanceof Date) value = value.toISOString();
  if (typeof value !== 'string') return `expected a date such as 2024-01-31, got ${describe(value)}`;
  let text = value.trim();
  const named = monthNameDate(text);
  if (named) text = named;
  else if (numericDateOrder(text)) return ambiguousOrder(text);
  let m = dateOnly.exec(text) ?? dateTime.exec(text);
  if (m && Number(m[1]) < minYear) return yearTooEarly(text, Number(m[1]));
  m = dateOnly.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isCalendarDate(y, mo, d)) return notACalendarDate(text, y, mo, d);
    return { instant: wallTimeToInstant(y, mo, d, 0, 0, 0, 0, timeZone), isDateOnly: true, iso: text };
  }
  m = dateTime.exec(text);
  if (!m) return `${JSON.stringify(text)} is not written as YYYY-MM-DD or an ISO date-time`;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m![i] ?? 0));
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (!isCalendarDate(y, mo, d)) return notACalendarDate(text, y, mo, d);
  if (h > 23 || mi > 59 || s > 59) return `${JSON.stringify(text)} has no time of day ${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''}`;
  let instant: Date;
  if (m[8]) {
    const offset = m[8].toUpperCase() === 'Z' ? 0 : parseOffset(m[8]);
    if (offset === undefined) return `${JSON.stringify(text)} has an invalid UTC offset`;
    instant = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000);
  } else {
    instant = wallTimeToInstant(y, mo, d, h, mi, s, ms, timeZone);
  }
  return { instant, isDateOnly: false, iso: isoInZone(instant, timeZone) };
}

/** The `YYYY-MM-DD` a Jekyll-style file name (`2024-01-31-title.md`) starts with, if any. */
export function fileNameDate(name: string): string | undefined {
  return /^(\d{4}-\d{2}-\d{2})-/.exec(name)?.[1];
}

/** Why `03/04/2024` is not read: day and month could be either way round, and guessing would misdate a post silently. */
function ambiguousOrder(text: string): string {
  const { first, second, year } = numericDateOrder(text)!;
  const name = (month: number) => new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month - 1, 1)));
  const readings = [[first, second], [second, first]].filter(([m, d]) => m >= 1 && m <= 12 && isCalendarDate(year, m, d));
  const which = readings.length === 2 && first !== second ? ` (${name(readings[0][0])} ${readings[0][1]} or ${readings[1][1]} ${name(readings[1][0])}?)` : '';
  return `${JSON.stringify(text)} is written in numbers only, and blogbuild does not guess which is the day and which the month${which}; write it as YYYY-MM-DD`;
}

/** The calendar date (y, m, d) of a PostDate in the site's time zone. */
export function calendarParts(date: PostDate, timeZone: string): { year: number; month: number; day: number } {
  const p = zonedParts(date.instant, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Formats a date for display in the site's language; calendar dates never shift with the time zone. */
export function formatDate(
  date: PostDate,
  language: string,
  timeZone: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'long' },
): string {
  const key = `${language}|${date.isDateOnly ? 'UTC' : timeZone}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(language, { ...options, timeZone: date.isDateOnly ? 'UTC' : timeZone });
    formatters.set(key, formatter);
  }
  if (!date.isDateOnly) return formatter.format(date.instant);
  const [y, m, d] = date.iso.split('-').map(Number);
  return formatter.format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * The instant at which the wall-clock time (y-m-d h:mi:s) occurs in `timeZone`, resolved like Temporal's
 * `disambiguation: 'compatible'`: a time that occurs twice (clocks go back) is the earlier instant; a time
 * skipped when clocks go forward is moved forward by the gap (02:30 on a spring-forward night → 03:30).
 */
export function wallTimeToInstant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, timeZone: string): Date {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // UTC has one offset, 0 (from year 100 on, where zonedParts reads the Date's own fields): the wall time is the
  // instant. Most sites are in UTC, and the four offset lookups below cost ~10 µs a post.
  if (utcZones.has(timeZone) && y >= 100) return new Date(wall);
  const day = 86_400_000;
  // Offsets a day before and after bracket any single transition near this wall time.
  const before = offsetMinutes(new Date(wall - day), timeZone) * 60_000;
  const after = offsetMinutes(new Date(wall + day), timeZone) * 60_000;
  const matches = (instant: number) => instant + offsetMinutes(new Date(instant), timeZone) * 60_000 === wall;
  const candidates = [wall - before, wall - after].filter(matches).sort((a, b) => a - b);
  // No candidate: the wall time falls in a gap; reading it with the offset before the gap moves it forward.
  return new Date(candidates[0] ?? wall - before);
}

/** `2024-12-31T10:00:00+02:00`: the instant as wall-clock time in `timeZone`, with its offset. */
export function isoInZone(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const offset = offsetMinutes(instant, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The UTC offset of `timeZone` at `instant`, in minutes. */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** Zone names that are UTC at every instant; their wall-clock parts are the Date's own UTC fields. */
const utcZones = new Set(['UTC', 'Etc/UTC']);

function zonedParts(instant: Date, timeZone: string) {
  // Intl's formatToParts costs a few microseconds a call and parsing a date-only post calls it four times;
  // for UTC the answer is the Date's own UTC fields (years after 1 BC, where Intl's era-based years agree).
  if (utcZones.has(timeZone) && instant.getUTCFullYear() > 0) {
    return {
      year: instant.getUTCFullYear(),
      month: instant.getUTCMonth() + 1,
      day: instant.getUTCDate(),
      hour: instant.getUTCHours(),
      minute: instant.getUTCMinutes(),
      second: instant.getUTCSeconds(),
    };
  }
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partFormatters.set(timeZone, f);
  }
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of f.formatToParts(instant)) {
    if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
  }
  return out;
}

function parseOffset(text: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (Number(m[2]) > 23 || Number(m[3] ?? 0) > 59) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

/** Why y-m-d is not a day: `"2024-13-31" has no month 13`, `"2024-02-30" does not exist (February 2024 has 29 days)`. */
function notACalendarDate(text: string, y: number, m: number, d: number): string {
  const quoted = JSON.stringify(text);
  if (m < 1 || m > 12) return `${quoted} has no month ${m} (months go from 01 to 12)`;
  if (d < 1) return `${quoted} has no day ${d}`;
  const month = new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
  return `${quoted} does not exist (${month} ${y} has ${new Date(Date.UTC(y, m, 0)).getUTCDate()} days)`;
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
