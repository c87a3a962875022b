import { fileNameDate, parseDate } from '../content/dates.js';
import { monthNameDate } from '../content/month-name-dates.js';

const isoLike = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$/;

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
  } else result = monthNameDate(text);
  return result !== undefined && typeof parseDate(result, timeZone) !== 'string' ? result : undefined;
}

export { fileNameDate };
