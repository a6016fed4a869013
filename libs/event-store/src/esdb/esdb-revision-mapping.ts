import { NO_STREAM, WrongExpectedVersionError } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../errors';
import { ExpectedRevision } from '../event-store.port';
import { ActualRevision } from '../expected-revision';

/**
 * The expected revision sent to ESDB is always the head the adapter has just read, never the caller's
 * looser 'any' or 'stream_exists': the new events are hashed onto that head, so an append that slipped
 * in between must make this one fail rather than fork the hash chain. The caller's own expectation is
 * checked against the same head first (matchesExpectedRevision, shared by every adapter).
 */
export function toEsdbExpectedRevision(head: ActualRevision): typeof NO_STREAM | bigint {
  return head === 'no_stream' ? NO_STREAM : BigInt(head);
}

/**
 * ESDB's concurrency error becomes the port's one typed error, carrying the caller's expectation (not
 * the pinned revision the adapter sent) and the revision the server found. Anything else is left as is.
 */
export function mapAppendError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  const actual = error.actualVersion === NO_STREAM ? 'no_stream' : Number(error.actualVersion);
  return new WrongExpectedRevisionError(streamId, expected, actual);
}
