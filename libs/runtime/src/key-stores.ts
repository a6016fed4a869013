import { ApiKeyStore } from './api-keys/api-key-store';
import { PostgresApiKeyStore } from './api-keys/postgres-api-key-store';
import { SqliteApiKeyStore } from './api-keys/sqlite-api-key-store';
import { AppConfig } from './config';
import { dataFiles } from './data-files';
import { assertLocalKeysMoved } from './local-to-postgres/local-to-postgres';
import { PersonalDataVault } from './personal-data/personal-data-vault';

export type KeyStoreConfig = Pick<AppConfig, 'eventStore' | 'dataDir' | 'databaseUrl'>;

/**
 * Where the API keys and the personal-data keys live. Embedded (`EVENT_STORE=sqlite`): files under
 * DATA_DIR. Server mode (`postgres`, or `esdb` beside PostgreSQL): the `ecf_keys` schema of
 * DATABASE_URL, so every host shares them and nothing is kept on local disk.
 */
export const keyStoreKind = (config: Pick<AppConfig, 'eventStore'>): 'sqlite' | 'postgres' => (config.eventStore === 'sqlite' ? 'sqlite' : 'postgres');

function serverUrl(config: KeyStoreConfig): string {
  if (config.databaseUrl === null) throw new Error(`EVENT_STORE=${config.eventStore} keeps the API keys and personal-data keys in PostgreSQL: set DATABASE_URL`);
  return config.databaseUrl;
}

/** The configured API keys; in server mode refused while DATA_DIR holds keys not yet moved (LocalKeysNotMovedError). */
export async function openApiKeyStore(config: KeyStoreConfig): Promise<ApiKeyStore> {
  if (keyStoreKind(config) === 'sqlite') return SqliteApiKeyStore.open(dataFiles(config.dataDir).apiKeys);
  await assertLocalKeysMoved({ dataDir: config.dataDir, databaseUrl: serverUrl(config) }, 'apiKeys');
  return PostgresApiKeyStore.open({ connectionString: serverUrl(config) });
}

/** The configured personal-data vault; in server mode refused while DATA_DIR holds keys not yet moved (LocalKeysNotMovedError). */
export async function openPersonalDataVault(config: KeyStoreConfig): Promise<PersonalDataVault> {
  if (keyStoreKind(config) === 'sqlite') return PersonalDataVault.sqlite(dataFiles(config.dataDir).personalDataKeys);
  await assertLocalKeysMoved({ dataDir: config.dataDir, databaseUrl: serverUrl(config) }, 'personalDataKeys');
  return PersonalDataVault.postgres({ connectionString: serverUrl(config) });
}
