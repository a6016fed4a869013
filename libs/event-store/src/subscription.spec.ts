import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent, newEvents, newStreamId } from './conformance/fixtures';
import { RecordedEvent } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { subscribeToAll } from './subscription';

/** Subscription behaviour that does not depend on the adapter, exercised on SQLite. */
describe('subscribeToAll', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-subscription-'));
    store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((done) => (resolve = done));
    return { promise, resolve };
  };

  it('of some types delivers only those, and stands at the head when the log ends in events of other types, live ones included', async () => {
    const streamId = newStreamId();
    const kinds = Array.from({ length: 40 }, (_, index) => (index % 6 === 0 ? 'Wanted' : 'Other'));
    await store.appendToStream(streamId, kinds.map((kind, index) => newEvent(kind, { index })), { expectedRevision: 'no_stream' });
    const delivered: number[] = [];
    const reachedSeen: number[] = [];
    const subscription = subscribeToAll(store, {
      after: 0,
      batchSize: 2,
      pollIntervalMs: 10,
      types: ['Wanted'],
      handle: (batch, reached) => {
        delivered.push(...batch.map((event) => event.data.index as number));
        reachedSeen.push(reached);
      },
    });
    try {
      await subscription.waitUntilCaughtUp(await store.headPosition());
      expect(delivered).toEqual([0, 6, 12, 18, 24, 30, 36]);
      expect(subscription.position).toBe(40);

      // Live: a write of other types only moves the position; the next of the type is delivered.
      await store.appendToStream(streamId, [newEvent('Other', { index: 40 }), newEvent('Other', { index: 41 })], { expectedRevision: 39 });
      await subscription.waitUntilCaughtUp(42);
      await store.appendToStream(streamId, [newEvent('Wanted', { index: 42 })], { expectedRevision: 41 });
      await subscription.waitUntilCaughtUp(43);
    } finally {
      await subscription.stop();
    }
    expect(delivered).toEqual([0, 6, 12, 18, 24, 30, 36, 42]);
    expect(isSorted(reachedSeen)).toBe(true);
    expect(reachedSeen).toContain(42);
  });

  it('handles batches one at a time, in order, never concurrently', async () => {
    const streamId = newStreamId();
    await store.appendToStream(streamId, newEvents(10), { expectedRevision: 'no_stream' });
    let inFlight = 0;
    let maxInFlight = 0;
    const positions: number[] = [];
    const subscription = subscribeToAll(store, {
      after: 0,
      batchSize: 3,
      handle: async (batch) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await Promise.resolve();
        positions.push(...batch.map((event) => event.position));
        inFlight--;
      },
    });

    await store.appendToStream(streamId, newEvents(5), { expectedRevision: 9 });
    await subscription.waitUntilCaughtUp();
    await subscription.stop();

    expect(maxInFlight).toBe(1);
    expect(positions).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
  });

  it('moves its position only after handle resolved, and stop waits for the batch in flight', async () => {
    await store.appendToStream(newStreamId(), newEvents(2), { expectedRevision: 'no_stream' });
    const entered = deferred();
    const release = deferred();
    const subscription = subscribeToAll(store, {
      after: 0,
      handle: async () => {
        entered.resolve();
        await release.promise;
      },
    });

    await entered.promise;
    expect(subscription.position).toBe(0);
    const stopped = subscription.stop();
    expect(subscription.status).toBe('stopped');
    release.resolve();
    await stopped;

    expect(subscription.position).toBe(2);
    await expect(subscription.waitUntilCaughtUp(3)).rejects.toThrow(/stopped/);
  });

  it('finds appends it was not notified of by polling', async () => {
    const other = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
    const received: RecordedEvent[] = [];
    const delivered = deferred();
    const subscription = subscribeToAll(store, {
      after: 0,
      pollIntervalMs: 5,
      handle: (batch) => {
        received.push(...batch);
        delivered.resolve();
      },
    });
    try {
      await other.appendToStream(newStreamId(), newEvents(1), { expectedRevision: 'no_stream' });
      // No waitUntilCaughtUp here: it would wake the subscription itself. Only the poll can find this append.
      await delivered.promise;
      expect(received).toHaveLength(1);
      expect(subscription.status).toBe('live');
    } finally {
      await subscription.stop();
      await other.close();
    }
  });

  it('waitUntilCaughtUp resolves at once when already there; a negative checkpoint is refused', async () => {
    const subscription = subscribeToAll(store, { after: 0, handle: () => undefined });
    await expect(subscription.waitUntilCaughtUp()).resolves.toBeUndefined();
    await expect(subscription.waitUntilCaughtUp(0)).resolves.toBeUndefined();
    await subscription.stop();
    expect(() => subscribeToAll(store, { after: -1, handle: () => undefined })).toThrow(RangeError);
  });
});

const isSorted = (values: readonly number[]): boolean => values.every((value, index) => index === 0 || value > values[index - 1]);
