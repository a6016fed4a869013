import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { ids, newEvent, newEvents, newStreamId } from '../conformance/fixtures';
import { WrongExpectedRevisionError } from '../errors';
import { verifyStreamChain } from '../hash-chain';
import { subscribeToAll } from '../subscription';
import { verifyLog } from '../verification/verify-log';
import { migratePostgres } from './migrate';
import { postgresMigrations } from './migrations';
import { PostgresEventStore, PostgresEventStoreOptions } from './postgres-event-store';
import { assertTestServerReachable, dropTestSchema, newTestSchemaName, openTestStore, queryTestSchema, testDatabaseUrl } from './testing/test-database';

beforeAll(assertTestServerReachable);

const nextWake = (store: PostgresEventStore): Promise<void> =>
  new Promise((resolve) => {
    const unsubscribe = store.onAppend(() => {
      unsubscribe();
      resolve();
    });
  });

/** Server-side effects of a client's actions (a backend exiting) land a moment later. */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeEventStoreConformance('PostgreSQL', async () => {
  const schema = newTestSchemaName();
  const store = await openTestStore(schema);
  return {
    store,
    dispose: async () => {
      await store.close();
      await dropTestSchema(schema);
    },
  };
});

describe('PostgresEventStore', () => {
  const opened: PostgresEventStore[] = [];
  const schemas: string[] = [];
  const newSchema = (): string => {
    const schema = newTestSchemaName();
    schemas.push(schema);
    return schema;
  };
  const open = async (schema: string, options: Partial<PostgresEventStoreOptions> = {}): Promise<PostgresEventStore> => {
    const store = await openTestStore(schema, options);
    opened.push(store);
    return store;
  };
  const appliedVersions = async (schema: string): Promise<number[]> =>
    (await queryTestSchema<{ version: number }>(schema, 'SELECT version FROM schema_migrations ORDER BY version')).map((row) => row.version);

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await Promise.all(schemas.splice(0).map(dropTestSchema));
  });

  describe('migrations', () => {
    it('creates the schema and applies every migration once, however many processes open it at once', async () => {
      const schema = newSchema();

      await Promise.all(Array.from({ length: 4 }, () => open(schema)));

      expect(await appliedVersions(schema)).toEqual(postgresMigrations.map((migration) => migration.version));
    });

    it('migratePostgres reports what it applied, then nothing on the next run', async () => {
      const schema = newSchema();

      await expect(migratePostgres(testDatabaseUrl(), schema)).resolves.toEqual(postgresMigrations.map(({ version, name }) => ({ version, name })));
      await expect(migratePostgres(testDatabaseUrl(), schema)).resolves.toEqual([]);
      expect(await appliedVersions(schema)).toEqual(postgresMigrations.map((migration) => migration.version));
    });

    it('refuses a schema name it would have to escape', async () => {
      await expect(PostgresEventStore.open({ connectionString: testDatabaseUrl(), schema: 'Robert"); DROP TABLE events; --' })).rejects.toBeInstanceOf(RangeError);
      await expect(migratePostgres(testDatabaseUrl(), 'a'.repeat(49))).rejects.toBeInstanceOf(RangeError);
    });
  });

  it('reopening keeps the data and the chain continues from the stored head', async () => {
    const schema = newSchema();
    const streamId = newStreamId();
    const first = await open(schema);
    const result = await first.appendToStream(streamId, newEvents(3), { expectedRevision: 'no_stream' });
    await first.close();

    const reopened = await open(schema);

    expect(await reopened.headPosition()).toBe(result.position);
    await reopened.appendToStream(streamId, newEvents(1), { expectedRevision: 2 });
    expect(verifyStreamChain(await reopened.readStream(streamId))).toEqual({ valid: true });
  });

  it('stores data exactly as given, including text jsonb would refuse or alter', async () => {
    const store = await open(newSchema());
    const streamId = newStreamId();
    const data = { nul: 'a\u0000b', quote: 'say "hi" \\ back', unicode: 'Zoë 🎓', big: 1e21, precise: 0.1 + 0.2, nested: { b: [1, { a: null }], a: '' } };

    await store.appendToStream(streamId, [newEvent('Awkward', data)], { expectedRevision: 'no_stream' });
    const [read] = await store.readStream(streamId);

    expect(read.data).toEqual(data);
    expect(verifyStreamChain([read])).toEqual({ valid: true });
  });

  it('stamps every event of an append with one instant from the injected clock, normalised to UTC, and reads it back exactly', async () => {
    const instants = ['2025-09-01T10:00:00+01:00', '2025-09-01T09:30:00.250Z'];
    const store = await open(newSchema(), { clock: () => instants.shift() ?? 'never' });
    const streamId = newStreamId();
    await store.appendToStream(streamId, newEvents(2), { expectedRevision: 'no_stream' });
    await store.appendToStream(streamId, newEvents(1), { expectedRevision: 1 });

    const read = await store.readStream(streamId);

    expect(read.map((event) => event.recordedAt)).toEqual(['2025-09-01T09:00:00.000Z', '2025-09-01T09:00:00.000Z', '2025-09-01T09:30:00.250Z']);
    expect(verifyStreamChain(read)).toEqual({ valid: true });
    expect(await store.readStream(streamId, { recordedAtOrBefore: '2025-09-01T09:30:00Z' })).toHaveLength(2);
    expect(await store.readStream(streamId, { recordedAtOrBefore: '2025-09-01T10:30:00.250+01:00' })).toHaveLength(3);
  });

  it('rejects a batch that repeats an event id and a negative expected revision, writing nothing', async () => {
    const store = await open(newSchema());
    const streamId = newStreamId();
    const [event] = newEvents(1);

    await expect(store.appendToStream(streamId, [event, event], { expectedRevision: 'any' })).rejects.toBeInstanceOf(RangeError);
    await expect(store.appendToStream(streamId, [event], { expectedRevision: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(store.readAll({ maxCount: -1 })).rejects.toBeInstanceOf(RangeError);
    expect(await store.readStream(streamId)).toEqual([]);
  });

  it('two stores on one schema (two processes) see each other and conflict on the same revision', async () => {
    const schema = newSchema();
    const api = await open(schema);
    const cli = await open(schema);
    const streamId = newStreamId();
    await api.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' });

    expect(await cli.readStream(streamId)).toHaveLength(1);
    await cli.appendToStream(streamId, newEvents(1), { expectedRevision: 0 });
    const conflict = await api.appendToStream(streamId, newEvents(1), { expectedRevision: 0 }).catch((error: unknown) => error);

    expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
    expect(conflict).toMatchObject({ expected: 0, actual: 1 });
    expect(verifyStreamChain(await api.readStream(streamId))).toEqual({ valid: true });
  });

  it('concurrent creators of one stream from two stores: exactly one wins, the other conflicts cleanly', async () => {
    const schema = newSchema();
    const stores = [await open(schema), await open(schema)];
    const streamId = newStreamId();

    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => stores[index % 2].appendToStream(streamId, newEvents(2), { expectedRevision: 'no_stream' })),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const reasons = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(reasons).toHaveLength(19);
    expect(reasons.every((reason) => reason instanceof WrongExpectedRevisionError)).toBe(true);
    expect(await stores[0].readStream(streamId)).toHaveLength(2);
  });

  it('concurrent retries of one append from two stores write it once and all get the original result', async () => {
    const schema = newSchema();
    const stores = [await open(schema), await open(schema)];
    const streamId = newStreamId();
    const batch = newEvents(3);

    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => stores[index % 2].appendToStream(streamId, batch, { expectedRevision: 'any' })));

    // One of them wrote it; the others say it was stored already, with the same result.
    expect(new Set(results.map(({ nextExpectedRevision, position }) => JSON.stringify({ nextExpectedRevision, position }))).size).toBe(1);
    expect(results.filter((result) => !result.alreadyStored)).toHaveLength(1);
    expect(ids(await stores[0].readStream(streamId))).toEqual(ids(batch));
  });

  it('a subscription on one store is woken by a notification of an append committed through another', async () => {
    const schema = newSchema();
    const writer = await open(schema);
    const reader = await open(schema);
    // The first wake comes when the listening connection is up; appends from then on are announced.
    await nextWake(reader);
    const events = newEvents(2);
    const seen: string[] = [];
    let delivered!: () => void;
    const allDelivered = new Promise<void>((resolve) => (delivered = resolve));
    // A poll interval far beyond the test's timeout: only the notification can deliver in time.
    const subscription = subscribeToAll(reader, {
      after: await reader.headPosition(),
      pollIntervalMs: 600_000,
      handle: (batch) => {
        seen.push(...batch.map((event) => event.eventId));
        if (seen.length === events.length) delivered();
      },
    });
    try {
      await subscription.waitUntilCaughtUp();

      await writer.appendToStream(newStreamId(), events, { expectedRevision: 'no_stream' });
      await allDelivered;

      expect(seen).toEqual(ids(events));
    } finally {
      await subscription.stop();
    }
  });

  it('close ends every connection of the store, the listening one included, and may be called twice', async () => {
    const schema = newSchema();
    const store = await PostgresEventStore.open({ connectionString: testDatabaseUrl(), schema, poolSize: 3 });
    await nextWake(store);
    await Promise.all(Array.from({ length: 3 }, () => store.appendToStream(newStreamId(), newEvents(1), { expectedRevision: 'no_stream' })));
    const connections = async () =>
      Number((await queryTestSchema<{ count: string }>(schema, 'SELECT COUNT(*) AS count FROM pg_stat_activity WHERE application_name = $1', [`ecf-event-store:${schema}`]))[0].count);
    expect(await connections()).toBeGreaterThan(1);

    await store.close();
    await store.close();

    await waitFor(async () => (await connections()) === 0);
    await expect(store.readAll()).rejects.toThrow();
  });

  describe('tamper evidence through verifyLog', () => {
    const setUp = async () => {
      const schema = newSchema();
      const store = await open(schema);
      const streamId = newStreamId('participant');
      await store.appendToStream(streamId, newEvents(3), { expectedRevision: 'no_stream' });
      await store.appendToStream(newStreamId('participant'), newEvents(2), { expectedRevision: 'no_stream' });
      return { schema, store, streamId };
    };

    it('finds nothing in an untouched log', async () => {
      const { store } = await setUp();
      expect((await verifyLog(store)).findings).toEqual([]);
    });

    it('names the stream and revision of an event whose data was changed in place', async () => {
      const { schema, store, streamId } = await setUp();

      await queryTestSchema(schema, `UPDATE events SET data = '{"index":99}' WHERE stream_id = $1 AND revision = 1`, [streamId]);
      const { findings } = await verifyLog(store);

      expect(findings).toEqual([expect.objectContaining({ streamId, revision: 1, problem: 'hash-mismatch' })]);
    });

    it('names the stream and revision of an event whose schema_version was changed in place (ADR 0012)', async () => {
      const { schema, store, streamId } = await setUp();

      await queryTestSchema(schema, 'UPDATE events SET schema_version = 2 WHERE stream_id = $1 AND revision = 1', [streamId]);
      const { findings } = await verifyLog(store);

      expect(findings).toEqual([expect.objectContaining({ streamId, revision: 1, problem: 'hash-mismatch' })]);
    });

    it('keeps the schema version in its column only, and still verifies rows written with it inside the metadata JSON too', async () => {
      const { schema, store, streamId } = await setUp();
      const stored = await queryTestSchema<{ metadata: string; schema_version: number }>(schema, 'SELECT metadata, schema_version FROM events WHERE stream_id = $1', [streamId]);
      expect(stored.map((row) => [JSON.parse(row.metadata).schemaVersion, row.schema_version])).toEqual([[undefined, 1], [undefined, 1], [undefined, 1]]);

      // As appends wrote them before ADR 0012.
      await queryTestSchema(schema, `UPDATE events SET metadata = (metadata::jsonb || jsonb_build_object('schemaVersion', schema_version))::text`);
      expect((await verifyLog(store)).findings).toEqual([]);
      expect((await store.readStream(streamId)).map((event) => event.metadata.schemaVersion)).toEqual([1, 1, 1]);
    });

    it('names the stream and revision after an event that was deleted', async () => {
      const { schema, store, streamId } = await setUp();

      await queryTestSchema(schema, 'DELETE FROM events WHERE stream_id = $1 AND revision = 1', [streamId]);
      const { findings } = await verifyLog(store);

      expect(findings).toEqual([
        expect.objectContaining({ streamId, revision: 2, problem: 'revision-gap' }),
        expect.objectContaining({ streamId, revision: 2, problem: 'hash-mismatch' }),
      ]);
    });
  });
});
