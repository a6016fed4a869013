import { WrongExpectedRevisionError } from '../errors';
import { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from '../event-store.port';
import { ActualRevision } from '../expected-revision';

/**
 * Recognises a retry of an append that already committed: its ids are stored, in order, as
 * consecutive events of the stream. It returns the original result whatever revision it expects,
 * because the caller's expectation was about the moment before its first attempt. Any other overlap
 * with stored ids means the caller's view of the stream is wrong, which is a conflict.
 *
 * ESDB's own idempotency is narrower (it only looks where the expected revision points, ignores the
 * order of ids under 'any', and writes ids again at the head), so the adapter decides from the stream's
 * stored events instead. ESDB has no index of event ids across streams: unlike the SQL adapters, an id
 * reused in another stream is not detected.
 */
export function findRetry(
  streamId: string,
  events: readonly NewEvent[],
  stored: readonly RecordedEvent[],
  expected: ExpectedRevision,
  actual: ActualRevision,
): AppendResult | undefined {
  const ids = events.map((event) => event.eventId);
  if (new Set(ids).size !== ids.length) throw new RangeError(`Stream ${streamId}: the batch repeats an event id`);
  const storedById = new Map(stored.map((event) => [event.eventId, event]));
  const matches = ids.map((id) => storedById.get(id));
  if (matches.every((match) => match === undefined)) return undefined;
  const [first] = matches;
  const isRetry = first !== undefined && matches.every((match, index) => match !== undefined && match.revision === first.revision + index);
  if (!isRetry) throw new WrongExpectedRevisionError(streamId, expected, actual);
  const last = matches[matches.length - 1] as RecordedEvent;
  return { nextExpectedRevision: last.revision, position: last.position, alreadyStored: true };
}
