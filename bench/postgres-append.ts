import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { NewEvent, PostgresEventStore } from '@ecf/event-store';
import { postgresMigrations } from '@ecf/event-store/postgres/migrations';

/**
 * `node dist/bench/postgres-append.js` (after `npm run build`): append throughput of the PostgreSQL
 * adapter with concurrent writers, each a store of its own (as separate processes would be) appending
 * one command's events at a time to its own streams with the exact expected revision. The baseline
 * is the same append function with the global position lock taken out — the store ADR 0008 rejects,
 * whose subscribers can skip events — so the ratio is the price of never skipping one.
 * DATABASE_URL (default the local test server), BENCH_PG_WRITERS (8), BENCH_PG_APPENDS_PER_WRITER (500),
 * BENCH_PG_ROUNDS (3).
 */
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WRITERS = Number(process.env.BENCH_PG_WRITERS ?? 8);
const APPENDS_PER_WRITER = Number(process.env.BENCH_PG_APPENDS_PER_WRITER ?? 500);
const ROUNDS = Number(process.env.BENCH_PG_ROUNDS ?? 3);
const STREAMS_PER_WRITER = 20;

interface Throughput {
  readonly appendsPerSecond: number;
  readonly eventsPerSecond: number;
}

const seconds = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e9;
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const eventsOf = (count: number): NewEvent[] =>
  Array.from({ length: count }, () => {
    const id = randomUUID();
    return {
      eventId: id,
      type: 'EngagementRecorded',
      data: { participantId: randomUUID(), kind: 'self-study', occurredOn: '2026-11-01', reference: null },
      metadata: { commandId: id, correlationId: id, causationId: id, actor: { id: 'bench', role: 'system' }, schemaVersion: 1 },
    };
  });

async function withClient<T>(schema: string | null, action: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: DATABASE_URL, ...(schema === null ? {} : { options: `-c search_path=${schema}` }) });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** The comparison schema: the migrations as released, minus the lock, recorded as applied so the store opens it as is. */
async function createSchemaWithoutPositionLock(schema: string): Promise<void> {
  await withClient(null, (client) => client.query(`CREATE SCHEMA ${schema}`));
  await withClient(schema, async (client) => {
    await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    let locksRemoved = 0;
    for (const migration of postgresMigrations) {
      await client.query(
        migration.sql.replace(/PERFORM pg_advisory_xact_lock\([^;]*\);/g, () => {
          locksRemoved += 1;
          return '';
        }),
      );
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    if (locksRemoved === 0) throw new Error('No position lock found in the migrations: the baseline would measure the product; update the benchmark');
  });
}

/** Every writer appends APPENDS_PER_WRITER times, `eventsPerAppend` events each, round-robin over its own streams. */
async function measure(schema: string, writers: number, eventsPerAppend: number): Promise<Throughput> {
  const stores = await Promise.all(Array.from({ length: writers }, () => PostgresEventStore.open({ connectionString: DATABASE_URL, schema, poolSize: 1 })));
  try {
    const write = async (store: PostgresEventStore): Promise<void> => {
      const streams = Array.from({ length: STREAMS_PER_WRITER }, () => ({ id: `bench-${randomUUID()}`, revision: -1 }));
      for (let append = 0; append < APPENDS_PER_WRITER; append++) {
        const stream = streams[append % streams.length];
        const expectedRevision = stream.revision === -1 ? 'no_stream' : stream.revision;
        stream.revision = (await store.appendToStream(stream.id, eventsOf(eventsPerAppend), { expectedRevision })).nextExpectedRevision;
      }
    };
    const started = process.hrtime.bigint();
    await Promise.all(stores.map(write));
    const elapsed = seconds(started);
    const appends = writers * APPENDS_PER_WRITER;
    return { appendsPerSecond: round(appends / elapsed), eventsPerSecond: round((appends * eventsPerAppend) / elapsed) };
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}

async function main(): Promise<void> {
  const locked = `bench_${randomUUID().replace(/-/g, '')}`;
  const unlocked = `bench_unlocked_${randomUUID().replace(/-/g, '')}`;
  try {
    await (await PostgresEventStore.open({ connectionString: DATABASE_URL, schema: locked, poolSize: 1 })).close();
    await createSchemaWithoutPositionLock(unlocked);
    const settings = await withClient(null, async (client) =>
      Object.fromEntries(
        (await client.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'wal_sync_method')")).rows.map(
          (row) => [row.name, row.setting],
        ),
      ),
    );
    const results = [];
    for (const [writers, eventsPerAppend] of [
      [1, 1],
      [WRITERS, 1],
      [WRITERS, 10],
    ]) {
      // Alternated round by round, so a disk or a neighbour slowing down for a while weighs on both alike.
      const product: Throughput[] = [];
      const baseline: Throughput[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        product.push(await measure(locked, writers, eventsPerAppend));
        baseline.push(await measure(unlocked, writers, eventsPerAppend));
      }
      const productAppends = median(product.map((figure) => figure.appendsPerSecond));
      const baselineAppends = median(baseline.map((figure) => figure.appendsPerSecond));
      results.push({
        name: `${writers} writer(s), ${eventsPerAppend} event(s) per append, median of ${ROUNDS} rounds`,
        appendsPerSecond: productAppends,
        eventsPerSecond: round(productAppends * eventsPerAppend),
        rounds: product,
        baseline: { name: 'same append without the global position lock (subscribers may skip events)', appendsPerSecond: baselineAppends, rounds: baseline },
        timeRatioToBaseline: round(baselineAppends / productAppends, 2),
      });
    }
    const report = { ranAt: new Date().toISOString(), machine: { node: process.version, cpus: cpus().length }, postgres: settings, appendsPerWriter: APPENDS_PER_WRITER, results };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await withClient(null, (client) => client.query(`DROP SCHEMA IF EXISTS ${locked} CASCADE; DROP SCHEMA IF EXISTS ${unlocked} CASCADE`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
