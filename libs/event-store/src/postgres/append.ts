import { LRUCache } from 'lru-cache';
import { Pool } from 'pg';
import { WrongExpectedRevisionError } from '../errors';
import { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { ActualRevision, assertValidAppend, matchesExpectedRevision, originalResultOfRetry, StoredEventAddress } from '../expected-revision';
import { prepareWriteBatch } from './append-batch';
import { prepareWriteOne } from './append-events';
import { GroupCommit, GroupCommitCounts } from './group-commit';
import { HeadPosition } from './head-position';
import { headAfter, PreparedWrite, prepareWrite, StreamHead, WriteAnswer } from './prepared-write';

export type Append = (streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision) => Promise<AppendResult>;

/** The append unit and what its group commit has done so far. */
export interface PostgresAppend {
  readonly append: Append;
  readonly groupCommitCounts: () => GroupCommitCounts;
}

/** What one write did: committed, or found the stream head moved, or found an id stored already. */
type WriteOutcome = AppendResult | 'head-moved' | 'event-id-taken';

/** Stream heads this process has read or written last, so the next append to the stream needs no read first. */
const KNOWN_HEADS_KEPT = 10_000;

/**
 * The append unit, optimistic: read the stream head, check the expected revision, hash the events
 * onto the head, then hand them to `append_events`, which commits them only if the head is still
 * the one they were hashed on (migrations/0001-initial.ts). The head and the ids are read outside
 * any transaction; the function's guarded head update is what makes the append atomic, and keeps
 * the global position lock free of network round trips.
 *
 * The head this process last read or wrote for a stream is kept (bounded), and an append expecting
 * that revision goes straight to the write: one round trip, as a raw insert. A kept head can only
 * be behind, never wrong (a revision's hash never changes), and a head that moved meanwhile makes the
 * write answer so, after which the append reads the head as it would have anyway. A new stream
 * needs no read either: the write refuses to create one that exists.
 *
 * That first write, the one on a kept head or a new stream, goes through the group commit
 * (group-commit.ts): alone when the writes in flight leave room, else together with the others that
 * queued meanwhile in one `append_batch` (migrations/0002-append-batch.ts), one commit for all, each
 * answered for itself. A batched write the batch skipped (head moved, id stored) takes the same slow
 * path as a lone one. The slow path's writes, which follow a read, go alone.
 */
export function prepareAppend(pool: Pool, recordedAt: () => string, headPosition: HeadPosition, callsInFlight?: number): PostgresAppend {
  const knownHeads = new LRUCache<string, StreamHead>({ max: KNOWN_HEADS_KEPT });
  const writeOne = prepareWriteOne(pool);
  const groupCommit = new GroupCommit(writeOne, prepareWriteBatch(pool), callsInFlight);

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

  /** The answer as the append unit takes it, the kept head brought up to date. */
  const settle = (write: PreparedWrite, answer: WriteAnswer): WriteOutcome => {
    if (answer === 'event-id-taken') return answer;
    if (answer === 'head-moved') {
      // Only if nothing newer was kept meanwhile (by another append to the stream that committed).
      if (knownHeads.get(write.streamId)?.revision === write.headRevision) knownHeads.delete(write.streamId);
      return answer;
    }
    const head = headAfter(write);
    knownHeads.set(write.streamId, head);
    return { nextExpectedRevision: head.revision, position: answer.position };
  };

  const writeAlone = async (streamId: string, head: StreamHead | undefined, events: readonly NewEvent[]): Promise<WriteOutcome> => {
    const write = prepareWrite(streamId, head, events, recordedAt());
    return settle(write, await writeOne(write));
  };

  const writeInGroup = async (streamId: string, head: StreamHead | undefined, events: readonly NewEvent[]): Promise<WriteOutcome> => {
    const write = prepareWrite(streamId, head, events, recordedAt());
    return settle(write, await groupCommit.submit(write));
  };

  const append: Append = async (streamId, events, expectedRevision) => {
    assertValidAppend(streamId, events, expectedRevision);
    const unread = events.length === 0 ? undefined : headWithoutReading(streamId, expectedRevision);
    if (unread) {
      const outcome = await writeInGroup(streamId, unread.head, events);
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
      const outcome = await writeAlone(streamId, head, events);
      if (outcome === 'event-id-taken') return retriedOrConflict(streamId, events, expectedRevision, actual);
      if (outcome !== 'head-moved') return outcome;
    }
  };

  return { append, groupCommitCounts: () => groupCommit.counted() };
}
