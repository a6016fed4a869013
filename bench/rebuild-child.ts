import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Checkpoints, openReadModelDatabase, ProjectionRunner, productProjections, ReadModelTarget } from '@ecf/projections';
import { dataFiles, loadProgrammeCalendar, openEventStore } from '@ecf/runtime';
import { PROGRAMME_FILE, programme, round, seconds } from './support';

/**
 * Run in a child process of its own so its peak RSS is the figure's alone:
 * `node dist/bench/rebuild-child.js projections|scan <dataDir>` prints one JSON line.
 * - projections: every product projection built from the log into the directory's read-model file,
 *   through the product store (upcasting, sealed personal data opened) and the projection engine;
 * - projections-postgres: the same into read models in a PostgreSQL schema of its own (DATABASE_URL),
 *   created for the run and dropped after it;
 * - scan: the baseline, a raw read of the event table parsing each row's JSON;
 * - write-floor (after projections, on the same directory): what writing the rows the rebuild left costs
 *   on its own — every row of the live read-model tables inserted once, raw, into empty tables of the same
 *   schema and indexes, in large transactions. No rebuild that writes those rows can take less.
 */
async function rebuildProjections(dataDir: string, target: ReadModelTarget): Promise<{ events: number; seconds: number }> {
  const store = await openEventStore({ eventStore: 'sqlite', dataDir, databaseUrl: null, esdbConnectionString: null });
  const db = await openReadModelDatabase(target);
  const checkpoints = new Checkpoints(db);
  const head = await store.headPosition();
  const runners = productProjections(loadProgrammeCalendar(PROGRAMME_FILE, programme)).map((projection) => new ProjectionRunner(store, db, projection, checkpoints));
  const started = process.hrtime.bigint();
  for (const runner of runners) await runner.start();
  await Promise.all(runners.map((runner) => runner.waitUntilCaughtUp(head)));
  const elapsed = seconds(started);
  for (const runner of runners) await runner.stop();
  await db.close();
  await store.close();
  return { events: head, seconds: elapsed };
}

function scan(dataDir: string): { events: number; seconds: number; checksum: number } {
  const raw = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  const started = process.hrtime.bigint();
  let events = 0;
  let checksum = 0;
  for (const row of raw.prepare('SELECT data, metadata FROM events ORDER BY position').iterate() as Iterable<{ data: string; metadata: string }>) {
    checksum += Object.keys(JSON.parse(row.data)).length + Object.keys(JSON.parse(row.metadata)).length;
    events += 1;
  }
  const elapsed = seconds(started);
  raw.close();
  return { events, seconds: elapsed, checksum };
}

async function rebuildIntoPostgres(dataDir: string): Promise<{ events: number; seconds: number }> {
  const connectionString = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_rebuild_${process.pid}`;
  try {
    return await rebuildProjections(dataDir, { kind: 'postgres', connectionString, schema });
  } finally {
    const client = new Client({ connectionString });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

const ROWS_PER_TRANSACTION = 10_000;

function writeFloor(dataDir: string): { rows: number; seconds: number; readSeconds: number; tables: Record<string, number> } {
  const source = new Database(dataFiles(dataDir).readModels, { readonly: true });
  const live = source.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name GLOB '*_g[0-9]*'`).all() as { name: string; sql: string }[];
  const indexes = source.prepare(`SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`).all() as { tbl_name: string; sql: string }[];
  const scratch = mkdtempSync(join(tmpdir(), 'ecf-write-floor-'));
  // Opened as the product opens its read models (WAL, synchronous NORMAL).
  const target = new Database(join(scratch, 'floor.sqlite'));
  target.pragma('journal_mode = WAL');
  target.pragma('synchronous = NORMAL');
  const tables: Record<string, number> = {};
  let rows = 0;
  let readSeconds = 0;
  let writeSeconds = 0;
  try {
    for (const { name, sql } of live) {
      target.exec(sql);
      for (const index of indexes.filter((candidate) => candidate.tbl_name === name)) target.exec(index.sql);
      const columns = (source.prepare(`SELECT * FROM ${name} LIMIT 0`).columns() as { name: string }[]).map((column) => column.name);
      const select = source.prepare(`SELECT ${columns.join(', ')} FROM ${name}`).raw(true);
      // The read of the source is timed on its own and left out: the floor is the writing.
      const readStarted = process.hrtime.bigint();
      let count = 0;
      for (const row of select.iterate() as Iterable<unknown[]>) count += row.length > 0 ? 1 : 0;
      readSeconds += seconds(readStarted);
      const insert = target.prepare(`INSERT INTO ${name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      const started = process.hrtime.bigint();
      let inTransaction = 0;
      target.exec('BEGIN');
      for (const row of select.iterate() as Iterable<unknown[]>) {
        insert.run(...row);
        if (++inTransaction === ROWS_PER_TRANSACTION) {
          target.exec('COMMIT');
          target.exec('BEGIN');
          inTransaction = 0;
        }
      }
      target.exec('COMMIT');
      writeSeconds += seconds(started);
      tables[name] = count;
      rows += count;
    }
  } finally {
    target.close();
    source.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { rows, seconds: Math.max(0, writeSeconds - readSeconds), readSeconds, tables };
}

async function main(): Promise<void> {
  const [mode, dataDir] = process.argv.slice(2);
  if (mode === 'write-floor') {
    process.stdout.write(`${JSON.stringify(writeFloor(dataDir))}\n`);
    return;
  }
  const result =
    mode === 'projections'
      ? await rebuildProjections(dataDir, { kind: 'sqlite', filename: dataFiles(dataDir).readModels })
      : mode === 'projections-postgres'
        ? await rebuildIntoPostgres(dataDir)
        : mode === 'scan'
          ? scan(dataDir)
          : null;
  if (result === null) throw new Error('usage: rebuild-child.js projections|projections-postgres|scan|write-floor <dataDir>');
  process.stdout.write(`${JSON.stringify({ ...result, eventsPerSecond: round(result.events / result.seconds), peakRssMiB: round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
