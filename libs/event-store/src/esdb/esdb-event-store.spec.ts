import { EventStoreDBClient, UnavailableError } from '@eventstore/db-client';
import { describeEventStoreConformance } from '../conformance/event-store.conformance';
import { newEvents, newStreamId } from '../conformance/fixtures';
import { EsdbEventStore } from './esdb-event-store';

/**
 * The conformance suite runs against a real server when ESDB_CONNECTION_STRING names one, e.g.
 * `ESDB_CONNECTION_STRING='esdb://localhost:2113?tls=false' npx jest libs/event-store/src/esdb`.
 * Tests share the server's log; every test uses its own stream ids, so runs do not disturb each other.
 */
const connectionString = process.env.ESDB_CONNECTION_STRING ?? '';

if (connectionString === '') {
  console.warn('EventStoreDB conformance skipped: ESDB_CONNECTION_STRING is not set');
} else {
  describeEventStoreConformance('EventStoreDB', async () => {
    const store = await EsdbEventStore.open({ connectionString });
    return { store, dispose: () => store.close() };
  });

  describe('EsdbEventStore on a server', () => {
    let store: EsdbEventStore;
    let other: EventStoreDBClient;

    beforeEach(async () => {
      store = await EsdbEventStore.open({ connectionString });
      other = EventStoreDBClient.connectionString(connectionString);
    });

    afterEach(async () => {
      await store.close();
      await other.dispose();
    });

    it('wakes onAppend listeners for an append made through another connection', async () => {
      let woken = false;
      store.onAppend(() => {
        woken = true;
      });
      const writer = await EsdbEventStore.open({ connectionString });
      try {
        // The live subscription starts at the end of $all once the server confirms it, so the writer
        // keeps appending until one of its appends arrives; a notifier that never wakes times out.
        while (!woken) {
          await writer.appendToStream(newStreamId(), newEvents(1), { expectedRevision: 'no_stream' });
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        await writer.close();
      }
      expect(woken).toBe(true);
    });

    it('the head and $all ignore the events the server writes itself', async () => {
      const streamId = newStreamId();
      const result = await store.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' });
      // Setting stream metadata writes a $metadata event into the $$ stream, after ours.
      await other.setStreamMetadata(streamId, { maxCount: 1000 });

      expect(await store.headPosition()).toBe(result.position);
      const after = await store.readAll({ after: result.position });
      expect(after.filter((event) => event.type.startsWith('$') || event.streamId.startsWith('$'))).toEqual([]);
    });
  });
}

describe('EsdbEventStore.open', () => {
  it('refuses a connection string that is not an EventStoreDB one', async () => {
    await expect(EsdbEventStore.open({ connectionString: 'postgres://localhost:5432/ecf' })).rejects.toThrow(/esdb:\/\//);
  });

  it('fails at start, with the client’s UnavailableError, when no server answers', async () => {
    await expect(EsdbEventStore.open({ connectionString: 'esdb://127.0.0.1:1?tls=false' })).rejects.toBeInstanceOf(UnavailableError);
  });
});
