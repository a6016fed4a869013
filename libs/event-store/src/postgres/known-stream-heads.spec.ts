import { Pool } from 'pg';
import { newEvent, newStreamId } from '../conformance/fixtures';
import { WrongExpectedRevisionError } from '../errors';
import { NewEvent } from '../event-store.port';
import { verifyLog } from '../verification/verify-log';
import { PostgresEventStore } from './postgres-event-store';
import { assertTestServerReachable, dropTestSchema, newTestSchemaName, openTestStore } from './testing/test-database';

/**
 * Each process keeps the stream heads it last read or wrote and appends on them without reading first.
 * Two stores on one schema stand for two processes: whatever one keeps, the other may have overtaken.
 */
describe('PostgreSQL appends on the stream heads a process keeps', () => {
  const schema = newTestSchemaName();
  let first: PostgresEventStore;
  let second: PostgresEventStore;

  beforeAll(async () => {
    await assertTestServerReachable();
    [first, second] = await Promise.all([openTestStore(schema), openTestStore(schema)]);
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await dropTestSchema(schema);
  });

  /** Queries sent to the server while `work` runs, from any pool of this process. */
  async function queriesDuring(work: () => Promise<unknown>): Promise<number> {
    const spy = jest.spyOn(Pool.prototype, 'query');
    try {
      await work();
      return spy.mock.calls.length;
    } finally {
      spy.mockRestore();
    }
  }

  it('append a new stream, and then on the head the process wrote, in one query each', async () => {
    const streamId = newStreamId('known-head');

    expect(await queriesDuring(() => first.appendToStream(streamId, [newEvent()], { expectedRevision: 'no_stream' }))).toBe(1);
    expect(await queriesDuring(() => first.appendToStream(streamId, [newEvent(), newEvent()], { expectedRevision: 0 }))).toBe(1);
    expect((await first.readStream(streamId)).map((event) => event.revision)).toEqual([0, 1, 2]);
  });

  it('refuse an append on a kept head another process has overtaken, then accept it on the head read again', async () => {
    const streamId = newStreamId('known-head');
    await first.appendToStream(streamId, [newEvent()], { expectedRevision: 'no_stream' });
    await second.appendToStream(streamId, [newEvent()], { expectedRevision: 0 });

    const stale = await first.appendToStream(streamId, [newEvent()], { expectedRevision: 0 }).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
    expect(stale).toMatchObject({ actual: 1 });
    await first.appendToStream(streamId, [newEvent()], { expectedRevision: 1 });

    expect((await second.readStream(streamId)).map((event) => event.revision)).toEqual([0, 1, 2]);
  });

  it('answer a registration of a stream another process created as a conflict, and its retry as already stored', async () => {
    const streamId = newStreamId('known-head');
    const registration = newEvent('Registered');
    await second.appendToStream(streamId, [registration], { expectedRevision: 'no_stream' });

    expect(await first.appendToStream(streamId, [registration], { expectedRevision: 'no_stream' })).toMatchObject({ alreadyStored: true, nextExpectedRevision: 0 });
    const other = await first.appendToStream(streamId, [newEvent('Registered')], { expectedRevision: 'no_stream' }).catch((error: unknown) => error);
    expect(other).toBeInstanceOf(WrongExpectedRevisionError);
  });

  it('agree with a model of the stream on a generated walk of two processes, stale and retried appends included, and leave a log whose hash chain verifies', async () => {
    let seed = 20261203;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    const streamId = newStreamId('known-head-walk');
    let revision = -1;
    let lastBatch: { events: NewEvent[]; expected: number | 'no_stream' } | null = null;
    const outcomes = { appended: 0, refused: 0, retried: 0 };
    for (let step = 0; step < 150; step++) {
      const store = random(2) === 0 ? first : second;
      const choice = random(10);
      if (choice === 0 && lastBatch) {
        const result = await store.appendToStream(streamId, lastBatch.events, { expectedRevision: lastBatch.expected });
        expect(result.alreadyStored).toBe(true);
        outcomes.retried += 1;
        continue;
      }
      // Mostly the true head; sometimes a head one or two behind, or one ahead.
      const expected = choice < 7 ? revision : revision + [-2, -1, 1][random(3)];
      const asExpectation = expected === -1 ? 'no_stream' : expected;
      if (expected < -1) continue;
      const events = Array.from({ length: 1 + random(3) }, () => newEvent('Walked', { step }));
      const outcome = await store.appendToStream(streamId, events, { expectedRevision: asExpectation }).catch((error: unknown) => error);
      if (expected === revision) {
        expect(outcome).toMatchObject({ nextExpectedRevision: revision + events.length });
        revision += events.length;
        lastBatch = { events, expected: asExpectation };
        outcomes.appended += 1;
      } else {
        expect(outcome).toBeInstanceOf(WrongExpectedRevisionError);
        outcomes.refused += 1;
      }
    }

    expect(outcomes.appended).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(10);
    expect(outcomes.retried).toBeGreaterThan(5);
    expect((await first.readStream(streamId)).map((event) => event.revision)).toEqual(Array.from({ length: revision + 1 }, (_, index) => index));
    expect((await verifyLog(second)).findings).toEqual([]);
  });
});
