import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Checkpoints, openReadModelDatabase, PARTICIPANT_PROGRAMME_PROJECTION, ProjectionRunner, productProjections } from '@ecf/projections';
import { dataFiles, loadProgrammeCalendar, openEventStore } from '@ecf/runtime';
import { PROGRAMME_FILE, programme, round, seconds } from './support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `node dist/bench/rebuild-beside.js <dataDir> [projection]`: on a seeded embedded data directory
 * (`ecf seed`), brings every projection up to the head, then rebuilds one (default
 * participant-programme) beside its live generation, as `ecf projections rebuild` does, and prints one
 * JSON line: how long until the new generation was live and the retired one dropped, and the event
 * loop's delay meanwhile (`monitorEventLoopDelay`): what a request or a policy in the same process
 * would have waited for at worst.
 */
async function main(): Promise<void> {
  const [dataDir, name = PARTICIPANT_PROGRAMME_PROJECTION] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: rebuild-beside.js <dataDir> [projection]');
  const store = await openEventStore({ eventStore: 'sqlite', dataDir, databaseUrl: null, esdbConnectionString: null });
  const db = await openReadModelDatabase({ kind: 'sqlite', filename: dataFiles(dataDir).readModels });
  const checkpoints = new Checkpoints(db);
  const runners = productProjections(loadProgrammeCalendar(PROGRAMME_FILE, programme)).map((projection) => new ProjectionRunner(store, db, projection, checkpoints));
  const rebuilt = runners.find((runner) => runner.name === name);
  if (!rebuilt) throw new Error(`No projection named ${name}`);
  const head = await store.headPosition();
  for (const runner of runners) await runner.start();
  await Promise.all(runners.map((runner) => runner.waitUntilCaughtUp(head)));

  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const started = process.hrtime.bigint();
  const { generation } = await checkpoints.requestRebuild(name, rebuilt.projection.version);
  while ((await checkpoints.get(name, generation))?.role !== 'live') await sleep(20);
  const liveAfter = seconds(started);
  while ((await checkpoints.get(name, generation - 1)) !== undefined) await sleep(20);
  const droppedAfter = seconds(started);
  delay.disable();

  for (const runner of runners) await runner.stop();
  await db.close();
  await store.close();
  const ms = (nanoseconds: number) => round(nanoseconds / 1e6);
  process.stdout.write(
    `${JSON.stringify({ projection: name, events: head, liveAfterSeconds: round(liveAfter, 2), retiredDroppedAfterSeconds: round(droppedAfter, 2), eventLoopDelayMaxMs: ms(delay.max), eventLoopDelayP99Ms: ms(delay.percentile(99)) })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
