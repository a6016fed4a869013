import { upcastEventData } from '@ecf/domain';
import { EventStore, PersonalDataSealingEventStore, RecordedEvent, SqliteEventStore, UpcastingEventStore } from '@ecf/event-store';
import { PersonalDataVault } from './personal-data/personal-data-vault';

/** Reads a stored event at its type's current schema version (see libs/domain/src/versioning). */
export function upcastRecordedEvent(event: RecordedEvent): RecordedEvent {
  const { version, data } = upcastEventData(event.type, event.metadata.schemaVersion, event.data);
  return version === event.metadata.schemaVersion ? event : { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
}

/**
 * The event store the apps use: the configured adapter, with personal details sealed per participant
 * (opened on read, null once erased), read through the upcasters.
 */
export async function openEventStore(
  files: { events: string; personalDataKeys: string },
  /** Pass the vault when the caller also needs it (erasure); the store closes it. */
  vault: PersonalDataVault = PersonalDataVault.open(files.personalDataKeys),
): Promise<EventStore> {
  const sealed = new PersonalDataSealingEventStore(await SqliteEventStore.open({ filename: files.events }), vault);
  return new UpcastingEventStore(sealed, upcastRecordedEvent);
}
