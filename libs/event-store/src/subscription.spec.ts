import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvents, newStreamId } from './conformance/fixtures';
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
