import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@ecf/domain';
import { ProblemException } from '../problem/problem';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      field,
      code: constraint === 'whitelistValidation' ? 'UNKNOWN_FIELD' : constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      message: constraint === 'whitelistValidation' ? `${field} is not a field of this request` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Request bodies and queries: unknown fields rejected, every bad field reported, as INVALID_INPUT problems. */
export const requestValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) =>
    new ProblemException(400, 'INVALID_INPUT', 'The request has invalid fields; nothing was written.', { errors: flatten(errors) }),
});
