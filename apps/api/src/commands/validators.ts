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
