import { join } from 'node:path';
import type { AppConfig } from './config';

/** The embedded mode's files under DATA_DIR. */
export const dataFiles = (dataDir: string) => ({
  events: join(dataDir, 'events.sqlite'),
  readModels: join(dataDir, 'read-models.sqlite'),
  apiKeys: join(dataDir, 'api-keys.sqlite'),
  /** One key per participant for their personal details; kept apart from the log so erasure can destroy it. */
  personalDataKeys: join(dataDir, 'personal-data-keys.sqlite'),
  /** Locked (an OS file lock) by the processes using the directory: shared by the API and the projector, exclusive by `ecf seed`. */
  inUseLock: join(dataDir, 'in-use.lock'),
  /** How far `ecf seed` got, so an interrupted seed resumes. */
  seedProgress: join(dataDir, 'seed-progress.json'),
});

/**
 * Whether processes with this configuration keep anything under DATA_DIR: the embedded log, or read
 * models in SQLite (READ_MODEL_STORE=sqlite). Server mode keeps everything in PostgreSQL (and the log
 * in EventStoreDB with EVENT_STORE=esdb), so DATA_DIR may then be absent or read-only.
 */
export const keepsDataLocally = (config: Pick<AppConfig, 'eventStore' | 'readModelStore'>): boolean => config.eventStore === 'sqlite' || config.readModelStore === 'sqlite';
