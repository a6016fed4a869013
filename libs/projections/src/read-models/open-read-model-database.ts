import { Checkpoints } from '../engine/checkpoints';
import { PostgresReadModelDatabase } from './postgres-read-model-database';
import { ReadModelDatabase } from './sql-database';
import { SqliteReadModelDatabase } from './sqlite-read-model-database';

export type ReadModelTarget =
  | { readonly kind: 'sqlite'; readonly filename: string }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly schema?: string };

/** Opens the read-model store and makes sure the checkpoints table exists, so queries can look up live generations at once. */
export async function openReadModelDatabase(target: ReadModelTarget): Promise<ReadModelDatabase> {
  const db = target.kind === 'sqlite' ? SqliteReadModelDatabase.open(target.filename) : await PostgresReadModelDatabase.open(target);
  try {
    await new Checkpoints(db).ensureSchema();
  } catch (error) {
    // Two processes creating the table at once on PostgreSQL: the loser's error is harmless.
    if ((error as { code?: string }).code !== '23505') {
      await db.close();
      throw error;
    }
  }
  return db;
}
