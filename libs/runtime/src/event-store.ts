import { needsUpcast, upcastEventData } from '@ecf/domain';
import { EsdbEventStore, EventStore, PersonalDataSealingEventStore, PostgresEventStore, RecordedEvent, SqliteEventStore } from '@ecf/event-store';
import { AppConfig } from './config';
import { dataFiles } from './data-files';
import { openPersonalDataVault } from './key-stores';
import { PersonalDataVault } from './personal-data/personal-data-vault';

/** Reads a stored event at its type's current schema version (see libs/domain/src/versioning). */
export function upcastRecordedEvent(event: RecordedEvent): RecordedEvent {
  const { version, data } = upcastEventData(event.type, event.metadata.schemaVersion, event.data);
  return version === event.metadata.schemaVersion ? event : { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
}

export type StoreConfig = Pick<AppConfig, 'eventStore' | 'dataDir' | 'databaseUrl' | 'esdbConnectionString'> & Partial<Pick<AppConfig, 'pgAppendCallsInFlight'>>;

/** The configured adapter as it is: stored bytes, no upcasting, no sealing (what `ecf verify` checks). */
export async function openStorageAdapter(config: StoreConfig): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      return SqliteEventStore.open({ filename: dataFiles(config.dataDir).events });
    case 'postgres':
      if (config.databaseUrl === null) throw new Error('EVENT_STORE=postgres needs DATABASE_URL');
      return PostgresEventStore.open({ connectionString: config.databaseUrl, appendCallsInFlight: config.pgAppendCallsInFlight });
    case 'esdb':
      if (config.esdbConnectionString === null) throw new Error('EVENT_STORE=esdb needs ESDB_CONNECTION_STRING');
      return EsdbEventStore.open({ connectionString: config.esdbConnectionString });
  }
}

/**
 * The event store the apps use: an adapter with personal details sealed per participant (opened on
 * read, null once erased), read through the upcasters.
 */
export function productEventStore(adapter: EventStore, vault: PersonalDataVault): EventStore {
  return new PersonalDataSealingEventStore(adapter, vault, { upcast: upcastRecordedEvent, needsUpcast });
}

/**
 * The configured product store, its vault where the configuration keeps keys (key-stores.ts). Pass
 * the vault when the caller also needs it (erasure); the store closes it.
 */
export async function openEventStore(config: StoreConfig, vault?: PersonalDataVault): Promise<EventStore> {
  const adapter = await openStorageAdapter(config);
  try {
    return productEventStore(adapter, vault ?? (await openPersonalDataVault(config)));
  } catch (error) {
    await adapter.close();
    throw error;
  }
}
