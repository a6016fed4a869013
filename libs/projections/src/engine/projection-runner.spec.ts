import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEvent, RecordedEvent, SqliteEventStore } from '@ecf/event-store';
import { liveTables } from '../read-models/live-tables';
import { SqlSession } from '../read-models/sql-database';
import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { Checkpoints, STREAM_BUILD_CLAIMS_TABLE } from './checkpoints';
import { eachEvent, Projection, TableName } from './projection';
import { ProjectionRunner } from './projection-runner';

const COUNTS = 'stream_counts';

/** A small projection: how many `Counted` events each stream holds. */
const counting = (version = 1, poison?: (event: RecordedEvent) => boolean, name = 'counting', COUNTS = 'stream_counts'): Projection => ({
  name,
  version,
  handles: ['Counted'],
  tables: [COUNTS],
  schema: (table: TableName) => [`CREATE TABLE IF NOT EXISTS ${table(COUNTS)} (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL)`],
  apply: eachEvent(async (event: RecordedEvent, session: SqlSession, table: TableName) => {
    if (poison?.(event)) throw new Error('cannot handle this event');
    await session.run(
      `INSERT INTO ${table(COUNTS)} (stream_id, n) VALUES (?, 1) ON CONFLICT (stream_id) DO UPDATE SET n = ${table(COUNTS)}.n + 1`,
      [event.streamId],
    );
  }),
});

let sequence = 0;
const counted = (): NewEvent => {
  const id = `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;
  return { eventId: id, type: 'Counted', data: {}, metadata: { commandId: id, correlationId: id, causationId: id, actor: { id: 'test', role: 'system' }, schemaVersion: 1 } };
};

describe.each(READ_MODEL_KINDS)('ProjectionRunner on %s read models', (kind) => {
  let dir: string;
  let store: SqliteEventStore;
  let readModels: DisposableReadModels;
  let checkpoints: Checkpoints;
  const runners: ProjectionRunner[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-runner-'));
    store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
    readModels = await freshReadModels(kind);
    checkpoints = new Checkpoints(readModels.db);
  });

  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await readModels.dispose();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = async (streams: number, eventsEach: number) => {
    for (let s = 0; s < streams; s += 1) {
      await store.appendToStream(`stream-${s}`, Array.from({ length: eventsEach }, counted), { expectedRevision: 'any' });
    }
  };
  const runner = (projection: Projection) => {
    const created = new ProjectionRunner(store, readModels.db, projection, checkpoints, { rebuildPollMs: 20, retiredGraceMs: 50, batchSize: 50 });
    runners.push(created);
    return created;
  };
  const liveTotal = async (): Promise<number> => {
    const table = await liveTables(readModels.db, 'counting');
    const row = await readModels.db.get<{ total: number | null }>(`SELECT SUM(n) AS total FROM ${table(COUNTS)}`);
    return Number(row?.total ?? 0);
  };
  const live = async () => (await checkpoints.of('counting', 'live'))!;
  /** Polls until a rebuilt generation has been swapped in (the runner offers nothing to wait on for that). */
  const untilLive = async (generation: number) => {
    for (let waited = 0; (await live()).generation !== generation && waited < 10_000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await live()).toMatchObject({ generation, position: await store.headPosition() });
  };

  it('projects the log and commits its checkpoint with the writes', async () => {
    await append(10, 5);
    const counter = runner(counting());
    await counter.start();
    await counter.waitUntilCaughtUp();
    expect(await liveTotal()).toBe(50);
    expect(await live()).toMatchObject({ generation: 1, version: 1, position: await store.headPosition(), status: 'running' });
  });

  it('a poison event stops that projection with its error and position; another projection keeps running', async () => {
    await append(3, 2);
    const poisonPosition = (await store.readAll())[3].position;
    const poisoned = runner(counting(1, (event) => event.position === poisonPosition));
    const healthy = runner(counting(1, undefined, 'healthy', 'healthy_counts'));
    await poisoned.start();
    await healthy.start();
    await healthy.waitUntilCaughtUp();
    await expect(poisoned.waitUntilCaughtUp()).rejects.toThrow(/cannot handle this event/);

    const [status] = await poisoned.statuses();
    expect(status).toMatchObject({ status: 'failed', position: 0 });
    expect(status.lastError).toContain(`counting failed on Counted at position ${poisonPosition} (stream-1@1): cannot handle this event`);
    // Nothing of the failed batch was written: the checkpoint and the rows roll back together.
    expect(await liveTotal()).toBe(0);
    expect((await healthy.statuses())[0]).toMatchObject({ status: 'running', position: await store.headPosition() });
  });

  it('rebuild: builds a new generation beside the live one while queries keep complete answers, then swaps', async () => {
    await append(40, 25);
    const counter = runner(counting());
    await counter.start();
    await counter.waitUntilCaughtUp();

    const requested = await checkpoints.requestRebuild('counting', 1);
    expect(requested).toMatchObject({ generation: 2, role: 'building', position: 0 });
    const answers: number[] = [];
    while ((await live()).generation === 1) {
      answers.push(await liveTotal());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    answers.push(await liveTotal());
    expect(answers.length).toBeGreaterThan(1);
    expect(new Set(answers)).toEqual(new Set([1000]));

    await append(1, 3);
    await counter.waitUntilCaughtUp();
    expect(await liveTotal()).toBe(1003);
    expect(await live()).toMatchObject({ generation: 2, position: await store.headPosition() });
    // The retired generation's tables and checkpoint are gone once its grace period is over.
    const tableGone = () => readModels.db.get(`SELECT COUNT(*) AS n FROM ${COUNTS}_g1`).then(() => false, () => true);
    const retiredGone = async () => (await checkpoints.get('counting', 1)) === undefined && (await tableGone());
    for (let waited = 0; !(await retiredGone()) && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await retiredGone()).toBe(true);
    expect((await checkpoints.all()).map((checkpoint) => checkpoint.generation)).toEqual([2]);
  });

  it('a retired generation left behind by a process killed during its grace period is dropped by the next start', async () => {
    await append(4, 5);
    const first = runner(counting());
    await first.start();
    await first.waitUntilCaughtUp();
    await first.stop();
    // What a projector killed just after swapping leaves: generation 2 live, generation 1 retired with its tables.
    await checkpoints.requestRebuild('counting', 1);
    await readModels.db.transaction((session) => checkpoints.swap(session, 'counting', 2));
    const tableExists = () => readModels.db.get(`SELECT COUNT(*) AS n FROM ${COUNTS}_g1`).then(() => true, () => false);
    expect(await tableExists()).toBe(true);

    const restarted = runner(counting());
    await restarted.start();
    await restarted.waitUntilCaughtUp();
    expect(await liveTotal()).toBe(20);
    for (let waited = 0; ((await tableExists()) || (await checkpoints.get('counting', 1)) !== undefined) && waited < 3_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await tableExists()).toBe(false);
    expect(await checkpoints.get('counting', 1)).toBeUndefined();
  });

  it('a changed projection version rebuilds beside the old read model, which answers until the swap', async () => {
    await append(20, 10);
    const v1 = runner(counting(1));
    await v1.start();
    await v1.waitUntilCaughtUp();
    await v1.stop();

    const v2 = runner(counting(2));
    await v2.start();
    expect(await liveTotal()).toBe(200);
    await v2.waitUntilCaughtUp();
    expect(await live()).toMatchObject({ generation: 2, version: 2 });
    expect(await liveTotal()).toBe(200);
  });

  it('a runner stopped while its poll is looking up a requested rebuild starts no worker afterwards (none would be left running, unstopped)', async () => {
    await append(10, 5);
    let lookingUp!: () => void;
    const inLookUp = new Promise<void>((resolve) => (lookingUp = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    /** The poll's look-up of a building generation, held until the test lets it answer. */
    const heldCheckpoints = Object.create(checkpoints) as Checkpoints;
    heldCheckpoints.of = async (name, role, session) => {
      if (role === 'building') {
        lookingUp();
        await answered;
      }
      return checkpoints.of(name, role, session);
    };
    const held = new ProjectionRunner(store, readModels.db, counting(), heldCheckpoints, { rebuildPollMs: 20, retiredGraceMs: 50, batchSize: 50 });
    const starting = held.start();
    await inLookUp;
    answer();
    await starting;
    await held.waitUntilCaughtUp();

    let secondLookUp!: () => void;
    const inSecondLookUp = new Promise<void>((resolve) => (secondLookUp = resolve));
    let secondAnswer!: () => void;
    const secondAnswered = new Promise<void>((resolve) => (secondAnswer = resolve));
    heldCheckpoints.of = async (name, role, session) => {
      if (role === 'building') {
        secondLookUp();
        await secondAnswered;
      }
      return checkpoints.of(name, role, session);
    };
    await checkpoints.requestRebuild('counting', 1);
    await inSecondLookUp;
    const stopping = held.stop();
    secondAnswer();
    await stopping;

    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(held.subscriptionStates()).toEqual([]);
    expect(await checkpoints.of('counting', 'building')).toMatchObject({ generation: 2, position: 0 });
    expect(await readModels.db.get(`SELECT 1 AS one FROM ${COUNTS}_g2 LIMIT 1`).catch(() => 'no table')).not.toEqual({ one: 1 });
  });

  it('a rebuild interrupted half-way goes on from its checkpoint when the projection starts again, not from the start of the log', async () => {
    await append(40, 25);
    const head = await store.headPosition();
    const heldAt = (await store.readAll({ maxCount: 400 }))[399].position;
    let reached!: () => void;
    const holding = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const newGeneration: number[] = [];
    /** Counts, and records what it applies to the new generation; the first process is held inside a batch past `heldAt`. */
    const recording = (hold: boolean): Projection => ({
      ...counting(),
      apply: async (events, session, table) => {
        if (table(COUNTS).endsWith('_g2')) {
          if (hold && events.some((event) => event.position >= heldAt)) {
            reached();
            await released;
          }
          newGeneration.push(...events.map((event) => event.position));
        }
        await counting().apply(events, session, table);
      },
    });
    const first = runner(recording(true));
    await first.start();
    await first.waitUntilCaughtUp();
    await checkpoints.requestRebuild('counting', 1);
    await holding;
    // Stopped there, the first process finishes the batch in hand (its writes and checkpoint commit together) and no more.
    const stopped = first.stop();
    release();
    await stopped;
    const interrupted = (await checkpoints.of('counting', 'building'))!;
    expect(interrupted.position).toBeGreaterThanOrEqual(heldAt);
    expect(interrupted.position).toBeLessThan(head);

    newGeneration.length = 0;
    const second = runner(recording(false));
    await second.start();
    await untilLive(2);
    expect(newGeneration[0]).toBe(interrupted.position + 1);
    expect(newGeneration).toHaveLength(head - interrupted.position);
    expect(await liveTotal()).toBe(1000);
  });

  it('a restarted runner resumes from its checkpoint without applying anything twice', async () => {
    await append(5, 4);
    const first = runner(counting());
    await first.start();
    await first.waitUntilCaughtUp();
    await first.stop();
    await append(5, 1);
    const second = runner(counting());
    await second.start();
    await second.waitUntilCaughtUp();
    expect(await liveTotal()).toBe(25);
  });

  describe('a single-stream projection, built from nothing stream by stream', () => {
    /** Counts per stream like `counting`, and remembers the order in which it saw the events. */
    const perStream = (seen: string[], options: { poison?: (event: RecordedEvent) => boolean; gate?: Promise<void> } = {}): Projection => ({
      ...counting(1, options.poison),
      singleStream: { streamPrefix: 'stream-' },
      apply: async (events, session, table) => {
        await options.gate;
        seen.push(...events.map((event) => `${event.streamId}@${event.revision}`));
        await counting(1, options.poison).apply(events, session, table);
      },
    });
    const streamRunner = (projection: Projection) => {
      const created = new ProjectionRunner(store, readModels.db, projection, checkpoints, { rebuildPollMs: 20, retiredGraceMs: 50, batchSize: 50, streamBatchSize: 7 });
      runners.push(created);
      return created;
    };
    /** Appends `eventsEach` events to each stream in turn, round after round: every stream's events scattered over the log. */
    const appendInterleaved = async (streams: number, eventsEach: number) => {
      for (let round = 0; round < eventsEach; round += 1) {
        for (let s = 0; s < streams; s += 1) await store.appendToStream(`stream-${s}`, [counted()], { expectedRevision: 'any' });
      }
    };

    it('takes the log up to its head stream after stream, then follows $all: appends made meanwhile are not lost', async () => {
      await appendInterleaved(6, 4);
      await store.appendToStream('other-1', [counted()], { expectedRevision: 'no_stream' });
      const seen: string[] = [];
      const counter = streamRunner(perStream(seen));
      await counter.start();
      await appendInterleaved(2, 1);
      await counter.waitUntilCaughtUp();

      const history = Array.from({ length: 6 }, (_, s) => Array.from({ length: 4 }, (__, r) => `stream-${s}@${r}`)).flat();
      expect(seen.slice(0, 24).sort()).toEqual(history.sort());
      // Stream by stream: each stream's events arrive together, in revision order.
      expect(seen.slice(0, 24)).toEqual([...seen.slice(0, 24)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
      expect(seen.slice(24)).toEqual(['stream-0@4', 'stream-1@4']);
      expect(await liveTotal()).toBe(26);
      expect(await live()).toMatchObject({ position: await store.headPosition(), status: 'running' });
    });

    /** Every event of `streams` streams of `eventsEach`, in stream order (the order of a pass). */
    const inStreamOrder = (streams: number, eventsEach: number) =>
      Array.from({ length: streams }, (_, s) => Array.from({ length: eventsEach }, (__, r) => `stream-${s}@${r}`)).flat();
    const cursor = async () => {
      const [row] = await readModels.db.all<{ after_stream_id: string; after_revision: number }>(`SELECT after_stream_id, after_revision FROM ${STREAM_BUILD_CLAIMS_TABLE}`);
      return `${row.after_stream_id}@${row.after_revision}`;
    };

    it('a pass that stopped half-way leaves its checkpoint at 0 and its cursor; the next start goes on after the cursor and counts nothing twice', async () => {
      await appendInterleaved(10, 3);
      const poisoned = streamRunner(perStream([], { poison: (event) => event.streamId === 'stream-7' }));
      await poisoned.start();
      await expect(poisoned.waitUntilCaughtUp()).rejects.toThrow(/counting failed on Counted at position \d+ \(stream-7@0\)/);
      expect(await live()).toMatchObject({ position: 0, status: 'failed' });
      const stoppedAfter = await cursor();
      const counted = await liveTotal();
      // The cursor moved with each committed transaction's rows: it says exactly how far they go.
      expect(counted).toBe(inStreamOrder(10, 3).indexOf(stoppedAfter) + 1);
      expect(counted).toBeGreaterThan(0);
      await poisoned.stop();

      const seen: string[] = [];
      const healthy = streamRunner(perStream(seen));
      await healthy.start();
      await healthy.waitUntilCaughtUp();
      expect(seen).toEqual(inStreamOrder(10, 3).slice(counted));
      expect(await liveTotal()).toBe(30);
      expect(await live()).toMatchObject({ position: await store.headPosition(), status: 'running' });
    });

    it('a claims table from before passes kept a cursor gets its columns; a pass left by that code starts again on emptied tables', async () => {
      await appendInterleaved(10, 3);
      // What code that kept no cursor leaves when killed during the pass: its claim, some rows, the checkpoint at 0.
      await readModels.db.exec(`DROP TABLE ${STREAM_BUILD_CLAIMS_TABLE}`);
      await readModels.db.exec(`CREATE TABLE ${STREAM_BUILD_CLAIMS_TABLE} (name TEXT NOT NULL, generation INTEGER NOT NULL, claim TEXT NOT NULL, PRIMARY KEY (name, generation))`);
      await readModels.db.run(`INSERT INTO ${STREAM_BUILD_CLAIMS_TABLE} (name, generation, claim) VALUES ('counting', 1, 'before-cursors')`);
      await checkpoints.create('counting', 1, 1, 'live');
      await readModels.db.exec(`CREATE TABLE ${COUNTS}_g1 (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL)`);
      await readModels.db.run(`INSERT INTO ${COUNTS}_g1 (stream_id, n) VALUES ('stream-0', 3)`);

      await checkpoints.ensureSchema();
      await checkpoints.ensureSchema();
      const seen: string[] = [];
      const counter = streamRunner(perStream(seen));
      await counter.start();
      await counter.waitUntilCaughtUp();
      expect(seen).toEqual(inStreamOrder(10, 3));
      expect(await liveTotal()).toBe(30);
    });

    it('a building generation requested by other code starts from nothing, whatever cursor the pass of that code left', async () => {
      await appendInterleaved(10, 3);
      const first = streamRunner(perStream([]));
      await first.start();
      await first.waitUntilCaughtUp();
      await first.stop();
      // What a process running version 2 leaves when killed half-way through its pass: rows and a cursor.
      await checkpoints.requestRebuild('counting', 2);
      await readModels.db.exec(`CREATE TABLE ${COUNTS}_g2 (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL)`);
      await readModels.db.transaction(async (session) => {
        await checkpoints.claimStreamBuild(session, 'counting', 2, 'version-2', await store.headPosition());
        await checkpoints.assertStreamBuildClaim(session, 'counting', 2, 'version-2', { streamId: 'stream-4', revision: 2 });
        await session.run(`INSERT INTO ${COUNTS}_g2 (stream_id, n) VALUES ('stream-0', 99)`);
      });

      const seen: string[] = [];
      const version1 = streamRunner(perStream(seen));
      await version1.start();
      await untilLive(2);
      expect(seen).toEqual(inStreamOrder(10, 3));
      expect(await liveTotal()).toBe(30);
    });

    it('a second process that starts the same build takes it over; the first stops at its next batch instead of writing twice', async () => {
      await appendInterleaved(10, 3);
      // The first process is held between its first and second batch (no transaction open) while the
      // second starts: the order is set by the gate, not by a sleep.
      let reachedSecondBatch!: () => void;
      const atSecondBatch = new Promise<void>((resolve) => (reachedSecondBatch = resolve));
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let reads = 0;
      const heldStore = Object.assign(Object.create(store) as SqliteEventStore, {
        readByStream: async (query: Parameters<NonNullable<SqliteEventStore['readByStream']>>[0]) => {
          reads += 1;
          if (reads === 2) {
            reachedSecondBatch();
            await gate;
          }
          return store.readByStream(query);
        },
      });
      const first = new ProjectionRunner(heldStore, readModels.db, perStream([]), checkpoints, { rebuildPollMs: 20, retiredGraceMs: 50, batchSize: 50, streamBatchSize: 7 });
      runners.push(first);
      await first.start();
      await atSecondBatch;
      expect(await liveTotal()).toBe(7);

      const seenBySecond: string[] = [];
      const second = streamRunner(perStream(seenBySecond));
      await second.start();
      open();
      await expect(first.waitUntilCaughtUp()).rejects.toThrow(/Another process took over building counting#1 stream by stream/);
      await second.waitUntilCaughtUp();
      // The second went on after the first's committed batch.
      expect(seenBySecond).toEqual(inStreamOrder(10, 3).slice(7));
      expect(await liveTotal()).toBe(30);
      expect(await live()).toMatchObject({ position: await store.headPosition() });
    });

    it('a claim taken while the first process is inside a batch waits for that batch to commit, then the first stops', async () => {
      await appendInterleaved(10, 3);
      let open!: () => void;
      const first = streamRunner(perStream([], { gate: new Promise<void>((resolve) => (open = resolve)) }));
      await first.start();
      const second = streamRunner(perStream([]));
      const secondStarted = second.start();
      // Whatever the second has reached, the first's batch commits whole or not at all, and nothing is counted twice.
      setImmediate(open);
      await secondStarted;
      await second.waitUntilCaughtUp();
      await first.waitUntilCaughtUp().catch((error: Error) => expect(error.message).toMatch(/Another process took over building counting#1/));
      expect(await liveTotal()).toBe(30);
    });
  });
});
