import { Migration } from './migration';

/**
 * The log and the per-stream heads. `position` is the `$all` order: with SQLite's single writer an
 * AUTOINCREMENT rowid is never reused and commits in order, so positions have no visibility gaps.
 * `streams` holds each stream's head so the expected-revision check and the hash chain need one
 * primary-key lookup rather than a scan of the stream.
 */
export const initialMigration: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT,
      stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL,
      event_id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      data TEXT NOT NULL,
      metadata TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      recorded_at TEXT NOT NULL,
      hash TEXT NOT NULL,
      UNIQUE (stream_id, revision)
    );

    CREATE TABLE streams (
      stream_id TEXT PRIMARY KEY,
      revision INTEGER NOT NULL,
      last_hash TEXT NOT NULL
    );

    -- Replaying one event type (projection rebuilds, upcaster checks) without scanning the whole log.
    CREATE INDEX events_type_position ON events (type, position);
    -- Audit questions on the recorded axis ("what did we learn between X and Y").
    CREATE INDEX events_recorded_at ON events (recorded_at);
  `,
};
