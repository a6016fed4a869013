import { NewEvent } from '../event-store.port';
import { computeEventHash, GENESIS_HASH } from '../hash-chain';
import { toMetadataColumns } from '../stored-metadata';

/** A stream head as the append unit keeps it: its revision and the hash of that revision's event. */
export interface StreamHead {
  readonly revision: number;
  readonly lastHash: string;
}

/** One append's events, hashed onto a head and ready to send (`append_events` alone or `append_batch` with others). */
export interface PreparedWrite {
  readonly streamId: string;
  /** The revision the hashes were computed on; -1 for a new stream. */
  readonly headRevision: number;
  readonly events: readonly NewEvent[];
  readonly recordedAt: string;
  readonly hashes: readonly string[];
  readonly metadata: readonly string[];
  readonly schemaVersions: readonly number[];
}

/** What the server answered one write: the position of its last event, or why it wrote nothing. */
export type WriteAnswer = { readonly position: number } | 'head-moved' | 'event-id-taken';

export function prepareWrite(streamId: string, head: StreamHead | undefined, events: readonly NewEvent[], recordedAt: string): PreparedWrite {
  const headRevision = head?.revision ?? -1;
  let previousHash = head?.lastHash ?? GENESIS_HASH;
  const hashes = events.map((event, index) => {
    previousHash = computeEventHash(previousHash, { ...event, streamId, revision: headRevision + 1 + index, recordedAt });
    return previousHash;
  });
  const columns = events.map((event) => toMetadataColumns(event.metadata));
  return {
    streamId,
    headRevision,
    events,
    recordedAt,
    hashes,
    metadata: columns.map((column) => column.metadata),
    schemaVersions: columns.map((column) => column.schemaVersion),
  };
}

/** The head a committed write leaves. */
export const headAfter = (write: PreparedWrite): StreamHead => ({ revision: write.headRevision + write.events.length, lastHash: write.hashes[write.hashes.length - 1] });
