import { registerDecorator, ValidationOptions } from 'class-validator';
import { isCalendarDate } from '@ecf/domain';

/** A real calendar date written YYYY-MM-DD (rejects 2025-02-30). */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a real date written YYYY-MM-DD`, ...options },
      validator: { validate: (value: unknown) => isCalendarDate(value) },
    });
}

/** RFC 3339: a date, or a date and time with its offset (`2026-04-01T12:00:00Z`, `…+01:00`). */
const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Whether `value` is an RFC 3339 instant that names a real moment (rejects `20261202`, `2026-02-30T…`, `…T25:00Z`). */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  return match !== null && isCalendarDate(match[1]) && Number.isFinite(Date.parse(value));
}

/** An instant written as RFC 3339 that JavaScript reads as the same moment everywhere (an offset is required with a time). */
export function IsInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an RFC 3339 instant such as 2026-04-01T12:00:00Z, or a date written YYYY-MM-DD`, ...options },
      validator: { validate: (value: unknown) => isInstant(value) },
    });
}
