import { join } from 'node:path';

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
