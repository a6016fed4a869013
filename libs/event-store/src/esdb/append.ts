import { EventStoreDBClient, JSONEventData } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../errors';
import { AppendResult, ExpectedRevision, NewEvent } from '../event-store.port';
import { toJsonEvents } from './esdb-event-mapping';
import { ActualRevision, assertValidAppend, matchesExpectedRevision } from '../expected-revision';
import { mapAppendError, toEsdbExpectedRevision } from './esdb-revision-mapping';
import { readHeadPosition } from './head-position';
import { findRetry } from './idempotent-retry';
import { readStreamEvents } from './read-stream';

export type Appender = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll'>;

/**
 * After a conflict on the pinned head the stream is read again and the append decided afresh. A caller
 * with an exact expectation then gets its conflict (the head moved) or, if the events that won were
 * this very batch, its original result; only 'any' and 'stream_exists', which the pin is stricter
 * than, try again, this many times in all.
 */
const ATTEMPTS = 5;

/**
 * The append unit:
 * 1. read the stream: its head to chain from and check against, its ids to recognise a retry
 *    (streams are one participant's history, so this read is short);
 * 2. a retry of a committed append returns its original result; an empty batch reports the head;
 * 3. append the hashed events, expecting exactly the head that was read (toEsdbExpectedRevision);
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
  assertValidAppend(streamId, events, expected);
  for (let attempt = 1; ; attempt++) {
    const stored = await readStreamEvents(client, streamId, {});
    const head = stored.at(-1);
    const actual: ActualRevision = head?.revision ?? 'no_stream';

    const retried = findRetry(streamId, events, stored, expected, actual);
    if (retried) return retried;
    if (!matchesExpectedRevision(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);
    if (events.length === 0) return { nextExpectedRevision: head?.revision ?? -1, position: head?.position ?? (await readHeadPosition(client)) };

    const outcome = await appendAtHead(client, streamId, toJsonEvents(streamId, events, head, recordedAt()), actual, expected);
    if ('conflict' in outcome) {
      if (attempt === ATTEMPTS) throw outcome.conflict;
      continue;
    }
    const [last] = await readStreamEvents(client, streamId, { fromRevision: outcome.nextExpectedRevision, maxCount: 1 });
    return { nextExpectedRevision: outcome.nextExpectedRevision, position: last.position };
  }
}

type AppendOutcome = { readonly nextExpectedRevision: number } | { readonly conflict: WrongExpectedRevisionError };

/** A lost race is an outcome, not an error: thrown by default, or answered with success false when the connection string sets throwOnAppendFailure=false. */
async function appendAtHead(client: Appender, streamId: string, toWrite: JSONEventData[], head: ActualRevision, expected: ExpectedRevision): Promise<AppendOutcome> {
  try {
    const written = await client.appendToStream(streamId, toWrite, { expectedRevision: toEsdbExpectedRevision(head) });
    if (written.success) return { nextExpectedRevision: Number(written.nextExpectedRevision) };
    const current = Number(written.nextExpectedRevision);
    return { conflict: new WrongExpectedRevisionError(streamId, expected, current < 0 ? 'no_stream' : current) };
  } catch (error) {
    const mapped = mapAppendError(error, streamId, expected);
    if (mapped instanceof WrongExpectedRevisionError) return { conflict: mapped };
    throw mapped;
  }
}
