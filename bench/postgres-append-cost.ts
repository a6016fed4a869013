import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { PostgresEventStore } from '@ecf/event-store';
import { postgresMigrations } from '@ecf/event-store/postgres/migrations';
import { cpuPerOperation, PostgresCpuMeter } from './postgres-cpu';

/**
 * `node dist/bench/postgres-append-cost.js` (after `npm run build`): what one append costs the server,
 * apart from the Node side. CLIENTS plain `pg` connections (no store, no hashing: the arguments are made
 * up front) append one event at a time to streams of their own, exactly as the adapter calls
 * `append_events`, on the migrations as released and on variants with one piece of the function's work
 * taken out (each in a schema of its own), beside raw one-row inserts and the same appends through the
 * product's adapter (one PostgresEventStore for all clients: hashing, kept heads and its group commit,
 * ADR 0019; its `appendsPerBatch` is appends per call of the append functions). Each run reports the server
 * backends' CPU per append (postgres-cpu.ts), the rate, the WAL flushes per append and their time
 * (pg_stat_wal: one flush per append means commits could not share flushes), and what the active
 * backends were doing (sampled wait events). Variants are alternated round by round.
 * A variant is a measurement, never a store to run: most of them drop a guarantee.
 * DATABASE_URL (the server; a database of its own is created on it and dropped), BENCH_PG_CLIENTS (16),
 * BENCH_PG_APPENDS_PER_CLIENT (300), BENCH_PG_ROUNDS (3), BENCH_PG_VARIANTS (all, comma-separated).
 */
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLIENTS = Number(process.env.BENCH_PG_CLIENTS ?? 16);
const APPENDS_PER_CLIENT = Number(process.env.BENCH_PG_APPENDS_PER_CLIENT ?? 300);
const ROUNDS = Number(process.env.BENCH_PG_ROUNDS ?? 3);
const STREAMS_PER_CLIENT = 20;
/** Connections the batch sketch sends its batches over (the other clients' appends queue meanwhile). */
const BATCH_CONNECTIONS = Number(process.env.BENCH_PG_BATCH_CONNECTIONS ?? 2);

/** A textual edit of the released migrations; each must change them, or the variant would measure the product. */
interface Variant {
  readonly name: string;
  readonly edits: readonly { readonly from: RegExp; readonly to: string }[];
}

const VARIANTS: readonly Variant[] = [
  { name: 'released', edits: [] },
  { name: 'without pg_notify', edits: [{ from: /PERFORM pg_notify\([^;]*\);/, to: '' }] },
  { name: 'without the position lock', edits: [{ from: /PERFORM pg_advisory_xact_lock\([^;]*\);/, to: '' }] },
  // pg_notify's database-wide lock at commit serialises commits as the position lock does: only without both can commits share a flush.
  {
    name: 'without the position lock and pg_notify',
    edits: [
      { from: /PERFORM pg_advisory_xact_lock\([^;]*\);/, to: '' },
      { from: /PERFORM pg_notify\([^;]*\);/, to: '' },
    ],
  },
  {
    name: 'without the (type, position) and recorded_at indexes',
    edits: [
      { from: /CREATE INDEX events_type_position[^;]*;/, to: '' },
      { from: /CREATE INDEX events_recorded_at[^;]*;/, to: '' },
    ],
  },
  { name: 'without SET search_path on the function', edits: [{ from: /SET search_path FROM CURRENT/, to: '' }] },
];

/** The variant's edits apply to `append_events` and the tables (migration 1); later migrations run as released. */
function variantSql(variant: Variant): string[] {
  return postgresMigrations.map((migration) =>
    migration.version !== 1 ? migration.sql : variant.edits.reduce((sql, edit) => {
      if (!edit.from.test(sql)) throw new Error(`${variant.name}: ${edit.from} is not in migration ${migration.version}; update the benchmark`);
      return sql.replace(edit.from, edit.to);
    }, migration.sql),
  );
}

interface WalStats {
  readonly syncs: number;
  readonly syncMs: number;
  readonly bytes: number;
}

/** The server's WAL flushes so far (every database): a backend reports its own when it ends, so read this after closing the run's connections. */
async function walStats(admin: Client): Promise<WalStats> {
  const { rows } = await admin.query<{ syncs: string; sync_ms: number; bytes: string }>('SELECT wal_sync AS syncs, wal_sync_time AS sync_ms, wal_bytes AS bytes FROM pg_stat_wal');
  return { syncs: Number(rows[0].syncs), syncMs: rows[0].sync_ms, bytes: Number(rows[0].bytes) };
}

/**
 * Samples what the run's backends are doing (pg_stat_activity's wait events, every 20 ms, from the
 * admin connection) until stopped, and gives each state's share of the samples of active backends:
 * `Lock:advisory` is the position lock's queue, `Lock:object` pg_notify's, `IO:WALSync` a commit's flush.
 */
function sampleWaits(admin: Client, database: string): () => Promise<Record<string, number>> {
  const counts = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await admin.query<{ state: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS state FROM pg_stat_activity
         WHERE datname = $1 AND backend_type = 'client backend' AND state = 'active'`,
        [database],
      );
      for (const { state } of rows) counts.set(state, (counts.get(state) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return async () => {
    running = false;
    await loop;
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    return Object.fromEntries([...counts.entries()].sort((a, b) => b[1] - a[1]).map(([state, count]) => [state, Number((count / Math.max(1, total)).toFixed(3))]));
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function connect(url: string, schema: string): Promise<Client> {
  // WAL flush times are counted (pg_stat_wal.wal_sync_time) only by backends that time them.
  const client = new Client({ connectionString: url, options: `-c search_path=${schema} -c track_wal_io_timing=on` });
  await client.connect();
  return client;
}

const eventData = (participantId: string) => JSON.stringify({ participantId, kind: 'self-study', occurredOn: '2026-11-01', reference: null });
const eventMetadata = () => {
  const id = randomUUID();
  return JSON.stringify({ commandId: id, correlationId: id, causationId: id, actor: { id: 'bench', role: 'system' } });
};

interface PendingAppend {
  readonly streamId: string;
  readonly head: number;
  readonly hash: string;
  readonly done: (position: string | null) => void;
  readonly failed: (error: unknown) => void;
}

/**
 * A sketch of appends sharing a commit, for this measurement only: the appends that arrive while the
 * connections are busy are sent together, as one call of `append_batch_sketch` (below; the product's `append_batch`, migration 2, generalises it), which moves each
 * stream's head as `append_events` does, then takes the position lock once, inserts them all, notifies
 * once and commits once: one WAL flush for the batch. Positions stay visible in order (ADR 0008).
 */
class AppendBatcher {
  private readonly queue: PendingAppend[] = [];
  private readonly idle: Client[];
  batches = 0;

  constructor(connections: readonly Client[]) {
    this.idle = [...connections];
  }

  append(streamId: string, head: number, hash: string): Promise<string | null> {
    return new Promise((done, failed) => {
      this.queue.push({ streamId, head, hash, done, failed });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const connection = this.idle.pop() as Client;
      void this.send(connection, this.queue.splice(0));
    }
  }

  private async send(connection: Client, batch: readonly PendingAppend[]): Promise<void> {
    this.batches += 1;
    // In stream order, so two batches never lock the same heads in opposite orders.
    const sorted = [...batch].sort((a, b) => (a.streamId < b.streamId ? -1 : 1));
    try {
      const { rows } = await connection.query<{ positions: (string | null)[] }>({
        name: 'append-batch-sketch',
        text: 'SELECT append_batch_sketch($1, $2, $3, $4, $5, $6, $7, $8, $9) AS positions',
        values: [
          sorted.map((pending) => pending.streamId), sorted.map((pending) => pending.head), sorted.map(() => randomUUID()), sorted.map(() => 'EngagementRecorded'),
          sorted.map((pending) => eventData(pending.streamId)), sorted.map(() => eventMetadata()), sorted.map(() => 1), new Date().toISOString(), sorted.map((pending) => pending.hash),
        ],
      });
      sorted.forEach((pending, index) => pending.done(rows[0].positions[index]));
    } catch (error) {
      for (const pending of sorted) pending.failed(error);
    } finally {
      this.idle.push(connection);
      this.pump();
    }
  }
}

/** One event per stream, for the batch sketch: every head moved first (row locks, in the order given), then one position lock for the batch. */
const APPEND_BATCH_SQL = `
  CREATE FUNCTION append_batch_sketch(p_stream_ids TEXT[], p_heads INTEGER[], p_event_ids TEXT[], p_types TEXT[], p_data TEXT[], p_metadata TEXT[],
                               p_schema_versions INTEGER[], p_recorded_at TIMESTAMPTZ, p_hashes TEXT[]) RETURNS BIGINT[]
  LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
  DECLARE
    v_count INTEGER := cardinality(p_stream_ids);
    v_moved BOOLEAN[] := array_fill(FALSE, ARRAY[v_count]);
    v_positions BIGINT[] := array_fill(NULL::BIGINT, ARRAY[v_count]);
  BEGIN
    FOR i IN 1..v_count LOOP
      IF p_heads[i] = -1 THEN
        INSERT INTO streams (stream_id, revision, last_hash) VALUES (p_stream_ids[i], 0, p_hashes[i]) ON CONFLICT (stream_id) DO NOTHING;
      ELSE
        UPDATE streams SET revision = p_heads[i] + 1, last_hash = p_hashes[i] WHERE stream_id = p_stream_ids[i] AND revision = p_heads[i];
      END IF;
      v_moved[i] := FOUND;
    END LOOP;
    PERFORM pg_advisory_xact_lock(1162038864, hashtext(current_schema()));
    FOR i IN 1..v_count LOOP
      IF v_moved[i] THEN
        v_positions[i] := nextval('events_position_seq');
        INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash)
        VALUES (v_positions[i], p_stream_ids[i], p_heads[i] + 1, p_event_ids[i], p_types[i], p_data[i], p_metadata[i], p_schema_versions[i], p_recorded_at, p_hashes[i]);
      END IF;
    END LOOP;
    PERFORM pg_notify('ecf_appended_' || current_schema(), (SELECT max(position) FROM unnest(v_positions) AS position)::TEXT);
    RETURN v_positions;
  END;
  $$;
`;

type RunKind = 'append' | 'raw' | 'batched' | 'store';

/** One client's appends through the product's adapter (hashing, kept heads, group commit: ADR 0019), as appendAll's. */
async function appendAllThroughStore(store: PostgresEventStore): Promise<void> {
  const streams = Array.from({ length: STREAMS_PER_CLIENT }, () => ({ id: `participant-${randomUUID()}`, revision: -1 }));
  for (let append = 0; append < APPENDS_PER_CLIENT; append++) {
    const stream = streams[append % streams.length];
    const id = randomUUID();
    const event = {
      eventId: id,
      type: 'EngagementRecorded',
      data: { participantId: stream.id, kind: 'self-study', occurredOn: '2026-11-01', reference: null },
      metadata: { commandId: id, correlationId: id, causationId: id, actor: { id: 'bench', role: 'system' }, schemaVersion: 1 },
    };
    const result = await store.appendToStream(stream.id, [event], { expectedRevision: stream.revision === -1 ? 'no_stream' : stream.revision });
    stream.revision = result.nextExpectedRevision;
  }
}

/** One client's appends: round-robin over its own streams, each at the head it last wrote, as the adapter with known heads. */
async function appendAll(client: Client, kind: RunKind, batcher: AppendBatcher | null): Promise<void> {
  const streams = Array.from({ length: STREAMS_PER_CLIENT }, () => ({ id: `participant-${randomUUID()}`, revision: -1 }));
  for (let append = 0; append < APPENDS_PER_CLIENT; append++) {
    const stream = streams[append % streams.length];
    const hash = randomBytes(32).toString('hex');
    if (kind === 'raw') {
      await client.query('INSERT INTO raw_events (stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
        stream.id, stream.revision + 1, randomUUID(), 'EngagementRecorded', eventData(stream.id), eventMetadata(), 1, new Date().toISOString(), hash,
      ]);
    } else {
      const position =
        kind === 'batched' && batcher !== null
          ? await batcher.append(stream.id, stream.revision, hash)
          : (
              await client.query<{ position: string | null }>({
                name: 'append-events',
                text: 'SELECT append_events($1, $2, $3, $4, $5, $6, $7, $8, $9) AS position',
                values: [stream.id, stream.revision, [randomUUID()], ['EngagementRecorded'], [eventData(stream.id)], [eventMetadata()], [1], new Date().toISOString(), [hash]],
              })
            ).rows[0].position;
      if (position === null) throw new Error(`append to ${stream.id} found the head moved: the benchmark's streams are its own`);
    }
    stream.revision += 1;
  }
}

async function main(): Promise<void> {
  const database = `ecf_bench_cost_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = await connect(SERVER_URL, 'public');
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  const meter = await PostgresCpuMeter.open(SERVER_URL, database);
  try {
    const wanted = process.env.BENCH_PG_VARIANTS?.split(',').map((name) => name.trim());
    const variants = VARIANTS.filter((variant) => wanted === undefined || wanted.includes(variant.name));
    const setup = await connect(url.toString(), 'public');
    const schemaOf = new Map<string, string>();
    for (const [index, variant] of variants.entries()) {
      const schema = `variant_${index}`;
      schemaOf.set(variant.name, schema);
      await setup.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
      for (const sql of variantSql(variant)) await setup.query(sql);
    }
    // The raw baseline: the same columns as the log (TEXT JSON), its primary key and two unique keys, no function.
    await setup.query(`CREATE SCHEMA raw; CREATE TABLE raw.raw_events (position BIGSERIAL PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, schema_version INTEGER NOT NULL, recorded_at TIMESTAMPTZ NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, revision))`);
    // The batch sketch: the released migrations plus append_batch_sketch, in a schema of its own.
    await setup.query('CREATE SCHEMA batched; SET search_path = batched');
    for (const sql of variantSql(VARIANTS[0])) await setup.query(sql);
    await setup.query(APPEND_BATCH_SQL);
    await setup.end();
    // The adapter's run: a store opened per round (its connections closed before the WAL counts are read) on the released migrations.
    const openStore = () => PostgresEventStore.open({ connectionString: url.toString(), schema: 'store', poolSize: CLIENTS });
    await (await openStore()).close();

    const runs: { name: string; schema: string; kind: RunKind }[] = [
      ...variants.map((variant) => ({ name: variant.name, schema: schemaOf.get(variant.name) as string, kind: 'append' as const })),
      { name: `released, concurrent appends sent together over ${BATCH_CONNECTIONS} connections (append_batch sketch)`, schema: 'batched', kind: 'batched' },
      { name: 'released, through the adapter (PostgresEventStore, its group commit), one store for all clients', schema: 'store', kind: 'store' },
      { name: 'raw one-row insert', schema: 'raw', kind: 'raw' },
    ];
    type Run = ReturnType<typeof cpuPerOperation> & { walSyncsPerOp: number; msPerWalSync: number; walBytesPerOp: number; activeBackendStates: Record<string, number> };
    const results = new Map<string, Run[]>(runs.map((run) => [run.name, []]));
    const operations = CLIENTS * APPENDS_PER_CLIENT;
    const batchesOf = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
        const clients = run.kind === 'store' ? [] : await Promise.all(Array.from({ length: CLIENTS }, () => connect(url.toString(), run.schema)));
        const store = run.kind === 'store' ? await openStore() : null;
        let cpu: ReturnType<typeof cpuPerOperation>;
        let states: Record<string, number>;
        await settle();
        const walBefore = await walStats(admin);
        try {
          const stop = await meter.start();
          const stopSampling = sampleWaits(admin, database);
          const started = process.hrtime.bigint();
          const batcher = run.kind === 'batched' ? new AppendBatcher(clients.slice(0, BATCH_CONNECTIONS)) : null;
          if (store) {
            await Promise.all(Array.from({ length: CLIENTS }, () => appendAllThroughStore(store)));
            // Calls of the append functions: the appends that went alone, and one per batch.
            const { batches, appendsInBatches } = store.groupCommitCounts();
            batchesOf.set(run.name, [...(batchesOf.get(run.name) ?? []), operations - appendsInBatches + batches]);
          } else {
            await Promise.all(clients.map((client) => appendAll(client, run.kind, batcher)));
          }
          if (batcher) batchesOf.set(run.name, [...(batchesOf.get(run.name) ?? []), batcher.batches]);
          const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
          states = await stopSampling();
          cpu = cpuPerOperation(await stop(), operations, elapsed);
        } finally {
          await Promise.all(clients.map((client) => client.end()));
          await store?.close();
        }
        await settle();
        const walAfter = await walStats(admin);
        const syncs = walAfter.syncs - walBefore.syncs;
        results.get(run.name)?.push({
          ...cpu,
          walSyncsPerOp: Number((syncs / operations).toFixed(3)),
          msPerWalSync: Number(((walAfter.syncMs - walBefore.syncMs) / Math.max(1, syncs)).toFixed(3)),
          walBytesPerOp: Math.round((walAfter.bytes - walBefore.bytes) / operations),
          activeBackendStates: states,
        });
      }
    }
    const summary = runs.map(({ name }) => {
      const rounds = results.get(name) ?? [];
      return {
        name,
        medianServerBackendsMsPerOp: median(rounds.map((figure) => figure.serverBackendsMsPerOp)),
        medianNodeMsPerOp: median(rounds.map((figure) => figure.nodeMsPerOp)),
        medianPerSecond: median(rounds.map((figure) => figure.measuredPerSecond)),
        ...(batchesOf.has(name) ? { appendsPerBatch: (batchesOf.get(name) ?? []).map((batches) => Number((operations / batches).toFixed(1))) } : {}),
        medianWalSyncsPerOp: median(rounds.map((figure) => figure.walSyncsPerOp)),
        medianMsPerWalSync: median(rounds.map((figure) => figure.msPerWalSync)),
        medianWalBytesPerOp: median(rounds.map((figure) => figure.walBytesPerOp)),
        rounds,
      };
    });
    const settings = (await admin.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'wal_sync_method')")).rows;
    const report = {
      ranAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      postgres: Object.fromEntries(settings.map((row) => [row.name, row.setting])),
      clients: CLIENTS,
      appendsPerClient: APPENDS_PER_CLIENT,
      results: summary,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await meter.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
