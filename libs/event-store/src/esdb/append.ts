import { EventStoreDBClient } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../errors';
import { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { toJsonEvents } from './esdb-event-mapping';
import { mapAppendError, matchesExpectedRevision, StreamRevision, toEsdbExpectedRevision } from './esdb-revision-mapping';
import { readHeadPosition } from './head-position';
import { findRetry } from './idempotent-retry';
import { readStreamEvents } from './read-stream';

export type Appender = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll'>;

/**
 * A caller who expected 'any' or 'stream_exists' did not ask for the revision the adapter pins (see
 * toEsdbExpectedRevision), so losing a race on it is retried from a fresh read, a few times.
 */
const ATTEMPTS_WHEN_UNPINNED = 5;

/**
 * The append unit:
 * 1. read the stream: its head to chain from and check against, its ids to recognise a retry
 *    (streams are one participant's history, so this read is short);
 * 2. a retry of a committed append returns its original result; an empty batch reports the head;
 * 3. append the hashed events, expecting exactly the head that was read;
 * 4. read the last event back for its `$all` position, which ESDB's append answer does not give
 *    reliably for a batch across server versions.
 */
export async function appendWithHashChain(
  client: Appender,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  recordedAt: () => string,
): Promise<AppendResult> {
  for (let attempt = 1; ; attempt++) {
    const stored = await readStreamEvents(client, streamId, {});
    const head = stored.at(-1);
    const actual: StreamRevision = head?.revision ?? 'no_stream';

    const retried = findRetry(streamId, events, stored, expected, actual);
    if (retried) return retried;
    if (!matchesExpectedRevision(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);
    if (events.length === 0) return { nextExpectedRevision: head?.revision ?? -1, position: head?.position ?? (await readHeadPosition(client)) };

    const toWrite = toJsonEvents(streamId, events, head, recordedAt());
    let nextExpectedRevision: number;
    try {
      const written = await client.appendToStream(streamId, toWrite, { expectedRevision: toEsdbExpectedRevision(actual) });
      nextExpectedRevision = Number(written.nextExpectedRevision);
    } catch (error) {
      const mapped = mapAppendError(error, streamId, expected);
      const pinnedByCaller = expected !== 'any' && expected !== 'stream_exists';
      if (mapped instanceof WrongExpectedRevisionError && !pinnedByCaller && attempt < ATTEMPTS_WHEN_UNPINNED) continue;
      throw mapped;
    }
    const [last] = await readStreamEvents(client, streamId, { fromRevision: nextExpectedRevision, maxCount: 1 });
    return { nextExpectedRevision, position: last.position };
  }
}
