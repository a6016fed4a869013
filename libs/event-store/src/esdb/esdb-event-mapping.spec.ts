import { JSONEventData, ResolvedEvent } from '@eventstore/db-client';
import { newEvent, newEvents } from '../conformance/fixtures';
import { NewEvent, RecordedEvent } from '../event-store.port';
import { computeEventHash, GENESIS_HASH, verifyStreamChain } from '../hash-chain';
import { fromResolvedEvent, toJsonEvents } from './esdb-event-mapping';

const RECORDED_AT = '2025-09-01T09:00:00.000Z';

/** What a server hands back for an event the adapter wrote: JSON round-tripped, with a revision and a position. */
const asStored = (streamId: string, written: JSONEventData, revision: number, position: number): ResolvedEvent => ({
  event: {
    streamId,
    id: written.id,
    revision: BigInt(revision),
    type: written.type,
    isJson: true,
    created: new Date(),
    data: JSON.parse(JSON.stringify(written.data)),
    metadata: JSON.parse(JSON.stringify(written.metadata)),
    position: { commit: BigInt(position), prepare: BigInt(position) },
  },
});

const roundTrip = (streamId: string, events: NewEvent[], firstRevision = 0): RecordedEvent[] =>
  toJsonEvents(streamId, events, firstRevision === 0 ? undefined : { revision: firstRevision - 1, hash: GENESIS_HASH }, RECORDED_AT).map((written, index) =>
    fromResolvedEvent(asStored(streamId, written, firstRevision + index, 5_000 + 137 * index)),
  );

describe('EventStoreDB event mapping', () => {
  it('writes each event as JSON under its own id and type, with our metadata and the ESDB correlation keys', () => {
    const event = { ...newEvent('PauseRecorded', { expectedWeeks: 3 }), metadata: { ...newEvent().metadata, reason: 'short absence' } };

    const [written] = toJsonEvents('participant-1', [event], undefined, RECORDED_AT);

    expect(written).toMatchObject({ id: event.eventId, type: 'PauseRecorded', contentType: 'application/json', data: { expectedWeeks: 3 } });
    expect(written.metadata).toEqual({
      ...event.metadata,
      $correlationId: event.metadata.correlationId,
      $causationId: event.metadata.causationId,
      recordedAt: RECORDED_AT,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('round-trips data, metadata (reason included), revision, position, recordedAt and hash', () => {
    const event = { ...newEvent('SchoolRegistered', { urn: '100001', nested: { list: [3, 1, 2], flag: true }, none: null }), metadata: { ...newEvent().metadata, reason: 'import' } };

    const [read] = roundTrip('school-100001', [event]);

    expect(read).toEqual({
      streamId: 'school-100001',
      revision: 0,
      position: 5_000,
      eventId: event.eventId,
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      recordedAt: RECORDED_AT,
      hash: computeEventHash(GENESIS_HASH, { ...event, streamId: 'school-100001', revision: 0, recordedAt: RECORDED_AT }),
    });
  });

  it('chains a batch from genesis so the stream verifies as read back', () => {
    const read = roundTrip('participant-2', newEvents(3));

    expect(verifyStreamChain(read)).toEqual({ valid: true });
    expect(new Set(read.map((event) => event.recordedAt))).toEqual(new Set([RECORDED_AT]));
  });

  it('continues the chain from the stream head it is given', () => {
    const head = { revision: 4, hash: 'a'.repeat(64) };
    const [event] = newEvents(1);

    const [written] = toJsonEvents('participant-3', [event], head, RECORDED_AT);

    expect((written.metadata as { hash: string }).hash).toBe(computeEventHash(head.hash, { ...event, streamId: 'participant-3', revision: 5, recordedAt: RECORDED_AT }));
  });

  it('fails before anything is sent when data has no JSON form', () => {
    expect(() => toJsonEvents('participant-4', [newEvent(), newEvent('Broken', { amount: BigInt(1) })], undefined, RECORDED_AT)).toThrow(TypeError);
  });

  it('refuses event ids ESDB would read back in another spelling', () => {
    const event = newEvent();

    expect(() => toJsonEvents('s', [{ ...event, eventId: event.eventId.toUpperCase() }], undefined, RECORDED_AT)).toThrow(RangeError);
    expect(() => toJsonEvents('s', [{ ...event, eventId: 'command-1:0' }], undefined, RECORDED_AT)).toThrow(/lower-case UUIDs/);
  });

  it('refuses to read an event this store did not write', () => {
    const foreign: ResolvedEvent = {
      event: { streamId: 'orders-1', id: 'f-1', revision: 0n, type: 'OrderPlaced', isJson: true, created: new Date(), data: {}, metadata: { $correlationId: 'x' }, position: { commit: 1n, prepare: 1n } },
    };
    const binary: ResolvedEvent = {
      event: { streamId: 'blobs-1', id: 'b-1', revision: 0n, type: 'Blob', isJson: false, created: new Date(), data: new Uint8Array([1]), metadata: undefined, position: { commit: 2n, prepare: 2n } },
    };

    expect(() => fromResolvedEvent(foreign)).toThrow(/f-1 in stream orders-1 was not written by this store/);
    expect(() => fromResolvedEvent(binary)).toThrow(/not written by this store/);
    expect(() => fromResolvedEvent({})).toThrow(/link/);
  });
});
