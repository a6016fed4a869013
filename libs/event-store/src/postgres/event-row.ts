import { RecordedEvent, StoredJsonEvent } from '../event-store.port';
import { metadataJsonHoldsVersion } from '../stored-json';
import { fromMetadataColumns } from '../stored-metadata';

/** An `events` row as pg returns it: BIGINT as a string, TIMESTAMPTZ as a Date. */
export interface EventRow {
  readonly position: string;
  readonly stream_id: string;
  readonly revision: number;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly schema_version: number;
  readonly recorded_at: Date;
  readonly hash: string;
}

export const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: row.revision,
    // Positions stay far below 2^53; a number keeps the port's type.
    position: Number(row.position),
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: fromMetadataColumns(row.metadata, row.schema_version),
    // Appends store millisecond instants, so this gives back exactly the string that was hashed.
    recordedAt: row.recorded_at.toISOString(),
    hash: row.hash,
  };
}

/** The row as its stored JSON text (see EventStore.readAllJson). */
export function toStoredJsonEvent(row: EventRow): StoredJsonEvent | RecordedEvent {
  if (metadataJsonHoldsVersion(row.metadata)) return toRecordedEvent(row);
  return {
    streamId: row.stream_id,
    revision: row.revision,
    position: Number(row.position),
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    dataJson: row.data,
    metadataJson: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
    hash: row.hash,
  };
}
