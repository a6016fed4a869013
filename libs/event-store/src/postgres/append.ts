import { LRUCache } from 'lru-cache';
import { DatabaseError, Pool } from 'pg';
import { WrongExpectedRevisionError } from '../errors';
import { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { ActualRevision, assertValidAppend, matchesExpectedRevision, originalResultOfRetry, StoredEventAddress } from '../expected-revision';
import { computeEventHash, GENESIS_HASH } from '../hash-chain';
import { toMetadataColumns } from '../stored-metadata';
import { HeadPosition } from './head-position';

export type Append = (streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision) => Promise<AppendResult>;

interface StreamHead {
  readonly revision: number;
  readonly lastHash: string;
}

/** What one call of append_events did: committed, or found the stream head moved, or found an id stored already. */
type WriteOutcome = AppendResult | 'head-moved' | 'event-id-taken';

/** Stream heads this process has read or written last, so the next append to the stream needs no read first. */
const KNOWN_HEADS_KEPT = 10_000;

const isEventIdTaken = (error: unknown): boolean => error instanceof DatabaseError && error.code === '23505' && error.constraint === 'events_event_id_key';

/**
 * The append unit, optimistic: read the stream head, check the expected revision, hash the events
 * onto the head, then hand them to `append_events`, which commits them only if the head is still
 * the one they were hashed on (migrations/0001-initial.ts). The head and the ids are read outside
 * any transaction; the function's guarded head update is what makes the append atomic, and keeps
 * the global position lock free of network round trips.
 *
 * The head this process last read or wrote for a stream is kept (bounded), and an append expecting
 * that revision goes straight to `append_events`: one round trip, as a raw insert. A kept head can only
 * be behind, never wrong (a revision's hash never changes), and a head that moved meanwhile makes the
 * function answer NULL, after which the append reads the head as it would have anyway. A new stream
 * needs no read either: the function refuses to create one that exists.
 */
export function prepareAppend(pool: Pool, recordedAt: () => string, headPosition: HeadPosition): Append {
  const knownHeads = new LRUCache<string, StreamHead>({ max: KNOWN_HEADS_KEPT });

  const readHead = async (streamId: string): Promise<StreamHead | undefined> => {
    const { rows } = await pool.query<StreamHead>({
      name: 'read-stream-head',
      text: 'SELECT revision, last_hash AS "lastHash" FROM streams WHERE stream_id = $1',
      values: [streamId],
    });
    if (rows[0]) knownHeads.set(streamId, rows[0]);
    return rows[0];
  };

  /** The head to write on without reading: the kept one if the caller expects it, none for a new stream. */
  const headWithoutReading = (streamId: string, expected: ExpectedRevision): { head: StreamHead | undefined } | undefined => {
    if (expected === 'no_stream') return { head: undefined };
    const known = knownHeads.get(streamId);
    return known !== undefined && known.revision === expected ? { head: known } : undefined;
  };

  const findStored = async (events: readonly NewEvent[]): Promise<(StoredEventAddress | undefined)[]> => {
    const ids = events.map((event) => event.eventId);
    const { rows } = await pool.query<{ eventId: string; streamId: string; revision: number; position: string }>({
      name: 'find-stored-events',
      text: 'SELECT event_id AS "eventId", stream_id AS "streamId", revision, position FROM events WHERE event_id = ANY($1::text[])',
      values: [ids],
    });
    const byId = new Map(rows.map((row) => [row.eventId, { streamId: row.streamId, revision: row.revision, position: Number(row.position) }]));
    return ids.map((id) => byId.get(id));
  };

  /** Ids already stored may be a retry of a committed append; if not, the caller's view of the stream is wrong. */
  const retriedOrConflict = async (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, actual: ActualRevision): Promise<AppendResult> => {
    const retried = originalResultOfRetry(streamId, await findStored(events), expected, actual);
    if (retried) return retried;
    throw new WrongExpectedRevisionError(streamId, expected, actual);
  };

  /** Nothing to write: where the stream (or, for a missing stream, the log) stands. */
  const currentState = async (streamId: string, head: StreamHead | undefined): Promise<AppendResult> => {
    if (!head) return { nextExpectedRevision: -1, position: await headPosition() };
    const { rows } = await pool.query<{ position: string }>({
      name: 'position-of-revision',
      text: 'SELECT position FROM events WHERE stream_id = $1 AND revision = $2',
      values: [streamId, head.revision],
    });
    return { nextExpectedRevision: head.revision, position: Number(rows[0].position) };
  };

  const write = async (streamId: string, head: StreamHead | undefined, events: readonly NewEvent[]): Promise<WriteOutcome> => {
    const at = recordedAt();
    const headRevision = head?.revision ?? -1;
    let previousHash = head?.lastHash ?? GENESIS_HASH;
    const hashes = events.map((event, index) => {
      previousHash = computeEventHash(previousHash, { ...event, streamId, revision: headRevision + 1 + index, recordedAt: at });
      return previousHash;
    });
    const columns = events.map((event) => toMetadataColumns(event.metadata));
    try {
      const { rows } = await pool.query<{ position: string | null }>({
        name: 'append-events',
        text: 'SELECT append_events($1, $2, $3, $4, $5, $6, $7, $8, $9) AS position',
        values: [
          streamId,
          headRevision,
          events.map((event) => event.eventId),
          events.map((event) => event.type),
          events.map((event) => JSON.stringify(event.data)),
          columns.map((column) => column.metadata),
          columns.map((column) => column.schemaVersion),
          at,
          hashes,
        ],
      });
      const position = rows[0].position;
      if (position === null) {
        knownHeads.delete(streamId);
        return 'head-moved';
      }
      knownHeads.set(streamId, { revision: headRevision + events.length, lastHash: previousHash });
      return { nextExpectedRevision: headRevision + events.length, position: Number(position) };
    } catch (error) {
      if (isEventIdTaken(error)) return 'event-id-taken';
      throw error;
    }
  };

  return async (streamId, events, expectedRevision) => {
    assertValidAppend(streamId, events, expectedRevision);
    const unread = events.length === 0 ? undefined : headWithoutReading(streamId, expectedRevision);
    if (unread) {
      const outcome = await write(streamId, unread.head, events);
      if (outcome === 'event-id-taken') return retriedOrConflict(streamId, events, expectedRevision, unread.head?.revision ?? 'no_stream');
      if (outcome !== 'head-moved') return outcome;
    }
    // Each lap after the first follows an append to this stream that committed meanwhile, so an exact
    // expectation ends on the next read and 'any' only waits its turn among live writers.
    for (;;) {
      const head = await readHead(streamId);
      const actual = head?.revision ?? 'no_stream';
      if (!matchesExpectedRevision(expectedRevision, actual)) return retriedOrConflict(streamId, events, expectedRevision, actual);
      if (events.length === 0) return currentState(streamId, head);
      const outcome = await write(streamId, head, events);
      if (outcome === 'event-id-taken') return retriedOrConflict(streamId, events, expectedRevision, actual);
      if (outcome !== 'head-moved') return outcome;
    }
  };
}
