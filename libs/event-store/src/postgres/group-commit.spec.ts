import { Client } from 'pg';
import { newEvent, newStreamId } from '../conformance/fixtures';
import { WrongExpectedRevisionError } from '../errors';
import { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store.port';
import { subscribeToAll } from '../subscription';
import { verifyLog } from '../verification/verify-log';
import { PostgresEventStore } from './postgres-event-store';
import { assertTestServerReachable, connectTestClient, dropTestSchema, newTestSchemaName, openTestStore } from './testing/test-database';

type Answer = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: unknown };

const answerOf = (append: Promise<AppendResult>): Promise<Answer> => append.then(
  (result) => ({ ok: true as const, result }),
  (error: unknown) => ({ ok: false as const, error }),
);

async function readWholeLog(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let page = await store.readAll({ maxCount: 1000 }); page.length > 0; page = await store.readAll({ after: page[page.length - 1].position, maxCount: 1000 })) {
    events.push(...page);
  }
  return events;
}

/** Expects `events` stored once each, consecutive revisions of `streamId` ending at the answer's revision, the last at its position. */
function expectStoredAt(log: ReadonlyMap<string, RecordedEvent>, streamId: string, events: readonly NewEvent[], result: AppendResult): void {
  const stored = events.map((event) => log.get(event.eventId));
  expect(stored.map((event) => event && [event.streamId, event.revision])).toEqual(events.map((_, index) => [streamId, result.nextExpectedRevision - events.length + 1 + index]));
  const positions = stored.map((event) => event?.position ?? 0);
  expect(positions.every((position, index) => index === 0 || position > positions[index - 1])).toBe(true);
  expect(positions[positions.length - 1]).toBe(result.position);
}

/**
 * Appends of one store that arrive while its writes are busy share one call of `append_batch` and one
 * commit (ADR 0019). Each must still be answered for itself exactly as if it had been sent alone.
 */
describe('PostgreSQL group commit', () => {
  const schema = newTestSchemaName();
  const stores: PostgresEventStore[] = [];
  const open = async (appendCallsInFlight?: number): Promise<PostgresEventStore> => {
    const store = await openTestStore(schema, { appendCallsInFlight });
    stores.push(store);
    return store;
  };

  beforeAll(assertTestServerReachable);

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await dropTestSchema(schema);
  });

  it('answers each append of one batch for itself: written, refused for a moved head, answered as a retry, refused for a stale revision', async () => {
    const [writer, other] = [await open(), await open()];
    const shared = newStreamId('batch-shared');
    const retried = newStreamId('batch-retried');
    const stale = newStreamId('batch-stale');
    await writer.appendToStream(shared, [newEvent()], { expectedRevision: 'no_stream' });
    await writer.appendToStream(retried, [newEvent()], { expectedRevision: 'no_stream' });
    await writer.appendToStream(stale, [newEvent()], { expectedRevision: 'no_stream' });
    // Stored by the other process: the writer still keeps revision 0 as the head.
    const stored = [newEvent('Stored'), newEvent('Stored')];
    const storedResult = await other.appendToStream(retried, stored, { expectedRevision: 0 });
    await other.appendToStream(stale, [newEvent()], { expectedRevision: 0 });
    const before = writer.groupCommitCounts();

    const fresh = Array.from({ length: 4 }, () => newStreamId('batch-new'));
    const events = {
      openers: [newEvent(), newEvent()],
      fresh: fresh.map((_, index) => Array.from({ length: 1 + (index % 3) }, () => newEvent('Fresh', { index }))),
      first: [newEvent('First')],
      second: [newEvent('Second')],
      stale: [newEvent('Stale')],
    };
    // Called in one turn: the first two are sent alone at once, the rest queue and go as one batch.
    const answers = await Promise.all([
      answerOf(writer.appendToStream(newStreamId('batch-opener'), [events.openers[0]], { expectedRevision: 'no_stream' })),
      answerOf(writer.appendToStream(newStreamId('batch-opener'), [events.openers[1]], { expectedRevision: 'no_stream' })),
      ...fresh.map((streamId, index) => answerOf(writer.appendToStream(streamId, events.fresh[index], { expectedRevision: 'no_stream' }))),
      answerOf(writer.appendToStream(shared, events.first, { expectedRevision: 0 })),
      answerOf(writer.appendToStream(shared, events.second, { expectedRevision: 0 })),
      answerOf(writer.appendToStream(retried, stored, { expectedRevision: 0 })),
      answerOf(writer.appendToStream(stale, events.stale, { expectedRevision: 0 })),
    ]);

    const after = writer.groupCommitCounts();
    expect(after.batches - before.batches).toBe(1);
    expect(after.appendsInBatches - before.appendsInBatches).toBe(8);
    expect(after.failedBatches).toBe(before.failedBatches);
    const log = new Map((await readWholeLog(writer)).map((event) => [event.eventId, event]));
    const [, , ...rest] = answers;
    const freshAnswers = rest.slice(0, fresh.length);
    const [first, second, retry, refused] = rest.slice(fresh.length);
    for (const [index, answer] of freshAnswers.entries()) {
      expect(answer).toMatchObject({ ok: true, result: { nextExpectedRevision: events.fresh[index].length - 1 } });
      if (answer.ok) expectStoredAt(log, fresh[index], events.fresh[index], answer.result);
    }
    expect(first).toMatchObject({ ok: true, result: { nextExpectedRevision: 1 } });
    if (first.ok) expectStoredAt(log, shared, events.first, first.result);
    expect(second).toMatchObject({ ok: false, error: { actual: 1 } });
    expect(second.ok || second.error instanceof WrongExpectedRevisionError).toBe(true);
    expect(log.has(events.second[0].eventId)).toBe(false);
    expect(retry).toEqual({ ok: true, result: { ...storedResult, alreadyStored: true } });
    expect(refused).toMatchObject({ ok: false, error: { actual: 1 } });
    expect(log.has(events.stale[0].eventId)).toBe(false);
    expect((await verifyLog(writer)).findings).toEqual([]);
  });

  it('sends every append of a batch that failed as a whole on its own, and answers each correctly', async () => {
    const writer = await open();
    const intruder = await open();
    const locked = newStreamId('failing-locked');
    await writer.appendToStream(locked, [newEvent()], { expectedRevision: 'no_stream' });
    const events = { locked: [newEvent('Locked')], stolen: [newEvent('Stolen'), newEvent('Stolen')], free: [newEvent('Free')] };
    const streams = { stolen: newStreamId('failing-stolen'), free: newStreamId('failing-free') };
    const before = writer.groupCommitCounts();

    // A raw transaction holds the locked stream's row, so the batch waits there after looking up its ids.
    const blocker = await connectTestClient(schema);
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM streams WHERE stream_id = $1 FOR UPDATE', [locked]);
      const answers = Promise.all([
        answerOf(writer.appendToStream(newStreamId('failing-opener'), [newEvent()], { expectedRevision: 'no_stream' })),
        answerOf(writer.appendToStream(newStreamId('failing-opener'), [newEvent()], { expectedRevision: 'no_stream' })),
        answerOf(writer.appendToStream(locked, events.locked, { expectedRevision: 0 })),
        answerOf(writer.appendToStream(streams.stolen, events.stolen, { expectedRevision: 'no_stream' })),
        answerOf(writer.appendToStream(streams.free, events.free, { expectedRevision: 'no_stream' })),
      ]);
      await waitForBatchBlockedBy(blocker);
      // Meanwhile another process stores one of the batch's event ids in a stream of its own.
      const stolen = await intruder.appendToStream(newStreamId('failing-intruder'), [events.stolen[1]], { expectedRevision: 'no_stream' });
      await blocker.query('COMMIT');
      const [, , lockedAnswer, stolenAnswer, freeAnswer] = await answers;

      const after = writer.groupCommitCounts();
      expect(after.failedBatches - before.failedBatches).toBe(1);
      expect(after.batches).toBe(before.batches);
      const log = new Map((await readWholeLog(writer)).map((event) => [event.eventId, event]));
      expect(lockedAnswer).toMatchObject({ ok: true, result: { nextExpectedRevision: 1 } });
      if (lockedAnswer.ok) expectStoredAt(log, locked, events.locked, lockedAnswer.result);
      expect(freeAnswer).toMatchObject({ ok: true, result: { nextExpectedRevision: 0 } });
      if (freeAnswer.ok) expectStoredAt(log, streams.free, events.free, freeAnswer.result);
      expect(stolenAnswer.ok || stolenAnswer.error instanceof WrongExpectedRevisionError).toBe(true);
      expect(stolenAnswer.ok).toBe(false);
      expect(log.has(events.stolen[0].eventId)).toBe(false);
      expect(log.get(events.stolen[1].eventId)).toMatchObject({ position: stolen.position, revision: 0 });
      expect((await verifyLog(writer)).findings).toEqual([]);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
  });

  it('agrees with a model on a generated run of concurrent appends from three processes, and its readers see every event once, in order', async () => {
    const reader = await open();
    // One, two and three calls writing at once.
    const writers = [await open(1), await open(2), await open(3)];
    const sharedStreams = Array.from({ length: 6 }, () => newStreamId('model-shared'));
    for (const streamId of sharedStreams) await writers[0].appendToStream(streamId, [newEvent()], { expectedRevision: 'no_stream' });
    const countsBefore = writers.map((store) => store.groupCommitCounts());
    const received: RecordedEvent[] = [];
    const subscription = subscribeToAll(reader, { after: 0, batchSize: 200, pollIntervalMs: 20, handle: (batch) => void received.push(...batch) });

    interface Attempt {
      readonly streamId: string;
      readonly events: readonly NewEvent[];
      readonly expected: ExpectedRevision;
      readonly retryOf?: Attempt;
      answer?: Answer;
    }
    const attempts: Attempt[] = [];

    const work = async (worker: number): Promise<void> => {
      let seed = 20261203 + worker * 7919;
      const random = (below: number): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % below;
      };
      const home = writers[worker % writers.length];
      const seen = new Map(sharedStreams.map((streamId) => [streamId, 0]));
      const acknowledged: Attempt[] = [];
      for (let step = 0; step < 50; step++) {
        const choice = random(20);
        const events = Array.from({ length: 1 + random(3) }, () => newEvent('Modelled', { worker, step }));
        const shared = sharedStreams[random(sharedStreams.length)];
        let attempt: Attempt;
        let store = home;
        if (choice < 3 && acknowledged.length > 0) {
          const original = acknowledged[random(acknowledged.length)];
          attempt = { streamId: original.streamId, events: original.events, expected: original.expected, retryOf: original };
          store = writers[random(writers.length)];
        } else if (choice < 7) {
          attempt = { streamId: newStreamId('model-new'), events, expected: 'no_stream' };
        } else if (choice < 8) {
          attempt = { streamId: shared, events, expected: 'no_stream' };
        } else if (choice < 10) {
          attempt = { streamId: shared, events, expected: 'any' };
        } else {
          const view = seen.get(shared) ?? 0;
          attempt = { streamId: shared, events, expected: choice === 10 && view > 0 ? view - 1 : view };
        }
        attempts.push(attempt);
        attempt.answer = await answerOf(store.appendToStream(attempt.streamId, attempt.events, { expectedRevision: attempt.expected }));
        const { answer } = attempt;
        if (answer.ok && !attempt.retryOf) acknowledged.push(attempt);
        if (seen.has(attempt.streamId)) {
          if (answer.ok) seen.set(attempt.streamId, Math.max(seen.get(attempt.streamId) ?? 0, answer.result.nextExpectedRevision));
          else if (answer.error instanceof WrongExpectedRevisionError && typeof answer.error.actual === 'number') seen.set(attempt.streamId, answer.error.actual);
        }
      }
    };

    try {
      await Promise.all(Array.from({ length: 24 }, (_, worker) => work(worker)));
      await subscription.waitUntilCaughtUp(await reader.headPosition());
      const logEvents = await readWholeLog(reader);
      const log = new Map(logEvents.map((event) => [event.eventId, event]));
      const finalRevision = new Map<string, number>();
      for (const event of logEvents) finalRevision.set(event.streamId, Math.max(finalRevision.get(event.streamId) ?? -1, event.revision));

      const written = attempts.filter((attempt) => !attempt.retryOf && attempt.answer?.ok);
      const refused = attempts.filter((attempt) => !attempt.answer?.ok);
      const retries = attempts.filter((attempt) => attempt.retryOf);
      // Every acknowledged append stored once, where it was answered; its exact expectation met.
      for (const attempt of written) {
        const result = (attempt.answer as { result: AppendResult }).result;
        expect(result.alreadyStored).toBeUndefined();
        expectStoredAt(log, attempt.streamId, attempt.events, result);
        const firstRevision = result.nextExpectedRevision - attempt.events.length + 1;
        if (attempt.expected === 'no_stream') expect(firstRevision).toBe(0);
        if (typeof attempt.expected === 'number') expect(firstRevision).toBe(attempt.expected + 1);
      }
      // Every retry answered as its original was; every refusal a conflict the stream justifies, with nothing stored.
      for (const attempt of retries) expect(attempt.answer).toEqual({ ok: true, result: { ...(attempt.retryOf?.answer as { result: AppendResult }).result, alreadyStored: true } });
      for (const attempt of refused) {
        const { error } = attempt.answer as { error: unknown };
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(attempt.expected).not.toBe('any');
        expect(attempt.events.filter((event) => log.has(event.eventId))).toEqual([]);
        const final = finalRevision.get(attempt.streamId);
        if (attempt.expected === 'no_stream') expect(final).toBeDefined();
        else expect(final).toBeGreaterThan(attempt.expected as number);
      }
      // Nothing else in the log, and each stream's revisions without a gap.
      const writtenIds = new Set(written.flatMap((attempt) => attempt.events.map((event) => event.eventId)));
      const modelled = logEvents.filter((event) => event.type === 'Modelled');
      expect(modelled.filter((event) => !writtenIds.has(event.eventId))).toEqual([]);
      expect(modelled.length).toBe(writtenIds.size);
      const revisions = new Map<string, number[]>();
      for (const event of logEvents) revisions.set(event.streamId, [...(revisions.get(event.streamId) ?? []), event.revision]);
      expect([...revisions.values()].filter((list) => list.some((revision, index) => revision !== index))).toEqual([]);
      // Readers following $all saw every event once, in strictly increasing positions, as the log reads now.
      expect(received.map((event) => [event.position, event.eventId])).toEqual(logEvents.map((event) => [event.position, event.eventId]));
      expect((await verifyLog(reader)).findings).toEqual([]);
      // The run exercised what it claims to.
      expect(written.length).toBeGreaterThan(300);
      expect(refused.length).toBeGreaterThan(20);
      expect(retries.length).toBeGreaterThan(20);
      const batched = writers.map((store, index) => ({ now: store.groupCommitCounts(), before: countsBefore[index] }));
      expect(batched.reduce((sum, { now, before }) => sum + now.batches - before.batches, 0)).toBeGreaterThan(4);
      expect(Math.max(...batched.map(({ now }) => now.largestBatch))).toBeGreaterThan(1);
    } finally {
      await subscription.stop();
    }
  }, 120_000);

  it('refuses to open with no append calls in flight', async () => {
    await expect(openTestStore(schema, { appendCallsInFlight: 0 })).rejects.toThrow(RangeError);
  });
});

/** Waits until a call of `append_batch` waits for a lock the blocker holds. */
async function waitForBatchBlockedBy(blocker: Client): Promise<void> {
  const { rows: own } = await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const observer = await connectTestClient();
  try {
    for (let attempt = 0; attempt < 500; attempt++) {
      const { rows } = await observer.query<{ count: string }>(
        "SELECT count(*) AS count FROM pg_stat_activity WHERE query LIKE 'SELECT append_batch(%' AND $1 = ANY (pg_blocking_pids(pid))",
        [own[0].pid],
      );
      if (Number(rows[0].count) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no call of append_batch came to wait for the row the test holds');
  } finally {
    await observer.end();
  }
}
