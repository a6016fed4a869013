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

  /** A required free-text field: present, not blank, at most `max` characters. */
  text(value: unknown, field: string, max = 500): this {
    const valid = typeof value === 'string' && value.trim().length > 0 && value.length <= max;
    return this.check(valid, field, 'REQUIRED', `${field} is required (at most ${max} characters).`);
  }

  /** An optional free-text field: absent, or not blank and at most `max` characters. */
  optionalText(value: unknown, field: string, max = 500): this {
    if (value === undefined || value === null) return this;
    return this.text(value, field, max);
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): this {
    return this.check(allowed.includes(value as T), field, 'INVALID_CODE', `${field} must be one of: ${allowed.join(', ')}.`);
  }

  /** `later` is strictly after `earlier` (checked only when both are valid dates). */
  after(later: unknown, earlier: unknown, field: string, earlierField: string): this {
    if (!isCalendarDate(later) || !isCalendarDate(earlier)) return this;
    return this.check(isAfter(later, earlier), field, 'DATE_ORDER', `${field} must be after ${earlierField}.`);
  }

  /** The collected errors as one rejection, or undefined when every field is valid. */
  result(): DomainError | undefined {
    return this.errors.length > 0 ? invalidInput(this.errors) : undefined;
  }
}
