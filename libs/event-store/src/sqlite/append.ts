import type { Database } from 'better-sqlite3';
import { WrongExpectedRevisionError } from '../errors';
import { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { assertValidAppend, matchesExpectedRevision, originalResultOfRetry, StoredEventAddress } from '../expected-revision';
import { computeEventHash, GENESIS_HASH } from '../hash-chain';
import { toMetadataColumns } from '../stored-metadata';
import { prepareHeadPosition } from './head-position';

interface StreamHead {
  readonly revision: number;
  readonly last_hash: string;
}

/** `written` is false for an idempotent retry or an empty batch: nothing was committed. */
export type Append = (streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision) => { result: AppendResult; written: boolean };

/**
 * The append unit: check the expected revision against the stream head, insert the events with
 * their hashes, move the head. Everything runs in one BEGIN IMMEDIATE transaction (or, inside the
 * group commit's transaction, in a savepoint of it), so the write lock is taken before the head is
 * read and no other connection (or process) can append in between.
 */
export function prepareAppend(db: Database, recordedAt: () => string): Append {
  const selectHead = db.prepare<[string], StreamHead>('SELECT revision, last_hash FROM streams WHERE stream_id = ?');
  const selectPositionAt = db.prepare<[string, number], { position: number }>('SELECT position FROM events WHERE stream_id = ? AND revision = ?');
  const headPosition = prepareHeadPosition(db);
  const selectById = db.prepare<[string], StoredEventAddress>('SELECT stream_id AS streamId, revision, position FROM events WHERE event_id = ?');
  const insertEvent = db.prepare<[string, number, string, string, string, string, number, string, string]>(
    `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertHead = db.prepare<[string, number, string]>(
    `INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?)
     ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash`,
  );

  const append = (streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): ReturnType<Append> => {
    assertValidAppend(streamId, events, expectedRevision);
    const head = selectHead.get(streamId);
    const actual = head?.revision ?? 'no_stream';

    const stored = events.map((event) => selectById.get(event.eventId));
    const retried = originalResultOfRetry(streamId, stored, expectedRevision, actual);
    if (retried) return { result: retried, written: false };
    if (!matchesExpectedRevision(expectedRevision, actual)) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);

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
      const { metadata, schemaVersion } = toMetadataColumns(event.metadata);
      const inserted = insertEvent.run(streamId, revision, event.eventId, event.type, JSON.stringify(event.data), metadata, schemaVersion, at, hash);
      position = Number(inserted.lastInsertRowid);
      previousHash = hash;
    }
    upsertHead.run(streamId, revision, previousHash);
    return { result: { nextExpectedRevision: revision, position }, written: true };
  };

  const transaction = db.transaction(append);
  return (streamId, events, expectedRevision) => transaction.immediate(streamId, events, expectedRevision);
}
