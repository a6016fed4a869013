import { HttpException } from '@nestjs/common';
import type { FieldError } from '@ecf/domain';

/** RFC 9457 problem details, with our stable `code` and field errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: readonly FieldError[];
  rule?: string;
  nextStep?: string;
  context?: Readonly<Record<string, string>>;
}

export const problemType = (code: string): string => `urn:ecf:problem:${code.toLowerCase().replace(/_/g, '-')}`;

/** An HTTP rejection raised by the API layer itself (authentication, headers, request shape). */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly code: string,
    detail: string,
    readonly extras: Pick<Problem, 'errors' | 'rule' | 'nextStep' | 'context'> = {},
  ) {
    super(detail, status);
  }
}
