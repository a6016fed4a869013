import { AllStreamResolvedEvent, jsonEvent, JSONEventData, ResolvedEvent } from '@eventstore/db-client';
import { EventMetadata, NewEvent, RecordedEvent } from '../event-store.port';
import { computeEventHash, GENESIS_HASH } from '../hash-chain';
import { positionOf } from './esdb-position';

/**
 * An EventStoreDB event's metadata as this store writes it: our metadata, ESDB's conventional
 * `$correlationId`/`$causationId` (so the server's by-correlation projection and its tools follow our
 * causal chains), and the two values the store assigns on append, because ESDB has no place of its
 * own for them: `recordedAt` (ESDB's `created` is set by the server, after the hash was computed) and
 * the hash-chain hash.
 */
export type StoredMetadata = EventMetadata & {
  readonly $correlationId: string;
  readonly $causationId: string;
  readonly recordedAt: string;
  readonly hash: string;
};

/** The stream's last stored event, which a new batch continues: its revision and its hash. */
export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

/**
 * ESDB keeps event ids as GUIDs and hands them back in lower-case canonical form; any other spelling
 * would read back differently from what was hashed, so it is refused rather than silently changed.
 */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The batch as ESDB events, each hashed onto the previous one (from the stream head, or genesis for a
 * new stream) with one `recordedAt` for the whole append. Hashing serialises the data first, so data
 * without a JSON form (a BigInt) fails here, before anything is sent.
 */
export function toJsonEvents(streamId: string, events: readonly NewEvent[], head: StreamHead | undefined, recordedAt: string): JSONEventData[] {
  let previousHash = head?.hash ?? GENESIS_HASH;
  let revision = head?.revision ?? -1;
  return events.map((event) => {
    if (!CANONICAL_UUID.test(event.eventId)) throw new RangeError(`Event ids in EventStoreDB are lower-case UUIDs, got "${event.eventId}"`);
    revision += 1;
    const hash = computeEventHash(previousHash, { streamId, revision, eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata, recordedAt });
    previousHash = hash;
    return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata: toStoredMetadata(event.metadata, recordedAt, hash) });
  });
}

function toStoredMetadata(metadata: EventMetadata, recordedAt: string, hash: string): StoredMetadata {
  return { ...metadata, $correlationId: metadata.correlationId, $causationId: metadata.causationId, recordedAt, hash };
}

const isStoredMetadata = (value: unknown): value is StoredMetadata =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Partial<StoredMetadata>).recordedAt === 'string' &&
  typeof (value as Partial<StoredMetadata>).hash === 'string';

/** An event read back from ESDB, in our shape; the adapter's own metadata keys are taken out again. */
export function fromResolvedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (event === undefined) throw new Error('EventStoreDB returned a link whose event no longer exists');
  const stored: unknown = event.metadata;
  if (!event.isJson || !isStoredMetadata(stored)) {
    // The database is this store's alone; an event it did not write means a shared or misconfigured database.
    throw new Error(`Event ${event.id} in stream ${event.streamId} was not written by this store (no JSON data, or no recordedAt and hash in its metadata)`);
  }
  const { $correlationId: _correlationId, $causationId: _causationId, recordedAt, hash, ...metadata } = stored;
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: positionOf(resolved),
    eventId: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata,
    recordedAt,
    hash,
  };
}
