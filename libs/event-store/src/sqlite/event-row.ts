import { RecordedEvent, StoredJsonEvent } from '../event-store.port';
import { metadataJsonHoldsVersion } from '../stored-json';
import { fromMetadataColumns } from '../stored-metadata';

/** An `events` row as better-sqlite3 returns it. */
export interface EventRow {
  readonly position: number;
  readonly stream_id: string;
  readonly revision: number;
  readonly event_id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly schema_version: number;
  readonly recorded_at: string;
  readonly hash: string;
}

export const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: fromMetadataColumns(row.metadata, row.schema_version),
    recordedAt: row.recorded_at,
    hash: row.hash,
  };
}

/** An `events` row as better-sqlite3 returns it in raw mode: the EVENT_COLUMNS in order, no object built for it. */
export type EventTuple = readonly [
  position: number,
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  schemaVersion: number,
  recordedAt: string,
  hash: string,
];

/** The row as its stored JSON text (see EventStore.readAllJson). */
export function toStoredJsonEvent(row: EventTuple): StoredJsonEvent | RecordedEvent {
  const [position, streamId, revision, eventId, type, dataJson, metadataJson, schemaVersion, recordedAt, hash] = row;
  if (metadataJsonHoldsVersion(metadataJson)) {
    return { streamId, revision, position, eventId, type, data: JSON.parse(dataJson) as Record<string, unknown>, metadata: fromMetadataColumns(metadataJson, schemaVersion), recordedAt, hash };
  }
  return { streamId, revision, position, eventId, type, schemaVersion, dataJson, metadataJson, recordedAt, hash };
}
