import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { commandHandlerFor, handleParticipantCommand } from '@ecf/command-handling';
import { participantDecider, participantStreamId } from '@ecf/domain';
import { EventStore, PostgresEventStore } from '@ecf/event-store';
import { PersonalDataVault, productEventStore } from '@ecf/runtime';
import { cpuPerOperation, PostgresCpuMeter } from './postgres-cpu';
import { benchContext, benchEnvelope, BenchFigure, recordEngagement, registerEct, round, seconds } from './support';

export interface PostgresCommandBenchOptions {
  readonly serverUrl: string;
  readonly clients: number;
  readonly participantsPerClient: number;
  readonly commandsPerParticipant: number;
}

async function withDatabase<T>(serverUrl: string, work: (url: string, name: string) => Promise<T>): Promise<T> {
  const name = `ecf_bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString(), name);
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** Runs `perClient` for each of `clients` concurrent clients and returns the seconds until all are done. */
async function concurrently(clients: number, perClient: (client: number) => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: clients }, (_, client) => perClient(client)));
  return seconds(started);
}

/** As `concurrently`, with the phase's CPU split by process (postgres-cpu.ts) for `operations` operations. */
async function measuredConcurrently(meter: PostgresCpuMeter, operations: number, clients: number, perClient: (client: number) => Promise<void>) {
  const stop = await meter.start();
  const elapsed = await concurrently(clients, perClient);
  return { seconds: elapsed, cpu: cpuPerOperation(await stop(), operations, elapsed) };
}

/**
 * 2. The full command path on PostgreSQL with concurrent clients (each its own participants, as
 * separate callers would be), against raw `pg` one-row inserts of the same rows from as many clients.
 */
export async function postgresCommandBenchmark(_dir: string, options: PostgresCommandBenchOptions): Promise<BenchFigure> {
  const { clients, participantsPerClient, commandsPerParticipant } = options;
  const total = clients * participantsPerClient * commandsPerParticipant;
  return withDatabase(options.serverUrl, async (url, database) => {
    const meter = await PostgresCpuMeter.open(options.serverUrl, database);
    try {
      // As server mode opens it: the personal-data keys in the same database as the log.
      const store: EventStore = productEventStore(await PostgresEventStore.open({ connectionString: url, poolSize: clients }), await PersonalDataVault.postgres({ connectionString: url }));
      const newIds = () => Array.from({ length: clients }, () => Array.from({ length: participantsPerClient }, () => randomUUID()));
      const register = (ids: string[][]) =>
        concurrently(clients, async (client) => {
          for (const [index, id] of ids[client].entries()) {
            await handleParticipantCommand(store, id, () => registerEct(id, client * participantsPerClient + index), benchEnvelope(), benchContext);
          }
        });
      const engage = (ids: string[][], handle: typeof handleParticipantCommand) =>
        measuredConcurrently(meter, total, clients, async (client) => {
          for (let round = 0; round < commandsPerParticipant; round++) {
            for (const id of ids[client]) await handle(store, id, () => recordEngagement(id), benchEnvelope(), benchContext);
          }
        });
      // The command path as it was before folded state was kept (ADR 0016), on participants of its own.
      const uncachedIds = newIds();
      await register(uncachedIds);
      const uncached = await engage(uncachedIds, commandHandlerFor(participantDecider, participantStreamId));
      const ids = newIds();
      await register(ids);
      const full = await engage(ids, handleParticipantCommand);
      await store.close();

      const pool = new Pool({ connectionString: url, max: clients });
      await pool.query(`CREATE TABLE raw_events (position BIGSERIAL PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id UUID NOT NULL UNIQUE,
        type TEXT NOT NULL, data JSONB NOT NULL, metadata JSONB NOT NULL, recorded_at TIMESTAMPTZ NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, revision))`);
      // Every client's connection open before the phase, as the product's pool is by then.
      const opened = await Promise.all(Array.from({ length: clients }, () => pool.connect()));
      opened.forEach((client) => client.release());
      const raw = await measuredConcurrently(meter, total, clients, async (client) => {
        for (let round = 0; round < commandsPerParticipant; round++) {
          for (const id of ids[client]) {
            const { commandId } = benchEnvelope();
            await pool.query('INSERT INTO raw_events (stream_id, revision, event_id, type, data, metadata, recorded_at, hash) VALUES ($1, $2, $3, $4, $5, $6, now(), $7)', [
              participantStreamId(id), round + 1, randomUUID(), 'EngagementRecorded', JSON.stringify(recordEngagement(id).data), JSON.stringify({ commandId }), '',
            ]);
          }
        }
      });
      // DROP DATABASE … WITH (FORCE) may reach a client still closing after end(); that is no failure of the figure.
      pool.on('error', () => undefined);
      await pool.end();
      return {
        name: `command throughput, PostgreSQL, ${clients} concurrent clients (RecordEngagement through handleParticipantCommand)`,
        commands: total,
        commandsPerSecond: round(total / full.seconds),
        baseline: { name: `raw pg one-row inserts (autocommit) from ${clients} clients`, rowsPerSecond: round(total / raw.seconds), cpu: raw.cpu },
        rateRatioToBaseline: round(raw.seconds / full.seconds, 2),
        target: '≥ 0.5 × the raw insert rate',
        cpu: full.cpu,
        cpuPerOpRatioToBaseline: round(full.cpu.cpuMsPerOp / raw.cpu.cpuMsPerOp, 2),
        cpuSource:
          'ms of CPU per operation: nodeMsPerOp this process (process.cpuUsage), serverBackendsMsPerOp the client backends of the bench database (pg_stat_activity, /proc/<pid>/schedstat), ' +
          "serverBackgroundMsPerOp PostgreSQL's shared WAL writer, checkpointer, background writer and autovacuum; cpuBoundPerSecond = cores / their sum",
        withoutStateCache: { commandsPerSecond: round(total / uncached.seconds), rateRatioToBaseline: round(raw.seconds / uncached.seconds, 2), cpu: uncached.cpu },
      };
    } finally {
      await meter.close();
    }
  });
}
