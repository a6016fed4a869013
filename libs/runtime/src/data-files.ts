import { join } from 'node:path';

/** The embedded mode's files under DATA_DIR. */
export const dataFiles = (dataDir: string) => ({
  events: join(dataDir, 'events.sqlite'),
  readModels: join(dataDir, 'read-models.sqlite'),
  apiKeys: join(dataDir, 'api-keys.sqlite'),
});
