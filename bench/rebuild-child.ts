import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Checkpoints, openReadModelDatabase, ProjectionRunner, productProjections } from '@ecf/projections';
import { dataFiles, loadProgrammeCalendar, openEventStore } from '@ecf/runtime';
import { PROGRAMME_FILE, programme, round, seconds } from './support';

/**
 * Run in a child process of its own so its peak RSS is the figure's alone:
 * `node dist/bench/rebuild-child.js projections|scan <dataDir>` prints one JSON line.
 * - projections: every product projection built from the log into the directory's read-model file,
 *   through the product store (upcasting, sealed personal data opened) and the projection engine;
 * - scan: the baseline, a raw read of the event table parsing each row's JSON.
 */
async function rebuildProjections(dataDir: string): Promise<{ events: number; seconds: number }> {
  const store = await openEventStore({ eventStore: 'sqlite', dataDir, databaseUrl: null, esdbConnectionString: null });
  const db = await openReadModelDatabase({ kind: 'sqlite', filename: dataFiles(dataDir).readModels });
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

async function main(): Promise<void> {
  const [mode, dataDir] = process.argv.slice(2);
  const result = mode === 'projections' ? await rebuildProjections(dataDir) : mode === 'scan' ? scan(dataDir) : null;
  if (result === null) throw new Error('usage: rebuild-child.js projections|scan <dataDir>');
  process.stdout.write(`${JSON.stringify({ ...result, eventsPerSecond: round(result.events / result.seconds), peakRssMiB: round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
