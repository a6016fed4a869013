import { openReadModelDatabase, ReadModelDatabase, ReadModelTarget } from '@ecf/projections';
import { AppConfig } from './config';
import { dataFiles } from './data-files';

/** Where the configured read models live: the embedded file under DATA_DIR, or the `read_models` schema of DATABASE_URL. */
export function readModelTarget(config: Pick<AppConfig, 'readModelStore' | 'databaseUrl' | 'dataDir'>): ReadModelTarget {
  if (config.readModelStore === 'postgres') {
    if (config.databaseUrl === null) throw new Error('READ_MODEL_STORE=postgres needs DATABASE_URL');
    return { kind: 'postgres', connectionString: config.databaseUrl };
  }
  return { kind: 'sqlite', filename: dataFiles(config.dataDir).readModels };
}

export const openConfiguredReadModels = (config: AppConfig): Promise<ReadModelDatabase> => openReadModelDatabase(readModelTarget(config));
