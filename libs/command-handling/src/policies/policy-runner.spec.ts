import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParticipantEvent, participantStreamId } from '@ecf/domain';
import { ctx, dataValidationPassed, ectRegistered, MENTOR_ID, mentorMatched, mentorRegistered, OTHER_ECT_ID, participantDeferred } from '@ecf/domain/testing';
import { EventStore, SqliteEventStore } from '@ecf/event-store';
import { Checkpoints, openReadModelDatabase, ReadModelDatabase } from '@ecf/projections';
import { MENTEES_TABLE, mentorCascadePolicy, participantCommandExecutor } from './mentor-cascade.policy';
import { PolicyLogger, PolicyRunner } from './policy-runner';

/**
 * Two processes on one data directory, each with its own connections (so neither hears the other's
 * append notifications): the API's long-running policy, and a short-lived runner of the same policy
 * as `ecf seed` runs at the end of each simulated day.
 */
interface Side {
  readonly store: SqliteEventStore;
  readonly db: ReadModelDatabase;
  readonly logs: { level: 'info' | 'warn' | 'error'; details: object; message: string }[];
}

let dir: string;
let api: Side;
let seed: Side;
const runners: PolicyRunner<unknown>[] = [];

async function openSide(): Promise<Side> {
  return {
    store: await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') }),
    db: await openReadModelDatabase({ kind: 'sqlite', filename: join(dir, 'read-models.sqlite') }),
    logs: [],
  };
}

const loggerOf = (side: Side): Required<PolicyLogger> => ({
  info: (details, message) => side.logs.push({ level: 'info', details, message }),
  warn: (details, message) => side.logs.push({ level: 'warn', details, message }),
  error: (details, message) => side.logs.push({ level: 'error', details, message }),
});

/** A runner of the mentor cascade in `side`; `reads` lets a test hold back its reads of the log. */
function runnerIn(side: Side, reads: EventStore = side.store): PolicyRunner<unknown> {
  const runner = new PolicyRunner(reads, side.db, mentorCascadePolicy, participantCommandExecutor(side.store, () => ctx), new Checkpoints(side.db), {
    logger: loggerOf(side),
  }) as PolicyRunner<unknown>;
  runners.push(runner);
  return runner;
}

/** The store as seen through a gate: while closed, reads of `$all` wait (the subscription sleeps through the other process's work). */
function gatedReads(store: SqliteEventStore): { store: EventStore; close(): void; open(): void } {
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const gated = Object.create(store) as EventStore;
  gated.readAll = async (options) => {
    await gate;
    return store.readAll(options);
  };
  return {
    store: gated,
    close: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    open: () => release(),
  };
}

let commandCounter = 0;
async function append(store: SqliteEventStore, events: ParticipantEvent[]): Promise<void> {
  for (const event of events) {
    const commandId = `0b6f3c0e-0000-4000-9000-${String(++commandCounter).padStart(12, '0')}`;
    await store.appendToStream(
      participantStreamId(event.data.participantId),
      [{ eventId: commandId, type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { commandId, correlationId: commandId, causationId: commandId, actor: { id: 'test', role: 'ecf-lead' }, schemaVersion: 1 } }],
      { expectedRevision: 'any' },
    );
  }
}

const mentorDeferrals = async () => (await api.store.readStream(participantStreamId(MENTOR_ID))).filter((event) => event.type === 'ParticipantDeferred');
const checkpointRow = () => new Checkpoints(api.db).get('policy:mentor-cascade', 1);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecf-policy-runner-'));
  api = await openSide();
  seed = await openSide();
});

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.stop();
  for (const side of [api, seed]) {
    await side.store.close();
    await side.db.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('policy runner beside another process running the same policy', () => {
  it('the long-running policy follows on after the other process moved its checkpoint, and the next deferral still cascades', async () => {
    await append(api.store, [ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID), mentorMatched()]);
    const apiReads = gatedReads(api.store);
    const live = runnerIn(api, apiReads.store);
    await live.start();
    await live.waitUntilCaughtUp();

    // While the API's subscription sleeps, the seed appends and runs the policy over its own appends.
    apiReads.close();
    await append(seed.store, [ectRegistered({ participantId: OTHER_ECT_ID, trn: '2223334' })]);
    const seeding = runnerIn(seed);
    await seeding.start();
    await seeding.waitUntilCaughtUp();
    await seeding.stop();
    expect(await checkpointRow()).toMatchObject({ position: await api.store.headPosition(), status: 'stopped' });

    // The API's subscription wakes, handles the same events and finds its checkpoint moved.
    apiReads.open();
    await append(api.store, [participantDeferred()]);
    await live.waitUntilCaughtUp();
    // The cascaded deferral is a new event on $all too.
    await live.waitUntilCaughtUp();

    expect(await mentorDeferrals()).toHaveLength(1);
    expect(live.subscriptionStates()).toEqual([{ name: 'policy:mentor-cascade', generation: 1, status: 'running', lastError: null }]);
    expect(await checkpointRow()).toMatchObject({ position: await api.store.headPosition(), status: 'running', lastError: null });
    expect(api.logs.filter((log) => log.level === 'error')).toEqual([]);
    expect(api.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'policy checkpoint moved by another process; following on from there' }));
  });

  it('a short-lived runner that loses the race to the long-running one still catches up (the seed does not abort)', async () => {
    await append(api.store, [ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID), mentorMatched()]);
    const live = runnerIn(api);
    await live.start();
    await live.waitUntilCaughtUp();

    const seedReads = gatedReads(seed.store);
    seedReads.close();
    const seeding = runnerIn(seed, seedReads.store);
    await seeding.start();
    await append(seed.store, [participantDeferred()]);
    // The API's policy handles the deferral (and its cascade) first; then the seed's runner reads.
    await live.waitUntilCaughtUp(await seed.store.headPosition());
    const caughtUp = seeding.waitUntilCaughtUp(await seed.store.headPosition());
    seedReads.open();
    await expect(caughtUp).resolves.toBeUndefined();

    expect(await mentorDeferrals()).toHaveLength(1);
    expect(seed.logs.filter((log) => log.level === 'error')).toEqual([]);
  });

  it('any other failure stops the policy: logged at error level with its cause, recorded in its checkpoint', async () => {
    const live = runnerIn(api);
    await live.start();
    await live.waitUntilCaughtUp();
    await api.db.exec(`DROP TABLE ${MENTEES_TABLE}`);
    await append(api.store, [ectRegistered()]);

    // Compared by message: better-sqlite3 builds its errors with the SqliteError of the first test file a
    // worker loaded, which is no Error of this file's realm (toThrow would call it "did not throw").
    const failure = await live.waitUntilCaughtUp().then(
      () => null,
      (error: unknown) => error,
    );
    expect((failure as { message?: string } | null)?.message).toMatch(/no such table/);
    expect(live.subscriptionStates()).toEqual([expect.objectContaining({ status: 'failed', lastError: expect.stringContaining('no such table') })]);
    expect(api.logs).toContainEqual(
      expect.objectContaining({ level: 'error', message: expect.stringContaining('policy stopped on an error'), details: expect.objectContaining({ error: expect.stringContaining('no such table') }) }),
    );
    // The record is written after the failure, not awaited by the waiter.
    for (let attempt = 0; attempt < 100 && (await checkpointRow())?.status !== 'failed'; attempt += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(await checkpointRow()).toMatchObject({ status: 'failed', lastError: expect.stringContaining('no such table') });
  });
});
