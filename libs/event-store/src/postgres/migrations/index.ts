import { initialMigration } from './0001-initial';
import { appendBatchMigration } from './0002-append-batch';
import { PostgresMigration } from './migration';

export type { PostgresMigration } from './migration';

/** Every migration in version order; add new ones at the end. */
export const postgresMigrations: readonly PostgresMigration[] = [initialMigration, appendBatchMigration];
