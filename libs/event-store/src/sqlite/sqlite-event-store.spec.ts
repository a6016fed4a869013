import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { newEvents, newStreamId } from '../conformance/fixtures';
import { WrongExpectedRevisionError } from '../errors';
import { verifyStreamChain } from '../hash-chain';
import { subscribeToAll } from '../subscription';
import { verifyLog } from '../verification/verify-log';
import { migrations } from './migrations';
import { SqliteEventStore, SqliteEventStoreOptions } from './sqlite-event-store';

const tempDirs: string[] = [];
const newFilename = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ecf-event-store-'));
  tempDirs.push(dir);
  // A subdirectory that does not exist yet: the store must create it.
  return join(dir, 'data', 'events.sqlite');
};

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describeEventStoreConformance('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecf-event-store-'));
  const store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore', () => {
  const opened: SqliteEventStore[] = [];
  const open = async (options: SqliteEventStoreOptions): Promise<SqliteEventStore> => {
    const store = await SqliteEventStore.open(options);
    opened.push(store);
    return store;
  };
  /** A second, raw connection, as an operator with the sqlite3 shell would have. */
  const inspect = <T>(filename: string, query: (db: Database.Database) => T): T => {
    const db = new Database(filename, { readonly: true });
    try {
      return query(db);
    } finally {
      db.close();
    }
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('uses WAL and applies every migration once', async () => {
    const filename = newFilename();
    await open({ filename });

    expect(inspect(filename, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    expect(inspect(filename, (db) => db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all())).toEqual(migrations.map((migration) => migration.version));
  });

  it('reopening runs no migration twice and keeps the data', async () => {
    const filename = newFilename();
    const streamId = newStreamId();
    const first = await open({ filename });
    const events = newEvents(3);
    const result = await first.appendToStream(streamId, events, { expectedRevision: 'no_stream' });
    await first.close();

    const reopened = await open({ filename, synchronous: 'NORMAL' });
    const read = await reopened.readStream(streamId);

    expect(read.map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
    expect(verifyStreamChain(read)).toEqual({ valid: true });
    expect(await reopened.headPosition()).toBe(result.position);
    expect(inspect(filename, (db) => db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get())).toBe(migrations.length);
    // The chain continues from the stored head after a restart.
    await reopened.appendToStream(streamId, newEvents(1), { expectedRevision: 2 });
    expect(verifyStreamChain(await reopened.readStream(streamId))).toEqual({ valid: true });
  });

  it('headPosition is 0 for an empty store and the last position afterwards', async () => {
    const store = await open({ filename: newFilename() });
    expect(await store.headPosition()).toBe(0);
    const result = await store.appendToStream(newStreamId(), newEvents(2), { expectedRevision: 'no_stream' });
    expect(await store.headPosition()).toBe(result.position);
    expect(result.position).toBe(2);
    await expect(store.appendToStream(newStreamId(), [], { expectedRevision: 'any' })).resolves.toEqual({ nextExpectedRevision: -1, position: 2 });
  });

  it('two instances on one file (two processes) see each other and conflict on the same revision', async () => {
    const filename = newFilename();
    const api = await open({ filename });
    const cli = await open({ filename });
    const streamId = newStreamId();
    await api.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' });

    expect(await cli.readStream(streamId)).toHaveLength(1);
    await cli.appendToStream(streamId, newEvents(1), { expectedRevision: 0 });
    const conflict = await api.appendToStream(streamId, newEvents(1), { expectedRevision: 0 }).catch((error: unknown) => error);

    expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
    expect(conflict).toMatchObject({ expected: 0, actual: 1 });
    const read = await api.readStream(streamId);
    expect(read).toHaveLength(2);
    expect(verifyStreamChain(read)).toEqual({ valid: true });
  });

  it('a subscription on one instance picks up appends made through another', async () => {
    const filename = newFilename();
    const writer = await open({ filename });
    const reader = await open({ filename });
    const seen: string[] = [];
    const subscription = subscribeToAll(reader, { after: 0, pollIntervalMs: 10, handle: (batch) => void seen.push(...batch.map((event) => event.eventId)) });
    try {
      const events = newEvents(3);
      const result = await writer.appendToStream(newStreamId(), events, { expectedRevision: 'no_stream' });
      await subscription.waitUntilCaughtUp(result.position);
      expect(seen).toEqual(events.map((event) => event.eventId));
    } finally {
      await subscription.stop();
    }
  });

  it('stamps every event of an append with one instant from the injected clock, normalised to UTC', async () => {
    const instants = ['2025-09-01T10:00:00+01:00', '2025-09-01T09:30:00.250Z'];
    const store = await open({ filename: newFilename(), clock: () => instants.shift() ?? 'never' });
    const streamId = newStreamId();
    await store.appendToStream(streamId, newEvents(2), { expectedRevision: 'no_stream' });
    await store.appendToStream(streamId, newEvents(1), { expectedRevision: 1 });

    const read = await store.readStream(streamId);

    expect(read.map((event) => event.recordedAt)).toEqual(['2025-09-01T09:00:00.000Z', '2025-09-01T09:00:00.000Z', '2025-09-01T09:30:00.250Z']);
    expect(await store.readStream(streamId, { recordedAtOrBefore: '2025-09-01T09:30:00Z' })).toHaveLength(2);
    expect(await store.readStream(streamId, { recordedAtOrBefore: '2025-09-01T10:30:00.250+01:00' })).toHaveLength(3);
  });

  it('rejects a batch that repeats an event id and a negative expected revision, writing nothing', async () => {
    const store = await open({ filename: newFilename() });
    const streamId = newStreamId();
    const [event] = newEvents(1);

    await expect(store.appendToStream(streamId, [event, event], { expectedRevision: 'any' })).rejects.toBeInstanceOf(RangeError);
    await expect(store.appendToStream(streamId, [event], { expectedRevision: -1 })).rejects.toBeInstanceOf(RangeError);
    expect(await store.readStream(streamId)).toEqual([]);
  });

  it('appends requested together commit together, each on its own: a refused one writes nothing and undoes none of the others', async () => {
    const filename = newFilename();
    const store = await open({ filename });
    const [first, contested, last] = [newStreamId(), newStreamId(), newStreamId()];
    await store.appendToStream(contested, newEvents(1), { expectedRevision: 'no_stream' });

    // Requested in one turn of the event loop, as concurrent requests would: one group, one transaction.
    const outcomes = await Promise.allSettled([
      store.appendToStream(first, newEvents(2), { expectedRevision: 'no_stream' }),
      store.appendToStream(contested, newEvents(1), { expectedRevision: 0 }),
      store.appendToStream(contested, newEvents(3), { expectedRevision: 0 }),
      store.appendToStream(last, newEvents(1), { expectedRevision: 'no_stream' }),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ expected: 0, actual: 1 });
    const rows = inspect(filename, (db) => db.prepare('SELECT stream_id AS streamId, revision FROM events ORDER BY position').all());
    expect(rows).toEqual([
      { streamId: contested, revision: 0 },
      { streamId: first, revision: 0 },
      { streamId: first, revision: 1 },
      { streamId: contested, revision: 1 },
      { streamId: last, revision: 0 },
    ]);
    expect(verifyStreamChain(await store.readStream(contested))).toEqual({ valid: true });
  });

  it('answers an append once it is on disk, and writes the appends still pending when it closes', async () => {
    const filename = newFilename();
    const store = await SqliteEventStore.open({ filename });
    const streamId = newStreamId();

    const written = await store.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' });
    expect(inspect(filename, (db) => db.prepare('SELECT COUNT(*) AS count FROM events').get())).toEqual({ count: 1 });

    const pending = store.appendToStream(streamId, newEvents(1), { expectedRevision: written.nextExpectedRevision });
    await store.close();

    await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 1 });
    expect(inspect(filename, (db) => db.prepare('SELECT COUNT(*) AS count FROM events').get())).toEqual({ count: 2 });
  });

  describe('the schema version in its own column (ADR 0012)', () => {
    const alter = (filename: string, sql: string, ...params: unknown[]): void => {
      const db = new Database(filename);
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    };
    const setUp = async () => {
      const filename = newFilename();
      const store = await open({ filename });
      const streamId = newStreamId();
      await store.appendToStream(streamId, newEvents(3), { expectedRevision: 'no_stream' });
      return { filename, store, streamId };
    };

    it('is stored in the column only and read back into the metadata', async () => {
      const { filename, store, streamId } = await setUp();
      const rows = inspect(filename, (db) => db.prepare<[], { metadata: string; schema_version: number }>('SELECT metadata, schema_version FROM events').all());
      expect(rows.map((row) => [(JSON.parse(row.metadata) as { schemaVersion?: number }).schemaVersion, row.schema_version])).toEqual([[undefined, 1], [undefined, 1], [undefined, 1]]);
      expect((await store.readStream(streamId)).map((event) => event.metadata.schemaVersion)).toEqual([1, 1, 1]);
    });

    it('is covered by the hash: a changed column is named by verifyLog', async () => {
      const { filename, store, streamId } = await setUp();
      alter(filename, 'UPDATE events SET schema_version = 2 WHERE stream_id = ? AND revision = 1', streamId);
      expect((await verifyLog(store)).findings).toEqual([expect.objectContaining({ streamId, revision: 1, problem: 'hash-mismatch' })]);
    });

    it('rows written before, with the version inside the metadata JSON as well, still verify', async () => {
      const { filename, store, streamId } = await setUp();
      alter(filename, `UPDATE events SET metadata = json_set(metadata, '$.schemaVersion', schema_version)`);
      expect((await verifyLog(store)).findings).toEqual([]);
      expect((await store.readStream(streamId)).map((event) => event.metadata.schemaVersion)).toEqual([1, 1, 1]);
    });
  });

  it('notifies in-process listeners after a commit, not for retries, and stops after unsubscribe', async () => {
    const store = await open({ filename: newFilename() });
    let notified = 0;
    const unsubscribe = store.onAppend(() => notified++);
    const streamId = newStreamId();
    const events = newEvents(2);

    await store.appendToStream(streamId, events, { expectedRevision: 'no_stream' });
    await store.appendToStream(streamId, events, { expectedRevision: 'no_stream' });
    await store.appendToStream(streamId, [], { expectedRevision: 'any' });
    unsubscribe();
    await store.appendToStream(streamId, newEvents(1), { expectedRevision: 1 });

    expect(notified).toBe(1);
  });
});
