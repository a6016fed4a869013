import { DomainError, FieldError, invalidInput } from './domain-error';
import { CalendarDate, isAfter, isCalendarDate, toLocalDate } from './calendar';
import { FIRST_COHORT } from './identifiers';

/** Collects field errors so a caller learns about every bad field at once, not one per attempt. */
export class FieldChecks {
  private readonly errors: FieldError[] = [];

  check(valid: boolean, field: string, code: string, message: string): this {
    if (!valid) this.errors.push({ field, code, message });
    return this;
  }

  calendarDate(value: unknown, field: string): this {
    return this.check(isCalendarDate(value), field, 'INVALID_DATE', `${field} must be a real date written YYYY-MM-DD.`);
  }

  notInFuture(value: CalendarDate, field: string, today: CalendarDate): this {
    if (!isCalendarDate(value)) return this;
    return this.check(!isAfter(value, today), field, 'DATE_IN_FUTURE', `${field} must not be in the future.`);
  }

  cohort(value: unknown, today: CalendarDate, field = 'cohort'): this {
    const latest = toLocalDate(today).year() + 1;
    const valid = Number.isInteger(value) && (value as number) >= FIRST_COHORT && (value as number) <= latest;
    return this.check(valid, field, 'INVALID_COHORT', `${field} must be a year from ${FIRST_COHORT} to ${latest}.`);
  }

  /** The collected errors as one rejection, or undefined when every field is valid. */
  result(): DomainError | undefined {
    return this.errors.length > 0 ? invalidInput(this.errors) : undefined;
  }
}
