/**
 * Dates written with a month name, as other generators' posts have them: `11 Oct 2023`, `6 December 2024`,
 * `December 6, 2024`, `Jul 08 2022`, and RFC 2822 (`Tue, 15 Nov 1994 12:45:26 GMT`). Both the build and
 * `blogbuild import` read them, as calendar dates: a time of day after the date is dropped.
 */

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// "11 Oct 2023", "Tue, 15 Nov 1994 12:45:26 GMT" (RFC 2822), "6 December 2024"
const dayMonthYear = /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/;
// "Jul 08 2022", "December 6, 2024", "Tue Jul 08 2022"
const monthDayYear = /^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/;

/** The `YYYY-MM-DD` of a date written with an English month name (not checked to exist), or undefined. */
export function monthNameDate(text: string): string | undefined {
  const dmy = dayMonthYear.exec(text);
  const mdy = dmy ? undefined : monthDayYear.exec(text);
  const [day, month, year] = dmy ? [dmy[1], dmy[2], dmy[3]] : mdy ? [mdy[2], mdy[1], mdy[3]] : [];
  const index = month ? months.indexOf(month.slice(0, 3).toLowerCase()) : -1;
  if (index < 0 || !day || !year) return undefined;
  // "Mayday 3 2024" is not May: the name must be the month's short or full English name.
  const name = month!.toLowerCase();
  if (name.length > 3 && !fullNames[index].startsWith(name)) return undefined;
  return `${year}-${String(index + 1).padStart(2, '0')}-${day.padStart(2, '0')}`;
}

const fullNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** `03/04/2024`, `3.4.2024`, `03-04-2024`: day and month in an order the text does not say. */
export function numericDateOrder(text: string): { first: number; second: number; year: number } | undefined {
  const m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(text);
  return m ? { first: Number(m[1]), second: Number(m[3]), year: Number(m[4]) } : undefined;
}
