import { upcastEventData } from '@ecf/domain';
import { EventStore, RecordedEvent, SqliteEventStore, UpcastingEventStore } from '@ecf/event-store';

/** Reads a stored event at its type's current schema version (see libs/domain/src/versioning). */
export function upcastRecordedEvent(event: RecordedEvent): RecordedEvent {
  const { version, data } = upcastEventData(event.type, event.metadata.schemaVersion, event.data);
  return version === event.metadata.schemaVersion ? event : { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
}

/** The event store the apps use: the configured adapter, read through the upcasters. */
export async function openEventStore(eventsFile: string): Promise<EventStore> {
  return new UpcastingEventStore(await SqliteEventStore.open({ filename: eventsFile }), upcastRecordedEvent);
}
