import { initialMigration } from './0001-initial';
import { Migration } from './migration';

export type { Migration } from './migration';

/** Every migration in version order; add new ones at the end. */
export const migrations: readonly Migration[] = [initialMigration];
