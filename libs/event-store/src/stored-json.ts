import { RecordedEvent, StoredJsonEvent } from './event-store.port';
import { fromMetadataColumns } from './stored-metadata';

/** Tells the two kinds of event `readAllJson` gives apart. */
export const isStoredJson = (event: StoredJsonEvent | RecordedEvent): event is StoredJsonEvent => 'dataJson' in event;

/** The event as readAll gives it. */
export function parseStoredJson(event: StoredJsonEvent): RecordedEvent {
  return {
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    eventId: event.eventId,
    type: event.type,
    data: JSON.parse(event.dataJson) as Record<string, unknown>,
    metadata: fromMetadataColumns(event.metadataJson, event.schemaVersion),
    recordedAt: event.recordedAt,
    hash: event.hash,
  };
}

/**
 * Whether a row's metadata JSON still holds its own copy of the schema version (rows written before
 * ADR 0012): such text is not the metadata without `schemaVersion`, so the row is read the usual way.
 * A JSON string cannot hold an unescaped quote, so only a key matches; a nested key would only cost a parse.
 */
export const metadataJsonHoldsVersion = (metadataJson: string): boolean => metadataJson.includes('"schemaVersion":');
