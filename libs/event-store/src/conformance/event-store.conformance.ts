// The production build (tsconfig.build.json, types: ["node"]) compiles this file too; this reference
// gives it the jest globals there. It is never imported at runtime: index.ts does not export it.
/// <reference types="jest" />
import { isWrongExpectedRevision, WrongExpectedRevisionError } from '../errors';
import { EventStore, RecordedEvent } from '../event-store.port';
import { computeEventHash, GENESIS_HASH, verifyStreamChain } from '../hash-chain';
import { isStoredJson, parseStoredJson } from '../stored-json';
import { subscribeToAll } from '../subscription';
import { ids, isStrictlyIncreasing, newEvent, newEvents, newStreamId, readAllOf } from './fixtures';

export interface ConformanceStore {
  readonly store: EventStore;
  dispose(): Promise<void>;
}

/**
 * The behaviour every EventStore adapter must show. The factory is called once per test; it may hand
 * out a fresh database or a client on a shared one, because every test uses its own stream ids and
 * only looks at its own events in `$all`.
 */
export function describeEventStoreConformance(name: string, factory: () => Promise<ConformanceStore>): void {
  describe(`EventStore conformance: ${name}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
    });

    afterEach(async () => {
      await dispose();
    });

    describe('append and read', () => {
      it('round-trips events with data, metadata, revision, position, recordedAt and hash', async () => {
        const streamId = newStreamId();
        const event = { ...newEvent('SchoolRegistered', { urn: '100001', nested: { list: [3, 1, 2], flag: true }, none: null }), metadata: { ...newEvent().metadata, reason: 'import' } };
        const before = Date.now();

        const result = await store.appendToStream(streamId, [event], { expectedRevision: 'no_stream' });
        const [read] = await store.readStream(streamId);

        expect(result).toEqual({ nextExpectedRevision: 0, position: read.position });
        expect(read).toMatchObject({ streamId, revision: 0, eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata });
        expect(read.position).toBeGreaterThan(0);
        expect(new Date(read.recordedAt).toISOString()).toBe(read.recordedAt);
        // Clocks of a remote store may drift a little; the instant must still be "about now".
        expect(Math.abs(Date.parse(read.recordedAt) - before)).toBeLessThan(60_000);
        expect(read.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('returns an empty array for a stream that does not exist', async () => {
        await expect(store.readStream(newStreamId())).resolves.toEqual([]);
      });

      it('appends several events atomically, in order, with consecutive revisions and one recordedAt', async () => {
        const streamId = newStreamId();
        const events = newEvents(3);

        const result = await store.appendToStream(streamId, events, { expectedRevision: 'no_stream' });
        const read = await store.readStream(streamId);

        expect(ids(read)).toEqual(ids(events));
        expect(read.map((event) => event.revision)).toEqual([0, 1, 2]);
        expect(isStrictlyIncreasing(read.map((event) => event.position))).toBe(true);
        expect(new Set(read.map((event) => event.recordedAt)).size).toBe(1);
        expect(result).toEqual({ nextExpectedRevision: 2, position: read[2].position });
      });

      it('writes nothing from a batch that conflicts', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' });

        await expect(store.appendToStream(streamId, newEvents(3), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);

        expect(await store.readStream(streamId)).toHaveLength(1);
      });

      it('writes nothing when an event in the middle of a batch cannot be stored', async () => {
        const streamId = newStreamId();
        const head = await store.headPosition();
        // A BigInt has no JSON form, so the second event fails after the first may have been written.
        const batch = [newEvent(), newEvent('Broken', { amount: BigInt(1) }), newEvent()];

        await expect(store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' })).rejects.toThrow();

        expect(await store.readStream(streamId)).toEqual([]);
        expect(ids(await readAllOf(store, new Set([streamId]), head))).toEqual([]);
        await expect(store.appendToStream(streamId, [batch[0]], { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0 });
      });

      it('accepts an empty batch without writing and reports the current state', async () => {
        const missing = newStreamId();
        const head = await store.headPosition();
        const empty = await store.appendToStream(missing, [], { expectedRevision: 'no_stream' });
        expect(empty.nextExpectedRevision).toBe(-1);
        expect(empty.position).toBeGreaterThanOrEqual(head);
        expect(await store.readStream(missing)).toEqual([]);

        const streamId = newStreamId();
        const written = await store.appendToStream(streamId, newEvents(2), { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(streamId, [], { expectedRevision: 1 })).resolves.toEqual(written);
        await expect(store.appendToStream(streamId, [], { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });
    });

    describe('expected revision', () => {
      it('no_stream: succeeds on a new stream, conflicts on an existing one', async () => {
        const streamId = newStreamId();
        await expect(store.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0 });

        const error = await store.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' }).catch((caught: unknown) => caught);

        expect(isWrongExpectedRevision(error)).toBe(true);
        expect(error).toMatchObject({ streamId, expected: 'no_stream', actual: 0 });
      });

      it('stream_exists: conflicts on a new stream, succeeds on an existing one', async () => {
        const streamId = newStreamId();
        const error = await store.appendToStream(streamId, newEvents(1), { expectedRevision: 'stream_exists' }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId, expected: 'stream_exists', actual: 'no_stream' });
        expect(await store.readStream(streamId)).toEqual([]);

        await store.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(streamId, newEvents(1), { expectedRevision: 'stream_exists' })).resolves.toMatchObject({ nextExpectedRevision: 1 });
      });

      it('any: appends whether or not the stream exists', async () => {
        const streamId = newStreamId();
        await expect(store.appendToStream(streamId, newEvents(2), { expectedRevision: 'any' })).resolves.toMatchObject({ nextExpectedRevision: 1 });
        await expect(store.appendToStream(streamId, newEvents(1), { expectedRevision: 'any' })).resolves.toMatchObject({ nextExpectedRevision: 2 });
      });

      it('exact: succeeds at the current revision (0-based)', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(streamId, newEvents(2), { expectedRevision: 0 })).resolves.toMatchObject({ nextExpectedRevision: 2 });
        await expect(store.appendToStream(streamId, newEvents(1), { expectedRevision: 2 })).resolves.toMatchObject({ nextExpectedRevision: 3 });
      });

      it('exact: a stale or future revision conflicts and writes nothing', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(2), { expectedRevision: 'no_stream' });

        const stale = await store.appendToStream(streamId, newEvents(1), { expectedRevision: 0 }).catch((caught: unknown) => caught);
        const future = await store.appendToStream(streamId, newEvents(1), { expectedRevision: 5 }).catch((caught: unknown) => caught);

        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale).toMatchObject({ streamId, expected: 0, actual: 1 });
        expect(future).toMatchObject({ streamId, expected: 5, actual: 1 });
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('exact: conflicts on a stream that does not exist', async () => {
        const streamId = newStreamId();
        await expect(store.appendToStream(streamId, newEvents(1), { expectedRevision: 0 })).rejects.toMatchObject({ expected: 0, actual: 'no_stream' });
        expect(await store.readStream(streamId)).toEqual([]);
      });
    });

    describe('idempotent retry', () => {
      it('re-appending the same event ids returns the original result and writes nothing', async () => {
        const streamId = newStreamId();
        const batch = newEvents(2);
        const first = await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
        const later = await store.appendToStream(streamId, newEvents(1), { expectedRevision: 1 });
        const head = await store.headPosition();

        // The retry still carries the expectation of its first attempt, which is now stale; it says it wrote nothing.
        expect(first.alreadyStored).toBeFalsy();
        await expect(store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' })).resolves.toEqual({ ...first, alreadyStored: true });
        await expect(store.appendToStream(streamId, batch, { expectedRevision: 'any' })).resolves.toEqual({ ...first, alreadyStored: true });

        expect(await store.readStream(streamId)).toHaveLength(3);
        expect(await store.headPosition()).toBe(head);
        expect(later.position).toBeLessThanOrEqual(head);
      });

      it('a batch that partly overlaps stored ids is a conflict and writes nothing', async () => {
        const streamId = newStreamId();
        const batch = newEvents(2);
        await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });

        await expect(store.appendToStream(streamId, [batch[1], newEvent()], { expectedRevision: 1 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(store.appendToStream(streamId, [newEvent(), batch[0]], { expectedRevision: 1 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });

      it('stored ids in another order, or in another stream, are a conflict', async () => {
        const streamId = newStreamId();
        const batch = newEvents(2);
        await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });

        await expect(store.appendToStream(streamId, [batch[1], batch[0]], { expectedRevision: 'any' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        const other = newStreamId();
        await expect(store.appendToStream(other, batch, { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(other)).toEqual([]);
        expect(await store.readStream(streamId)).toHaveLength(2);
      });
    });

    describe('readStream options', () => {
      it('reads from a revision and at most maxCount events', async () => {
        const streamId = newStreamId();
        const events = newEvents(6);
        await store.appendToStream(streamId, events, { expectedRevision: 'no_stream' });

        expect(ids(await store.readStream(streamId, { fromRevision: 2 }))).toEqual(ids(events.slice(2)));
        expect(ids(await store.readStream(streamId, { maxCount: 2 }))).toEqual(ids(events.slice(0, 2)));
        expect(ids(await store.readStream(streamId, { fromRevision: 3, maxCount: 2 }))).toEqual(ids(events.slice(3, 5)));
        expect(await store.readStream(streamId, { fromRevision: 6 })).toEqual([]);
      });

      it('recordedAtOrBefore reads the stream as it was known at an instant', async () => {
        const streamId = newStreamId();
        const first = newEvents(2);
        await store.appendToStream(streamId, first, { expectedRevision: 'no_stream' });
        await store.appendToStream(streamId, newEvents(2), { expectedRevision: 1 });
        const all = await store.readStream(streamId);
        const cutoff = all[1].recordedAt;

        const asOf = await store.readStream(streamId, { recordedAtOrBefore: cutoff });

        // Both appends may share a millisecond, so the expectation is derived from the stored instants.
        expect(ids(asOf)).toEqual(ids(all.filter((event) => event.recordedAt <= cutoff)));
        expect(ids(asOf).slice(0, 2)).toEqual(ids(first));
        expect(await store.readStream(streamId, { recordedAtOrBefore: '2000-01-01T00:00:00.000Z' })).toEqual([]);
        expect(await store.readStream(streamId, { recordedAtOrBefore: '2999-01-01T00:00:00Z' })).toHaveLength(4);
      });
    });

    describe('$all', () => {
      it('orders events across streams by position and reads after a position, maxCount at a time', async () => {
        const [a, b] = [newStreamId(), newStreamId()];
        const start = await store.headPosition();
        await store.appendToStream(a, newEvents(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(b, newEvents(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(a, newEvents(1), { expectedRevision: 1 });
        const written = [...(await store.readStream(a)), ...(await store.readStream(b))].sort((x, y) => x.position - y.position);

        const all = await readAllOf(store, new Set([a, b]), start);

        expect(all.map((event) => [event.streamId, event.revision])).toEqual([
          [a, 0],
          [a, 1],
          [b, 0],
          [a, 2],
        ]);
        expect(ids(all)).toEqual(ids(written));
        expect(isStrictlyIncreasing(all.map((event) => event.position))).toBe(true);

        const page = await store.readAll({ after: all[0].position, maxCount: 2 });
        expect(page).toHaveLength(2);
        expect(page.every((event) => event.position > all[0].position)).toBe(true);
        expect(page[0].position).toBe(all[1].position);
        await expect(store.readAll({ after: all[0].position, maxCount: 0 })).resolves.toEqual([]);
      });

      it('readAll of some types: only those, in log order, pages full up to maxCount and short only where the log ends', async () => {
        const start = await store.headPosition();
        const streamId = newStreamId();
        const kinds = Array.from({ length: 30 }, (_, index) => (index % 5 === 0 ? 'Wanted' : index % 7 === 0 ? 'AlsoWanted' : 'Skipped'));
        await store.appendToStream(streamId, kinds.map((kind, index) => newEvent(kind, { index })), { expectedRevision: 'no_stream' });
        const wanted = (await store.readStream(streamId)).filter((event) => event.type !== 'Skipped');

        const pages: RecordedEvent[][] = [];
        for (let after = start; ; ) {
          const page = await store.readAll({ after, maxCount: 3, types: ['Wanted', 'AlsoWanted'] });
          pages.push(page);
          if (page.length < 3) break;
          after = page[page.length - 1].position;
        }

        expect(pages.flat().map((event) => [event.type, event.data.index])).toEqual(wanted.map((event) => [event.type, event.data.index]));
        expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
        expect(pages.flat().every((event) => event.position > start)).toBe(true);
        await expect(store.readAll({ after: start, types: [] })).resolves.toEqual([]);
        await expect(store.readAll({ after: start, types: ['NeverWritten'] })).resolves.toEqual([]);
      });

      it('headPosition is at least the position of the last append', async () => {
        const before = await store.headPosition();
        expect(before).toBeGreaterThanOrEqual(0);
        const result = await store.appendToStream(newStreamId(), newEvents(2), { expectedRevision: 'no_stream' });
        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(result.position);
        expect(result.position).toBeGreaterThan(before);
      });
    });

    describe('readByStream (adapters that offer it)', () => {
      /** Every event with the prefix up to `upTo`, page by page. */
      async function readByStreamOf(prefix: string, upTo: number, maxCount: number): Promise<RecordedEvent[]> {
        const read = store.readByStream?.bind(store);
        if (!read) throw new Error('no readByStream');
        const found: RecordedEvent[] = [];
        for (let after: { streamId: string; revision: number } | undefined; ; ) {
          const page = await read({ streamPrefix: prefix, upTo, after, maxCount });
          if (page.length === 0) return found;
          found.push(...page);
          after = { streamId: page[page.length - 1].streamId, revision: page[page.length - 1].revision };
        }
      }

      it('reads the prefix stream after stream, each in revision order, as the log stood at upTo, resuming after an event', async () => {
        if (!store.readByStream) {
          process.stdout.write(`[conformance:${name}] readByStream is not offered by this adapter: consumers read $all instead\n`);
          return;
        }
        const prefix = `${newStreamId('by-stream')}-`;
        const [a, b, c] = ['a', 'b', 'c'].map((suffix) => `${prefix}${suffix}`);
        await store.appendToStream(b, newEvents(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(a, newEvents(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(newStreamId('by-stream-other'), newEvents(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(b, newEvents(1), { expectedRevision: 1 });
        const { position: upTo } = await store.appendToStream(a, newEvents(2), { expectedRevision: 0 });
        await store.appendToStream(c, newEvents(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(a, newEvents(1), { expectedRevision: 2 });

        const read = await readByStreamOf(prefix, upTo, 2);

        expect(read.map((event) => [event.streamId, event.revision])).toEqual([
          [a, 0], [a, 1], [a, 2],
          [b, 0], [b, 1], [b, 2],
        ]);
        expect(ids(read)).toEqual(ids([...(await store.readStream(a)).slice(0, 3), ...(await store.readStream(b))]));
        expect(read.every((event) => event.position <= upTo)).toBe(true);
        await expect(store.readByStream({ streamPrefix: prefix, upTo, after: { streamId: b, revision: 2 } })).resolves.toEqual([]);
        await expect(store.readByStream({ streamPrefix: prefix, upTo, maxCount: 0 })).resolves.toEqual([]);
      });
    });

    describe('readAllJson (adapters that offer it)', () => {
      it('gives what readAll gives, data and metadata as the JSON text JSON.stringify wrote', async () => {
        if (!store.readAllJson) {
          process.stdout.write(`[conformance:${name}] readAllJson is not offered by this adapter: callers use readAll\n`);
          return;
        }
        const streamId = newStreamId();
        const awkward = { '10': 'integer keys first', text: 'quote " backslash \\ line \u2028 nul \u0000 😀 lone \ud800', n: [0, -0, 1e21, 5e-324, 0.1], none: null, deep: { a: [{ b: true }] } };
        const events = [newEvent('ThingHappened', awkward), { ...newEvent('OtherThing'), metadata: { ...newEvent().metadata, reason: 'import "x"', schemaVersion: 3 } }];
        const { position } = await store.appendToStream(streamId, events, { expectedRevision: 'no_stream' });

        const after = position - 2;
        const [asRead, asJson] = [await store.readAll({ after, maxCount: 2 }), await store.readAllJson({ after, maxCount: 2 })];

        expect(asJson.map((event) => (isStoredJson(event) ? parseStoredJson(event) : event))).toEqual(asRead);
        // Of some types only (one: other tests may append more of them after ours).
        const ofTypes = await store.readAllJson({ after, types: ['OtherThing'], maxCount: 1 });
        expect(ofTypes.map((event) => (isStoredJson(event) ? parseStoredJson(event) : event))).toEqual(asRead.slice(1));
        for (const [index, event] of asJson.entries()) {
          if (!isStoredJson(event)) throw new Error(`event ${index} was not given as stored text`);
          const { schemaVersion, ...metadata } = asRead[index].metadata;
          expect(event.schemaVersion).toBe(schemaVersion);
          expect(event.dataJson).toBe(JSON.stringify(asRead[index].data));
          expect(event.metadataJson).toBe(JSON.stringify(metadata));
        }
      });
    });

    describe('hash chain', () => {
      it('chains each event to the previous one of its stream, across appends', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(newStreamId(), newEvents(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(streamId, newEvents(2), { expectedRevision: 1 });
        const events = await store.readStream(streamId);

        expect(verifyStreamChain(events)).toEqual({ valid: true });
        expect(events[0].hash).toBe(computeEventHash(GENESIS_HASH, events[0]));
        expect(events[2].hash).toBe(computeEventHash(events[1].hash, events[2]));
      });

      it('reads back each event’s schema version as written, inside what the hash covers', async () => {
        const streamId = newStreamId();
        const versioned = (schemaVersion: number) => {
          const event = newEvent();
          return { ...event, metadata: { ...event.metadata, schemaVersion } };
        };
        await store.appendToStream(streamId, [versioned(1), versioned(3)], { expectedRevision: 'no_stream' });
        const events = await store.readStream(streamId);

        expect(events.map((event) => event.metadata.schemaVersion)).toEqual([1, 3]);
        expect(verifyStreamChain(events)).toEqual({ valid: true });
      });

      it('verifyStreamChain names the first tampered, missing or reordered revision', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(4), { expectedRevision: 'no_stream' });
        const events = await store.readStream(streamId);
        const tamper = (index: number, change: Partial<RecordedEvent>): RecordedEvent[] =>
          events.map((event, at) => (at === index ? { ...event, ...change } : event));

        expect(verifyStreamChain(tamper(1, { data: { index: 99 } }))).toMatchObject({ valid: false, revision: 1 });
        expect(verifyStreamChain(tamper(2, { metadata: { ...events[2].metadata, actor: { id: 'someone-else', role: 'admin' } } }))).toMatchObject({ valid: false, revision: 2 });
        expect(verifyStreamChain(tamper(3, { recordedAt: '2001-01-01T00:00:00.000Z' }))).toMatchObject({ valid: false, revision: 3 });
        expect(verifyStreamChain(tamper(1, { metadata: { ...events[1].metadata, schemaVersion: 2 } }))).toMatchObject({ valid: false, revision: 1 });
        expect(verifyStreamChain([events[0], events[2], events[3]])).toMatchObject({ valid: false, revision: 2 });
        expect(verifyStreamChain([events[1], events[0]])).toMatchObject({ valid: false, revision: 1 });
        // Changing the position must not matter: it is the store's address, not the event's content.
        expect(verifyStreamChain(tamper(0, { position: 123_456 }))).toEqual({ valid: true });
      });
    });

    describe('catch-up subscription', () => {
      it('delivers exactly the events after its checkpoint, then keeps up with live appends', async () => {
        const streamId = newStreamId();
        const history = newEvents(3);
        await store.appendToStream(streamId, history, { expectedRevision: 'no_stream' });
        const [firstStored] = await store.readStream(streamId);
        const received: RecordedEvent[] = [];
        const subscription = subscribeToAll(store, { after: firstStored.position, batchSize: 2, handle: (batch) => void received.push(...batch) });

        try {
          await subscription.waitUntilCaughtUp();
          expect(ids(received.filter((event) => event.streamId === streamId))).toEqual(ids(history.slice(1)));

          const live = newEvents(2);
          const result = await store.appendToStream(streamId, live, { expectedRevision: 2 });
          await subscription.waitUntilCaughtUp(result.position);

          expect(subscription.position).toBeGreaterThanOrEqual(result.position);
          expect(subscription.status).toBe('live');
          expect(ids(received.filter((event) => event.streamId === streamId))).toEqual([...ids(history.slice(1)), ...ids(live)]);
          expect(received.every((event) => event.position > firstStored.position)).toBe(true);
          expect(isStrictlyIncreasing(received.map((event) => event.position))).toBe(true);
        } finally {
          await subscription.stop();
        }
        expect(subscription.status).toBe('stopped');
      });

      it('a handler that throws stops the subscription and the failing event is not handled', async () => {
        const streamId = newStreamId();
        const start = await store.headPosition();
        await store.appendToStream(streamId, [newEvent('Fine'), newEvent('Poison'), newEvent('Fine')], { expectedRevision: 'no_stream' });
        const [fine, poison] = await store.readStream(streamId);
        const boom = new Error('projection bug');
        const errors: unknown[] = [];
        const handled: string[] = [];
        const subscription = subscribeToAll(store, {
          after: start,
          batchSize: 1,
          handle: ([event]) => {
            if (event.type === 'Poison' && event.streamId === streamId) throw boom;
            handled.push(event.eventId);
          },
          onError: (error) => errors.push(error),
        });

        await expect(subscription.waitUntilCaughtUp(poison.position)).rejects.toBe(boom);

        expect(subscription.status).toBe('failed');
        expect(subscription.lastError).toBe(boom);
        expect(errors).toEqual([boom]);
        expect(subscription.position).toBeGreaterThanOrEqual(fine.position);
        expect(subscription.position).toBeLessThan(poison.position);
        expect(handled).not.toContain(poison.eventId);
        await expect(subscription.waitUntilCaughtUp()).rejects.toBe(boom);
        await subscription.stop();
        expect(subscription.status).toBe('failed');
      });
    });

    describe('volume and concurrency', () => {
      it('reads back a large stream fully and in order', async () => {
        const streamId = newStreamId('large');
        for (let batch = 0; batch < 50; batch++) {
          const events = Array.from({ length: 100 }, (_, index) => newEvent('Counted', { n: batch * 100 + index }));
          await store.appendToStream(streamId, events, { expectedRevision: batch === 0 ? 'no_stream' : batch * 100 - 1 });
        }

        const events = await store.readStream(streamId);

        expect(events).toHaveLength(5000);
        expect(events.every((event, index) => event.revision === index && event.data.n === index)).toBe(true);
        expect(isStrictlyIncreasing(events.map((event) => event.position))).toBe(true);
        expect(verifyStreamChain(events)).toEqual({ valid: true });
      }, 60_000);

      it('concurrent appenders with the same expected revision: exactly one wins', async () => {
        const streamId = newStreamId();
        await store.appendToStream(streamId, newEvents(1), { expectedRevision: 'no_stream' });

        const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => store.appendToStream(streamId, newEvents(2), { expectedRevision: 0 })));

        const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        expect(lost.every((outcome) => outcome.reason instanceof WrongExpectedRevisionError)).toBe(true);
        expect(await store.readStream(streamId)).toHaveLength(3);
      });

      it('concurrent appenders to many streams: every event stored, positions unique and increasing', async () => {
        const start = await store.headPosition();
        const streams = Array.from({ length: 10 }, () => newStreamId('many'));
        const appendChain = async (streamId: string): Promise<void> => {
          for (let round = 0; round < 5; round++) {
            await store.appendToStream(streamId, newEvents(3), { expectedRevision: round === 0 ? 'no_stream' : round * 3 - 1 });
          }
        };

        await Promise.all(streams.map(appendChain));
        const all = await readAllOf(store, new Set(streams), start);

        expect(all).toHaveLength(10 * 5 * 3);
        expect(new Set(all.map((event) => event.position)).size).toBe(all.length);
        expect(isStrictlyIncreasing(all.map((event) => event.position))).toBe(true);
        for (const streamId of streams) {
          const revisions = all.filter((event) => event.streamId === streamId).map((event) => event.revision);
          expect(revisions).toEqual(Array.from({ length: 15 }, (_, index) => index));
        }
      });
    });
  });
}
