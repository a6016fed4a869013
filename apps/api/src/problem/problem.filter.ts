import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorKind } from '@ecf/domain';
import { isWrongExpectedRevision } from '@ecf/event-store';
import { ReadModelNotReadyError } from '@ecf/projections';
import { bodyProblem, isBodyParserError } from '../http/json-body';
import { Problem, ProblemException, problemType } from './problem';

const STATUS_OF_KIND: Record<ErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  conflict: HttpStatus.CONFLICT,
  'not-found': HttpStatus.NOT_FOUND,
  rule: HttpStatus.UNPROCESSABLE_ENTITY,
  state: HttpStatus.CONFLICT,
  permission: HttpStatus.FORBIDDEN,
};

const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Rule not met',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Maps every error to application/problem+json, once. Never leaks a stack trace. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = { ...this.toProblem(exception, request), instance: request.originalUrl };
    if (problem.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request): Problem {
    if (exception instanceof DomainError) {
      const status = STATUS_OF_KIND[exception.kind];
      const { fields, rule, nextStep, context } = exception.details;
      return build(status, exception.code, exception.message, { errors: fields, rule, nextStep, context });
    }
    if (isWrongExpectedRevision(exception)) {
      const actual = exception.actual === 'no_stream' ? 'none' : String(exception.actual);
      if (request.headers['if-match'] !== undefined) {
        return build(412, 'REVISION_MISMATCH', `The participant has changed since revision ${String(exception.expected)} (now at revision ${actual}).`, {
          nextStep: 'Reload the participant and retry with its current revision in If-Match.',
          context: { currentRevision: actual },
        });
      }
      return build(409, 'CONCURRENT_MODIFICATION', 'Others changed this record at the same moment; the command was not applied.', {
        nextStep: 'Retry the command.',
      });
    }
    if (exception instanceof ReadModelNotReadyError) {
      return build(503, 'READ_MODEL_NOT_READY', exception.message, { nextStep: 'Retry in a few seconds; the projector is building it from the event log.' });
    }
    if (isBodyParserError(exception)) {
      const problem = bodyProblem(exception);
      return build(problem.getStatus(), problem.code, problem.message, problem.extras);
    }
    if (exception instanceof ProblemException) {
      return build(exception.getStatus(), exception.code, exception.message, exception.extras);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return build(status, codeOfHttpException(exception, status), detailOf(exception));
    }
    return build(500, 'INTERNAL_ERROR', 'Something went wrong on our side; nothing was written.');
  }
}

function build(status: number, code: string, detail: string, extras: Partial<Problem> = {}): Problem {
  const problem: Problem = { type: problemType(code), title: TITLES[status] ?? 'Error', status, code, detail };
  for (const [key, value] of Object.entries(extras)) if (value !== undefined) (problem as unknown as Record<string, unknown>)[key] = value;
  return problem;
}

function codeOfHttpException(exception: HttpException, status: number): string {
  const body = exception.getResponse() as { message?: unknown };
  if (status === 400 && typeof body === 'object' && /JSON/i.test(String(body.message))) return 'MALFORMED_JSON';
  return CODE_OF_STATUS[status] ?? `HTTP_${status}`;
}

function detailOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}
