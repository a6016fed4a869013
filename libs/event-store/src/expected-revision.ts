import { WrongExpectedRevisionError } from './errors';
import { AppendResult, ExpectedRevision, NewEvent } from './event-store.port';

/** The append semantics every adapter shares, kept apart from the SQL that reads what they compare. */

export type ActualRevision = number | 'no_stream';

/** Where a stored event sits: what a retry needs to answer with the original result. */
export interface StoredEventAddress {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
}

export function matchesExpectedRevision(expected: ExpectedRevision, actual: ActualRevision): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
}

/** Rejects what no store state could make valid, before anything is read or written. */
export function assertValidAppend(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): void {
  if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
    throw new RangeError(`Expected revision must be a non-negative integer, got ${expected}`);
  }
  const ids = events.map((event) => event.eventId);
  if (new Set(ids).size !== ids.length) throw new RangeError(`Stream ${streamId}: the batch repeats an event id`);
}

/**
 * A retry of an append that already committed (its ids are stored, in order, as consecutive events
 * of this stream) gets the original result whatever revision it expects, because the caller's
 * expectation was about the moment before its first attempt. Returns undefined when none of the ids
 * is stored. Any other overlap with stored ids means the caller's view of the stream is wrong, which
 * is a conflict.
 *
 * `stored` holds, for each event of the batch in order, where that id is stored (or undefined).
 */
export function originalResultOfRetry(
  streamId: string,
  stored: readonly (StoredEventAddress | undefined)[],
  expected: ExpectedRevision,
  actual: ActualRevision,
): AppendResult | undefined {
  if (stored.every((address) => address === undefined)) return undefined;
  const first = stored[0];
  const isRetry =
    first !== undefined &&
    stored.every((address, index) => address !== undefined && address.streamId === streamId && address.revision === first.revision + index);
  if (!isRetry) throw new WrongExpectedRevisionError(streamId, expected, actual);
  const last = stored[stored.length - 1] as StoredEventAddress;
  return { nextExpectedRevision: last.revision, position: last.position, alreadyStored: true };
}
