import { DateTimeFormatter, LocalDate, ResolverStyle, ZonedDateTime, ZoneId, Instant } from '@js-joda/core';
import '@js-joda/timezone';

/** Business dates are calendar dates (YYYY-MM-DD) with no time zone; arithmetic is done by js-joda. */
export type CalendarDate = string;

const STRICT_ISO_DATE = DateTimeFormatter.ofPattern('uuuu-MM-dd').withResolverStyle(ResolverStyle.STRICT);
const ISO_DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD (2025-02-30 is not one). */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string' || !ISO_DATE_SHAPE.test(value)) return false;
  try {
    LocalDate.parse(value, STRICT_ISO_DATE);
    return true;
  } catch {
    return false;
  }
}

export const toLocalDate = (date: CalendarDate): LocalDate => LocalDate.parse(date, STRICT_ISO_DATE);

export const isAfter = (a: CalendarDate, b: CalendarDate): boolean => toLocalDate(a).isAfter(toLocalDate(b));

/** The Europe/London calendar date of an instant: the "today" a user in England means. */
export function londonDateOf(instant: string): CalendarDate {
  return ZonedDateTime.ofInstant(Instant.parse(instant), ZoneId.of('Europe/London')).toLocalDate().toString();
}

export function addHours(instant: string, hours: number): string {
  return Instant.parse(instant).plusSeconds(hours * 3600).toString();
}
