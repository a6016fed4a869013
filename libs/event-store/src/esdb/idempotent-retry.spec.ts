import { newEvent, newEvents } from '../conformance/fixtures';
import { WrongExpectedRevisionError } from '../errors';
import { NewEvent, RecordedEvent } from '../event-store.port';
import { findRetry } from './idempotent-retry';

const stored = (streamId: string, events: NewEvent[]): RecordedEvent[] =>
  events.map((event, revision) => ({ ...event, streamId, revision, position: 1_000 + 137 * revision, recordedAt: '2025-09-01T09:00:00.000Z', hash: 'h'.repeat(64) }));

describe('idempotent retry on EventStoreDB', () => {
  const streamId = 'participant-1';
  const batch = newEvents(2);
  const later = newEvents(1);
  const history = stored(streamId, [...batch, ...later]);

  it('new ids are not a retry', () => {
    expect(findRetry(streamId, newEvents(2), history, 2, 2)).toBeUndefined();
    expect(findRetry(streamId, [], history, 2, 2)).toBeUndefined();
  });

  it('a committed batch sent again returns its original result, whatever it expects now', () => {
    const original = { nextExpectedRevision: 1, position: history[1].position, alreadyStored: true };

    expect(findRetry(streamId, batch, history, 'no_stream', 2)).toEqual(original);
    expect(findRetry(streamId, batch, history, 'any', 2)).toEqual(original);
    expect(findRetry(streamId, later, history, 1, 2)).toEqual({ nextExpectedRevision: 2, position: history[2].position, alreadyStored: true });
  });

  it('a batch that partly overlaps stored ids is a conflict', () => {
    expect(() => findRetry(streamId, [batch[1], newEvent()], history, 2, 2)).toThrow(WrongExpectedRevisionError);
    expect(() => findRetry(streamId, [newEvent(), batch[0]], history, 2, 2)).toThrow(WrongExpectedRevisionError);
  });

  it('stored ids in another order are a conflict, reported against what the caller expected', () => {
    const error = (() => {
      try {
        return findRetry(streamId, [batch[1], batch[0]], history, 'any', 2);
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toMatchObject({ streamId, expected: 'any', actual: 2 });
  });

  it('a batch that repeats an id is refused outright', () => {
    const [event] = newEvents(1);

    expect(() => findRetry(streamId, [event, event], [], 'any', 'no_stream')).toThrow(RangeError);
  });
});
