import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresReadModelDatabase } from '../read-models/postgres-read-model-database';
import { ReadModelDatabase } from '../read-models/sql-database';
import { SqliteReadModelDatabase } from '../read-models/sqlite-read-model-database';
import { Checkpoints } from '../engine/checkpoints';

export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface DisposableReadModels {
  readonly db: ReadModelDatabase;
  dispose(): Promise<void>;
}

/** A fresh read-model store of each kind: an in-memory SQLite database, or a new schema on the test PostgreSQL server. */
export const READ_MODEL_KINDS = ['sqlite', 'postgres'] as const;
export type ReadModelKind = (typeof READ_MODEL_KINDS)[number];

export async function freshReadModels(kind: ReadModelKind): Promise<DisposableReadModels> {
  if (kind === 'sqlite') {
    const db = SqliteReadModelDatabase.open(':memory:');
    await new Checkpoints(db).ensureSchema();
    return { db, dispose: () => db.close() };
  }
  const schema = `test_rm_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  let db: ReadModelDatabase;
  try {
    db = await PostgresReadModelDatabase.open({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
    await new Checkpoints(db).ensureSchema();
  } catch (error) {
    throw new Error(`PostgreSQL is required for these tests and is not reachable at ${TEST_DATABASE_URL}: ${(error as Error).message}`);
  }
  return {
    db,
    dispose: async () => {
      await db.close();
      const admin = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
