import { randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { postgresMigrations } from '@ecf/event-store/postgres/migrations';
import { cpuPerOperation, PostgresCpuMeter } from './postgres-cpu';

/**
 * `node dist/bench/postgres-append-cost.js` (after `npm run build`): what one append costs the server,
 * apart from the Node side. CLIENTS plain `pg` connections (no store, no hashing: the arguments are made
 * up front) append one event at a time to streams of their own, exactly as the adapter calls
 * `append_events`, on the migrations as released and on variants with one piece of the function's work
 * taken out (each in a schema of its own), beside raw one-row inserts. Each run reports the server
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

function variantSql(variant: Variant): string[] {
  return postgresMigrations.map((migration) =>
    variant.edits.reduce((sql, edit) => {
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

/** One client's appends: round-robin over its own streams, each at the head it last wrote, as the adapter with known heads. */
async function appendAll(client: Client, kind: 'append' | 'raw'): Promise<void> {
  const streams = Array.from({ length: STREAMS_PER_CLIENT }, () => ({ id: `participant-${randomUUID()}`, revision: -1 }));
  for (let append = 0; append < APPENDS_PER_CLIENT; append++) {
    const stream = streams[append % streams.length];
    const hash = randomBytes(32).toString('hex');
    if (kind === 'raw') {
      await client.query('INSERT INTO raw_events (stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
        stream.id, stream.revision + 1, randomUUID(), 'EngagementRecorded', eventData(stream.id), eventMetadata(), 1, new Date().toISOString(), hash,
      ]);
    } else {
      const { rows } = await client.query<{ position: string | null }>({
        name: 'append-events',
        text: 'SELECT append_events($1, $2, $3, $4, $5, $6, $7, $8, $9) AS position',
        values: [stream.id, stream.revision, [randomUUID()], ['EngagementRecorded'], [eventData(stream.id)], [eventMetadata()], [1], new Date().toISOString(), [hash]],
      });
      if (rows[0].position === null) throw new Error(`append to ${stream.id} found the head moved: the benchmark's streams are its own`);
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
    await setup.end();

    const runs = [...variants.map((variant) => ({ name: variant.name, schema: schemaOf.get(variant.name) as string, kind: 'append' as const })), { name: 'raw one-row insert', schema: 'raw', kind: 'raw' as const }];
    type Run = ReturnType<typeof cpuPerOperation> & { walSyncsPerOp: number; msPerWalSync: number; walBytesPerOp: number; activeBackendStates: Record<string, number> };
    const results = new Map<string, Run[]>(runs.map((run) => [run.name, []]));
    const operations = CLIENTS * APPENDS_PER_CLIENT;
    for (let round = 0; round < ROUNDS; round++) {
      for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
        const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect(url.toString(), run.schema)));
        let cpu: ReturnType<typeof cpuPerOperation>;
        let states: Record<string, number>;
        await settle();
        const walBefore = await walStats(admin);
        try {
          const stop = await meter.start();
          const stopSampling = sampleWaits(admin, database);
          const started = process.hrtime.bigint();
          await Promise.all(clients.map((client) => appendAll(client, run.kind)));
          const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
          states = await stopSampling();
          cpu = cpuPerOperation(await stop(), operations, elapsed);
        } finally {
          await Promise.all(clients.map((client) => client.end()));
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
