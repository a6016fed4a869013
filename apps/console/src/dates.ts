/**
 * Dates as staff type them, whatever the browser's locale: `2026-12-02` or `2 December 2026` (a month
 * may be shortened: `2 Dec 2026`). A browser's own date picker shows and reads the date in its locale
 * (12/02/2026 in one, 02/12/2026 in another), which is how a day and a month get swapped, so the console
 * asks for one of these two unambiguous forms instead.
 */
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

const pad = (value: number): string => String(value).padStart(2, '0');

function calendarDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}` : null;
}

function monthNumber(name: string): number | null {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower.length < 3) return null;
  const index = MONTHS.findIndex((month) => month.startsWith(lower) && (lower.length === 3 || month === lower || (lower === 'sept' && month === 'september')));
  return index === -1 ? null : index + 1;
}

/** `2026-12-02`, `2 December 2026` or `2 Dec 2026` → `2026-12-02`; anything else (or a day that does not exist) → null. */
export function parseDateInput(text: string): string | null {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (iso) return calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const words = /^(\d{1,2}) ([A-Za-z]+\.?),? (\d{4})$/.exec(trimmed);
  if (!words) return null;
  const month = monthNumber(words[2]);
  return month === null ? null : calendarDate(Number(words[3]), month, Number(words[1]));
}

/** The hint every date field carries, so the accepted forms are never a guess. */
export const DATE_FORMS_HINT = 'For example 2026-12-02 or 2 December 2026.';

/** A payment window in plain words: `1 September 2026 to 30 November 2026`, or `from 1 April 2027` when it has no end. */
export const formatWindow = (start: string, end: string | null, format: (date: string) => string): string =>
  end ? `${format(start)} to ${format(end)}` : `from ${format(start)}`;
