import { createHash } from 'node:crypto';
import { EventMetadata, RecordedEvent } from './event-store.port';

/**
 * Tamper evidence for the log: each event's hash covers its content and the previous hash in the same
 * stream, so changing, removing or reordering any stored event breaks every later hash of that stream.
 * The `$all` position is deliberately left out: it is assigned by the adapter, and a stream re-imported
 * into another store (or another adapter) must verify unchanged.
 */

/** The "previous hash" of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What the hash covers: everything that gives an event its meaning, and nothing the adapter assigns later.
 * The metadata includes the schema version, which the SQL adapters keep in a column of its own and read
 * back into the metadata, so the hash covers that column too (ADR 0012).
 */
export interface HashedEventContent {
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * JSON with object keys sorted recursively (arrays keep their order), so the same content hashes the
 * same whatever order its keys were built in. Built on JSON.stringify so values that do not survive a
 * JSON round trip (undefined, Dates, NaN) are normalised exactly as they are when stored and read
 * back: a hash computed before storing still matches the event read back later.
 */
export function canonicalJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, current: unknown) =>
    isPlainObject(current) ? Object.fromEntries(Object.keys(current).sort().map((key) => [key, current[key]])) : current,
  );
  // JSON.stringify returns undefined (despite its type) for undefined and functions; hash them as null.
  return json ?? 'null';
}

export function computeEventHash(previousHash: string, content: HashedEventContent): string {
  const { streamId, revision, eventId, type, data, metadata, recordedAt } = content;
  return createHash('sha256')
    .update(previousHash)
    .update(canonicalJson({ streamId, revision, eventId, type, data, metadata, recordedAt }))
    .digest('hex');
}

export type StreamChainVerification = { valid: true } | { valid: false; revision: number; reason: string };

/**
 * Recomputes a whole stream's chain (events as read, from revision 0) and names the first revision
 * that does not hold: a modified event, a gap, a reordering or an event from another stream.
 */
export function verifyStreamChain(events: readonly RecordedEvent[]): StreamChainVerification {
  let previousHash = GENESIS_HASH;
  const streamId = events[0]?.streamId;
  for (const [index, event] of events.entries()) {
    if (event.streamId !== streamId) {
      return { valid: false, revision: event.revision, reason: `event ${event.eventId} belongs to stream ${event.streamId}, not ${String(streamId)}` };
    }
    if (event.revision !== index) {
      return { valid: false, revision: event.revision, reason: `expected revision ${index} at index ${index}, found ${event.revision} (gap or reordering)` };
    }
    const expected = computeEventHash(previousHash, event);
    if (event.hash !== expected) {
      return { valid: false, revision: event.revision, reason: `hash mismatch: stored ${event.hash}, recomputed ${expected}` };
    }
    previousHash = event.hash;
  }
  return { valid: true };
}
