import { LocalDate } from '@js-joda/core';
import { CalendarDate, toLocalDate } from '../../shared/calendar';
import { ReleasePlan } from '../participant.events';

/**
 * Default release plan for a new ECT or mentor (seed 004 "Other"; DfE schedules).
 * Everyone starts on their cohort's `ecf-standard-september` with content from 1 September.
 * A registration after 1 November of the cohort year waits for the next term start: 1 January
 * (`-january`), or 1 April (`-april`) for a registration in the new calendar year.
 */
export function defaultReleasePlan(cohort: number, registeredOn: CalendarDate): ReleasePlan {
  const registered = toLocalDate(registeredOn);
  const firstOfNovember = LocalDate.of(cohort, 11, 1);
  if (!registered.isAfter(firstOfNovember)) {
    return { scheduleIdentifier: 'ecf-standard-september', contentStartDate: LocalDate.of(cohort, 9, 1).toString() };
  }
  if (registered.year() === cohort) {
    return { scheduleIdentifier: 'ecf-standard-january', contentStartDate: LocalDate.of(cohort + 1, 1, 1).toString() };
  }
  const firstOfApril = LocalDate.of(cohort + 1, 4, 1);
  const start = registered.isAfter(firstOfApril) ? registered : firstOfApril;
  return { scheduleIdentifier: 'ecf-standard-april', contentStartDate: start.toString() };
}
