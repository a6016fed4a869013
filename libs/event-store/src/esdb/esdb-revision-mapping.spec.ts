import { NO_STREAM, StreamDeletedError, WrongExpectedVersionError } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../errors';
import { assertValidAppend, matchesExpectedRevision } from '../expected-revision';
import { mapAppendError, toEsdbExpectedRevision } from './esdb-revision-mapping';

describe('EventStoreDB expected revisions', () => {
  it('pins the head that was read: a missing stream is NO_STREAM, a revision is a bigint', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(41)).toBe(41n);
  });

  it.each([
    ['any', 'no_stream', true],
    ['any', 3, true],
    ['no_stream', 'no_stream', true],
    ['no_stream', 0, false],
    ['stream_exists', 'no_stream', false],
    ['stream_exists', 2, true],
    [2, 2, true],
    [1, 2, false],
    [5, 2, false],
    [0, 'no_stream', false],
  ] as const)('caller expects %p, stream is at %p: matches = %p', (expected, actual, matches) => {
    expect(matchesExpectedRevision(expected, actual)).toBe(matches);
  });

  it('refuses a negative or fractional expected revision', () => {
    expect(() => assertValidAppend('participant-1', [], -1)).toThrow(RangeError);
    expect(() => assertValidAppend('participant-1', [], 1.5)).toThrow(RangeError);
  });
});

describe('EventStoreDB append errors', () => {
  it("the client's WrongExpectedVersionError becomes ours, with the caller's expectation and the server's revision", () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'participant-1', expected: 0n, current: 2n });

    const mapped = mapAppendError(error, 'participant-1', 0);

    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 'participant-1', expected: 0, actual: 2 });
  });

  it('reports a stream the server found missing as no_stream, and keeps a caller who expected any', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'participant-2', expected: 3n, current: 'no_stream' });

    expect(mapAppendError(error, 'participant-2', 'any')).toMatchObject({ streamId: 'participant-2', expected: 'any', actual: 'no_stream' });
  });

  it('leaves every other error as it is', () => {
    const deleted = StreamDeletedError.fromStreamName('participant-3');
    const network = new Error('socket hang up');

    expect(mapAppendError(deleted, 'participant-3', 0)).toBe(deleted);
    expect(mapAppendError(network, 'participant-3', 0)).toBe(network);
  });
});
