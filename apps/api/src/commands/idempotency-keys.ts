import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { ReadModelDatabase } from '@ecf/projections';
import { READ_MODEL_DB } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';

const TABLE = 'idempotency_keys';

/** JSON with object keys sorted, so two encodings of the same body (key order, spacing) fingerprint alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests "the same request" for an Idempotency-Key: method, path and body (not headers, not `dryRun`). */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${path}\n${canonicalJson(body ?? {})}`).digest('base64url');
}

export interface IdempotentRequest {
  readonly commandId: string;
  readonly fingerprint: string;
  readonly method: string;
  readonly path: string;
}

/**
 * Binds each Idempotency-Key (through the command id derived from it) to the first request that used
 * it, as the IETF Idempotency-Key draft and the payment APIs do. The log still decides whether a
 * command already happened (ADR 0002); this record only answers "is this the same request?", so a key
 * sent again with another body, route or method is refused before anything — a TRN claim included — is
 * written. The binding is made once the request is valid and before the command runs: a request
 * refused by a rule keeps its key (retry it as it was, or use a new key for a corrected request).
 */
@Injectable()
export class IdempotencyKeys implements OnModuleInit {
  constructor(@Inject(READ_MODEL_DB) private readonly db: ReadModelDatabase) {}

  async onModuleInit(): Promise<void> {
    await this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (command_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, first_used_at TEXT NOT NULL)`,
    );
  }

  /** Before a command runs: binds its key (if any; a dry run binds nothing, as it writes nothing). */
  async bindCommand(command: { readonly idempotency?: IdempotentRequest; readonly dryRun: boolean }): Promise<void> {
    if (command.idempotency !== undefined && !command.dryRun) await this.bind(command.idempotency);
  }

  /** Binds the key on first use; throws 422 IDEMPOTENCY_KEY_REUSED when it was first used for another request. */
  async bind(request: IdempotentRequest): Promise<void> {
    const first = await this.db.transaction(async (session) => {
      await session.run(`INSERT INTO ${TABLE} (command_id, fingerprint, method, path, first_used_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING`, [
        request.commandId,
        request.fingerprint,
        request.method,
        request.path,
        new Date().toISOString(),
      ]);
      return session.get<{ fingerprint: string; method: string; path: string; first_used_at: string }>(
        `SELECT fingerprint, method, path, first_used_at FROM ${TABLE} WHERE command_id = ?`,
        [request.commandId],
      );
    });
    if (first === undefined || first.fingerprint === request.fingerprint) return;
    const sameRoute = first.method === request.method && first.path === request.path;
    throw new ProblemException(422, 'IDEMPOTENCY_KEY_REUSED', `This Idempotency-Key was first used at ${first.first_used_at} for ${sameRoute ? 'the same route with another body' : `${first.method} ${first.path}`}; nothing was written.`, {
      rule: 'An Idempotency-Key names one request: a retry sends the same method, route and body.',
      nextStep: 'Send a new Idempotency-Key for a different request, or resend the original request unchanged to get its answer.',
      errors: [{ field: 'Idempotency-Key', code: 'REUSED', message: 'Already used for a different request.' }],
    });
  }
}
