import { parseDate } from '../content/dates.js';

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const isoLike = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$/;
// "11 Oct 2023", "Tue, 15 Nov 1994 12:45:26 GMT" (RFC 2822), "6 December 2024"
const dayMonthYear = /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/;
// "Jul 08 2022", "December 6, 2024", "Tue Jul 08 2022"
const monthDayYear = /^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/;

/**
 * A front-matter date in blogbuild's canonical form: `YYYY-MM-DD`, or an ISO date-time (`…T10:00:00+01:00`;
 * without offset, in the site's time zone). Dates written with a month name become calendar dates (their time of
 * day, if any, is dropped). Returns undefined for anything else, e.g. the ambiguous `03/04/2024`.
 */
export function canonicalDate(value: unknown, timeZone: string): string | undefined {
  if (value instanceof Date) value = value.toISOString();
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  let result: string | undefined;
  const iso = isoLike.exec(text);
  if (iso) {
    const offset = iso[3] && iso[3].toUpperCase() !== 'Z' ? iso[3].replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2') : iso[3] ? 'Z' : '';
    const time = iso[2] ? (iso[2].length === 5 ? `${iso[2]}:00` : iso[2]) : '';
    result = time ? `${iso[1]}T${time}${offset === 'Z' ? '+00:00' : offset}` : iso[1];
  } else {
    const dmy = dayMonthYear.exec(text);
    const mdy = dmy ? undefined : monthDayYear.exec(text);
    const [day, month, year] = dmy ? [dmy[1], dmy[2], dmy[3]] : mdy ? [mdy[2], mdy[1], mdy[3]] : [];
    const index = month ? months.indexOf(month.slice(0, 3).toLowerCase()) : -1;
    if (index >= 0 && day && year) result = `${year}-${String(index + 1).padStart(2, '0')}-${day.padStart(2, '0')}`;
  }
  return result !== undefined && typeof parseDate(result, timeZone) !== 'string' ? result : undefined;
}

/** The `YYYY-MM-DD` a Jekyll-style file name starts with, if any. */
export function fileNameDate(name: string): string | undefined {
  return /^(\d{4}-\d{2}-\d{2})-/.exec(name)?.[1];
}
