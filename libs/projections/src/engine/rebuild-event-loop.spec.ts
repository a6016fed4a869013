import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { NewEvent, RecordedEvent, SqliteEventStore } from '@ecf/event-store';
import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { Checkpoints } from './checkpoints';
import { Projection, TableName } from './projection';
import { ProjectionRunner } from './projection-runner';

const COUNTS = 'busy_counts';
/** Milliseconds of computing per event: the kind of work a fold does, synchronous like better-sqlite3. */
const MS_PER_EVENT = 2;
const STREAMS = 20;
const EVENTS_EACH = 30;

/** Spends `ms` of the event loop's time without giving it back. */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** Counts events per stream after computing on each; one write per stream and batch. */
const busyCounting = (singleStream: boolean): Projection => ({
  name: 'busy',
  version: 1,
  handles: ['Counted'],
  tables: [COUNTS],
  ...(singleStream ? { singleStream: { streamPrefix: 'stream-' } } : {}),
  schema: (table: TableName) => [`CREATE TABLE IF NOT EXISTS ${table(COUNTS)} (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL)`],
  apply: async (events: readonly RecordedEvent[], session, table) => {
    const counts = new Map<string, number>();
    for (const event of events) {
      busy(MS_PER_EVENT);
      counts.set(event.streamId, (counts.get(event.streamId) ?? 0) + 1);
    }
    for (const [streamId, n] of counts) {
      await session.run(`INSERT INTO ${table(COUNTS)} (stream_id, n) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET n = ${table(COUNTS)}.n + excluded.n`, [streamId, n]);
    }
  },
});

let sequence = 0;
const counted = (): NewEvent => {
  const id = `00000000-0000-4000-9000-${String(++sequence).padStart(12, '0')}`;
  return { eventId: id, type: 'Counted', data: {}, metadata: { commandId: id, correlationId: id, causationId: id, actor: { id: 'test', role: 'system' }, schemaVersion: 1 } };
};

/**
 * A rebuild on a store that answers synchronously (SQLite, better-sqlite3) used to hold the event loop
 * for a whole batch — or, stream by stream, for a whole transaction of 5 000 events — so requests,
 * timers and the policies' appends waited for it. Here every event costs two milliseconds of computing
 * and the batches a rebuild reads hold hundreds of them.
 */
describe.each(READ_MODEL_KINDS)('A rebuild beside the live read model, on %s read models', (kind) => {
  let dir: string;
  let store: SqliteEventStore;
  let readModels: DisposableReadModels;
  let checkpoints: Checkpoints;
  let runner: ProjectionRunner | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-rebuild-loop-'));
    // Appends need not wait for the disk here: hundreds of them are only the history to rebuild.
    store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
    readModels = await freshReadModels(kind);
    checkpoints = new Checkpoints(readModels.db);
    for (let round = 0; round < EVENTS_EACH; round += 1) {
      for (let s = 0; s < STREAMS; s += 1) await store.appendToStream(`stream-${s}`, [counted()], { expectedRevision: 'any' });
    }
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await readModels.dispose();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Rebuilds while another writer commits small transactions (a policy's facts); answers the longest event-loop block and the longest wait for the writer. */
  async function rebuildWatched(projection: Projection): Promise<{ eventLoopMaxMs: number; writerMaxWaitMs: number; writes: number }> {
    runner = new ProjectionRunner(store, readModels.db, projection, checkpoints, { rebuildPollMs: 20, retiredGraceMs: 50 });
    await runner.start();
    await runner.waitUntilCaughtUp();
    await readModels.db.exec('CREATE TABLE IF NOT EXISTS other_writer (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)');
    await readModels.db.run('INSERT INTO other_writer (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING');

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let rebuilding = true;
    const waits: number[] = [];
    const otherWriter = (async () => {
      while (rebuilding) {
        const asked = performance.now();
        await readModels.db.transaction((session) => session.run('UPDATE other_writer SET n = n + 1 WHERE id = 1'));
        waits.push(performance.now() - asked);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await checkpoints.requestRebuild('busy', 1);
    for (let waited = 0; (await checkpoints.of('busy', 'live'))?.generation !== 2 && waited < 30_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    rebuilding = false;
    await otherWriter;
    delay.disable();

    const total = await readModels.db.get<{ total: number }>(`SELECT SUM(n) AS total FROM ${COUNTS}_g2`);
    expect(Number(total?.total)).toBe(STREAMS * EVENTS_EACH);
    return { eventLoopMaxMs: delay.max / 1e6, writerMaxWaitMs: Math.max(...waits), writes: waits.length };
  }

  it.each([
    ['stream by stream', true],
    ['in $all order', false],
  ])('built %s, it gives the event loop a turn every few tens of milliseconds, and another writer its turn at least every transaction', async (_, singleStream) => {
    const watched = await rebuildWatched(busyCounting(singleStream));
    // The rebuild computes for 1.2 s; before, one transaction (or one batch of 500 events) held the loop for 1 s or more.
    expect(watched.eventLoopMaxMs).toBeLessThan(200);
    // About one of the rebuild's transactions (100 ms) on SQLite, whose writes go one transaction at a time.
    expect(watched.writerMaxWaitMs).toBeLessThan(500);
    expect(watched.writes).toBeGreaterThan(3);
  }, 60_000);
});
