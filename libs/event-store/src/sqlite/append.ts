import type { Database } from 'better-sqlite3';
import { WrongExpectedRevisionError } from '../errors';
import { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { computeEventHash, GENESIS_HASH } from '../hash-chain';
import { prepareHeadPosition } from './head-position';

interface StreamHead {
  readonly revision: number;
  readonly last_hash: string;
}

interface StoredId {
  readonly stream_id: string;
  readonly revision: number;
  readonly position: number;
}

/** `written` is false for an idempotent retry or an empty batch: nothing was committed. */
export type Append = (streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision) => { result: AppendResult; written: boolean };

/**
 * The append unit: check the expected revision against the stream head, insert the events with
 * their hashes, move the head. Everything runs in one BEGIN IMMEDIATE transaction, so the write lock
 * is taken before the head is read and no other connection (or process) can append in between.
 */
export function prepareAppend(db: Database, recordedAt: () => string): Append {
  const selectHead = db.prepare<[string], StreamHead>('SELECT revision, last_hash FROM streams WHERE stream_id = ?');
  const selectPositionAt = db.prepare<[string, number], { position: number }>('SELECT position FROM events WHERE stream_id = ? AND revision = ?');
  const headPosition = prepareHeadPosition(db);
  const selectById = db.prepare<[string], StoredId>('SELECT stream_id, revision, position FROM events WHERE event_id = ?');
  const insertEvent = db.prepare<[string, number, string, string, string, string, number, string, string]>(
    `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertHead = db.prepare<[string, number, string]>(
    `INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?)
     ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash`,
  );

  const append = (streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): ReturnType<Append> => {
    const head = selectHead.get(streamId);
    const actual = head?.revision ?? 'no_stream';

    const retried = findRetry(streamId, events, expectedRevision, actual);
    if (retried) return { result: retried, written: false };
    if (!matches(expectedRevision, actual)) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);

    if (events.length === 0) {
      // Nothing to write: report where the stream (or, for a missing stream, the log) stands.
      const position = head ? (selectPositionAt.get(streamId, head.revision)?.position ?? 0) : headPosition();
      return { result: { nextExpectedRevision: head?.revision ?? -1, position }, written: false };
    }

    const at = recordedAt();
    let previousHash = head?.last_hash ?? GENESIS_HASH;
    let revision = head?.revision ?? -1;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const hash = computeEventHash(previousHash, { streamId, revision, eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata, recordedAt: at });
      const inserted = insertEvent.run(
        streamId,
        revision,
        event.eventId,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        event.metadata.schemaVersion,
        at,
        hash,
      );
      position = Number(inserted.lastInsertRowid);
      previousHash = hash;
    }
    upsertHead.run(streamId, revision, previousHash);
    return { result: { nextExpectedRevision: revision, position }, written: true };
  };

  /**
   * A retry of an append that already committed (its ids are stored, in order, as consecutive events
   * of this stream) returns the original result whatever revision it expects, because the caller's
   * expectation was about the moment before its first attempt. Any other overlap with stored ids means
   * the caller's view of the stream is wrong, which is a conflict.
   */
  const findRetry = (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision, actual: number | 'no_stream'): AppendResult | undefined => {
    const ids = events.map((event) => event.eventId);
    if (new Set(ids).size !== ids.length) throw new RangeError(`Stream ${streamId}: the batch repeats an event id`);
    const stored = ids.map((id) => selectById.get(id));
    if (stored.every((row) => row === undefined)) return undefined;
    const first = stored[0];
    const isRetry =
      first !== undefined && stored.every((row, index) => row !== undefined && row.stream_id === streamId && row.revision === first.revision + index);
    if (!isRetry) throw new WrongExpectedRevisionError(streamId, expected, actual);
    const last = stored[stored.length - 1] as StoredId;
    return { nextExpectedRevision: last.revision, position: last.position };
  };

  const transaction = db.transaction(append);
  return (streamId, events, expectedRevision) => transaction.immediate(streamId, events, expectedRevision);
}

function matches(expected: ExpectedRevision, actual: number | 'no_stream'): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      if (!Number.isInteger(expected) || expected < 0) throw new RangeError(`Expected revision must be a non-negative integer, got ${expected}`);
      return actual === expected;
  }
}
