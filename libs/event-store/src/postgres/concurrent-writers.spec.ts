import { newEvent, newStreamId } from '../conformance/fixtures';
import { WrongExpectedRevisionError } from '../errors';
import { RecordedEvent } from '../event-store.port';
import { subscribeToAll } from '../subscription';
import { verifyLog } from '../verification/verify-log';
import { PostgresEventStore } from './postgres-event-store';
import { assertTestServerReachable, dropTestSchema, newTestSchemaName, openTestStore } from './testing/test-database';

const WRITERS = 8;
const EVENTS_PER_WRITER = 500;
const STREAMS = 64;
/** Every so often a writer reuses an event id stored in another stream: rejected after its positions were drawn, it leaves a hole. */
const HOLE_EVERY = 40;

/**
 * The global position gap: with writers committing in any order, a subscriber following `$all` by
 * position must still see every committed event exactly once (ADR 0008). Eight stores stand for
 * eight processes; they share streams, so appends also race on stream heads.
 */
describe('PostgresEventStore with concurrent writers', () => {
  const schema = newTestSchemaName();
  const stores: PostgresEventStore[] = [];

  beforeAll(assertTestServerReachable);

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await dropTestSchema(schema);
  });

  it(`a catch-up subscriber sees all ${WRITERS * EVENTS_PER_WRITER} events of ${WRITERS} writers exactly once, in strictly increasing position order`, async () => {
    const reader = await openTestStore(schema);
    stores.push(reader);
    const writers = await Promise.all(Array.from({ length: WRITERS }, () => openTestStore(schema, { poolSize: 2 })));
    stores.push(...writers);
    const streams = Array.from({ length: STREAMS }, () => newStreamId('concurrent'));
    const received: RecordedEvent[] = [];
    const subscription = subscribeToAll(reader, { after: 0, batchSize: 100, pollIntervalMs: 20, handle: (batch) => void received.push(...batch) });

    const write = async (store: PostgresEventStore, writer: number): Promise<{ committed: string[]; rejected: number }> => {
      const committed: string[] = [];
      let rejected = 0;
      for (let append = 0; committed.length < EVENTS_PER_WRITER; append++) {
        const size = Math.min(1 + (append % 3), EVENTS_PER_WRITER - committed.length);
        const batch = Array.from({ length: size }, (_, index) => newEvent('Written', { writer, append, index }));
        const streamId = streams[(writer * 7 + append * 13) % STREAMS];
        if (append % HOLE_EVERY === HOLE_EVERY - 1 && committed.length > 0) {
          const stolen = { ...batch[0], eventId: committed[0] };
          const conflict = await store.appendToStream(newStreamId('hole'), [stolen], { expectedRevision: 'any' }).catch((error: unknown) => error);
          expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
          rejected += 1;
        }
        await store.appendToStream(streamId, batch, { expectedRevision: 'any' });
        committed.push(...batch.map((event) => event.eventId));
      }
      return { committed, rejected };
    };

    try {
      const outcomes = await Promise.all(writers.map(write));
      const receivedWhileWriting = received.length;
      const committed = outcomes.flatMap((outcome) => outcome.committed);
      await subscription.waitUntilCaughtUp(await reader.headPosition());

      const positions = received.map((event) => event.position);
      const receivedIds = new Set(received.map((event) => event.eventId));
      // Counts and lists of ids rather than whole arrays, so a failure says what went wrong in a few lines.
      expect(committed.filter((id) => !receivedIds.has(id))).toEqual([]);
      expect(received.length).toBe(WRITERS * EVENTS_PER_WRITER);
      expect(receivedIds.size).toBe(received.length);
      expect(positions.filter((position, index) => index > 0 && position <= positions[index - 1])).toEqual([]);
      const log = await readWholeLog(reader);
      expect(log.map((event) => [event.position, event.eventId])).toEqual(received.map((event) => [event.position, event.eventId]));
      expect(log).toEqual(received);
      // The subscriber really ran alongside the writers, and the rejected appends really left holes.
      expect(receivedWhileWriting).toBeGreaterThan(0);
      expect(outcomes.reduce((sum, outcome) => sum + outcome.rejected, 0)).toBeGreaterThan(0);
      expect(positions[positions.length - 1]).toBeGreaterThan(received.length);
      expect((await verifyLog(reader)).findings).toEqual([]);
    } finally {
      await subscription.stop();
    }
  }, 120_000);
});

async function readWholeLog(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let page = await store.readAll({ maxCount: 1000 }); page.length > 0; page = await store.readAll({ after: page[page.length - 1].position, maxCount: 1000 })) {
    events.push(...page);
  }
  return events;
}
