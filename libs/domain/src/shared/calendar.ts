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

/**
 * Parsed dates by their text. js-joda's strict parser is slow and the programme's rules (release
 * schedule, payment windows) parse the same few hundred dates on every event; a LocalDate is
 * immutable, so one parse can be shared. A text that does not parse throws and is not kept.
 */
const parsedDates = new Map<CalendarDate, LocalDate>();
const PARSED_DATES_KEPT = 10_000;

export const toLocalDate = (date: CalendarDate): LocalDate => {
  let parsed = parsedDates.get(date);
  if (parsed === undefined) {
    parsed = LocalDate.parse(date, STRICT_ISO_DATE);
    if (parsedDates.size >= PARSED_DATES_KEPT) parsedDates.clear();
    parsedDates.set(date, parsed);
  }
  return parsed;
};

// Calendar dates are YYYY-MM-DD, so their text sorts in calendar order: comparing needs no parsing.
export const isAfter = (a: CalendarDate, b: CalendarDate): boolean => checkedShape(a) > checkedShape(b);
export const isBefore = (a: CalendarDate, b: CalendarDate): boolean => checkedShape(a) < checkedShape(b);

function checkedShape(date: CalendarDate): CalendarDate {
  if (!ISO_DATE_SHAPE.test(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  return date;
}
export const laterOf = (a: CalendarDate, b: CalendarDate): CalendarDate => (isAfter(b, a) ? b : a);

/**
 * London dates by the UTC hour they fall in. London's offset only ever changes on the hour (01:00 UTC),
 * so every instant of one UTC hour has the same London date; a rebuild asks for it on every event, and
 * js-joda's zone rules cost several microseconds a call. Only UTC instants of the canonical shape are
 * kept, and only once js-joda has accepted their hour; anything else goes to js-joda every time.
 */
const LONDON_DATES_KEPT = 50_000;
const londonDatesByUtcHour = new Map<string, CalendarDate>();
const UTC_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

/** The Europe/London calendar date of an instant: the "today" a user in England means. */
export function londonDateOf(instant: string): CalendarDate {
  const utcHour = UTC_INSTANT.exec(instant)?.[1];
  const known = utcHour === undefined ? undefined : londonDatesByUtcHour.get(utcHour);
  if (known !== undefined) return known;
  const date = ZonedDateTime.ofInstant(Instant.parse(instant), ZoneId.of('Europe/London')).toLocalDate().toString();
  if (utcHour !== undefined) {
    if (londonDatesByUtcHour.size >= LONDON_DATES_KEPT) londonDatesByUtcHour.clear();
    londonDatesByUtcHour.set(utcHour, date);
  }
  return date;
}

export function addHours(instant: string, hours: number): string {
  return Instant.parse(instant).plusSeconds(hours * 3600).toString();
}

export const addDays = (date: CalendarDate, days: number): CalendarDate => toLocalDate(date).plusDays(days).toString();
export const addWeeks = (date: CalendarDate, weeks: number): CalendarDate => toLocalDate(date).plusWeeks(weeks).toString();
export const addMonths = (date: CalendarDate, months: number): CalendarDate => toLocalDate(date).plusMonths(months).toString();
export const daysBetween = (from: CalendarDate, to: CalendarDate): number => toLocalDate(to).toEpochDay() - toLocalDate(from).toEpochDay();

/** True for an ISO-8601 instant with a time zone designator, e.g. 2025-10-01T09:00:00Z. */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return false;
  try {
    Instant.parse(ZonedDateTime.parse(value).toInstant().toString());
    return true;
  } catch {
    return false;
  }
}

/** Compares instants written with any offset or precision (2025-10-02T09:00:00Z and …09:00:00.500Z). */
export const isInstantAfter = (a: string, b: string): boolean => ZonedDateTime.parse(a).toInstant().isAfter(ZonedDateTime.parse(b).toInstant());

/** An instant normalised to UTC (Z), so instants compare as strings. */
export const toUtcInstant = (value: string): string => ZonedDateTime.parse(value).toInstant().toString();
