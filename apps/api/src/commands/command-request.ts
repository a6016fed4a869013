import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { CommandEnvelope } from '@ecf/command-handling';
import { UUID_PATTERN } from '@ecf/domain';
import type { Principal } from '@ecf/runtime';
import { AuthenticatedRequest } from '../auth/auth.decorators';
import { ProblemException } from '../problem/problem';
import { IdempotentRequest, requestFingerprint } from './idempotency-keys';

/** Everything about a command request that is not its body: who, idempotency, concurrency, preview. */
export interface CommandRequest {
  readonly principal: Principal;
  readonly envelope: CommandEnvelope;
  /** Present when the caller sent an Idempotency-Key: the request it is bound to (IdempotencyKeys); new ids derive from it. */
  readonly idempotency?: IdempotentRequest;
  readonly dryRun: boolean;
}

const IDEMPOTENCY_NAMESPACE = '0b5d1a8e-7c44-4f0e-a0a7-2f9d3c6e5b21';
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REVISION_PATTERN = /^(?:W\/)?"?(\d{1,15})"?$/;

function headerValue(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseIfMatch(request: Request): number | undefined {
  const raw = headerValue(request, 'if-match');
  if (raw === undefined) return undefined;
  const match = REVISION_PATTERN.exec(raw.trim());
  if (!match) {
    throw new ProblemException(400, 'INVALID_IF_MATCH', 'If-Match must be the revision you read, e.g. `If-Match: 3`.', {
      errors: [{ field: 'If-Match', code: 'INVALID_REVISION', message: 'Not a revision number.' }],
    });
  }
  return Number(match[1]);
}

function parseCorrelationId(request: Request): string | undefined {
  const raw = headerValue(request, 'x-correlation-id');
  if (raw === undefined) return undefined;
  if (!UUID_PATTERN.test(raw)) {
    throw new ProblemException(400, 'INVALID_CORRELATION_ID', 'X-Correlation-Id must be a UUID.', {
      errors: [{ field: 'X-Correlation-Id', code: 'INVALID_UUID', message: 'Not a UUID.' }],
    });
  }
  return raw.toLowerCase();
}

function parseDryRun(request: Request): boolean {
  const raw = request.query.dryRun;
  if (raw === undefined) return false;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new ProblemException(400, 'INVALID_QUERY', 'dryRun must be true or false.', {
    errors: [{ field: 'dryRun', code: 'INVALID_BOOLEAN', message: 'Use true or false.' }],
  });
}

/**
 * A retried request carries the same Idempotency-Key; the command id derives from the key and the
 * caller's API key, so the same retry is recognised in the log itself (handleCommand, step 2).
 */
export const CommandRequestOf = createParamDecorator((_data: unknown, context: ExecutionContext): CommandRequest => {
  const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
  const principal = request.principal;
  if (!principal) throw new Error('Command route without an authenticated principal');
  const idempotencyKey = headerValue(request, 'idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    throw new ProblemException(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1–255 visible ASCII characters.', {
      errors: [{ field: 'Idempotency-Key', code: 'INVALID', message: 'Use e.g. a UUID.' }],
    });
  }
  const commandId = idempotencyKey === undefined ? randomUUID() : uuidv5(`${principal.keyId}:${idempotencyKey}`, IDEMPOTENCY_NAMESPACE);
  const expectedRevision = parseIfMatch(request);
  const envelope: CommandEnvelope = {
    commandId,
    correlationId: parseCorrelationId(request) ?? commandId,
    causationId: commandId,
    actor: { id: principal.keyId, role: principal.role },
    ...(expectedRevision === undefined ? {} : { expectedRevision }),
  };
  const idempotency: IdempotentRequest | undefined =
    idempotencyKey === undefined ? undefined : { commandId, fingerprint: requestFingerprint(request.method, request.path, request.body), method: request.method, path: request.path };
  return { principal, envelope, ...(idempotency ? { idempotency } : {}), dryRun: parseDryRun(request) };
});

/** A new entity's id: derived from the command when the request is idempotent, so a retry finds the same entity. */
export const newEntityId = (command: CommandRequest): string =>
  command.idempotency !== undefined ? uuidv5(command.envelope.commandId, IDEMPOTENCY_NAMESPACE) : randomUUID();
