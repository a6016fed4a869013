import { Client, ClientBase } from 'pg';
import { connectionConfig } from './connection-config';
import { PostgresMigration, postgresMigrations } from './migrations';
import { checkSchemaName, DEFAULT_SCHEMA } from './schema-name';

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

/** First half of the migration advisory lock ('ECFM'); the second is the schema's hashtext. */
const MIGRATION_LOCK = 0x4543464d;

/**
 * Brings the schema (created if missing) to the latest version and returns the migrations this call
 * applied. Everything runs in one transaction behind an advisory lock, so two processes starting at
 * once cannot both apply a migration: the second waits, then finds it applied. The client's
 * search_path must name the schema. `migrations` defaults to the event store's; another schema
 * (the key store's, libs/runtime) passes its own list and keeps its own `schema_migrations`.
 */
export async function applyMigrations(client: ClientBase, schema: string, migrations: readonly PostgresMigration[] = postgresMigrations): Promise<AppliedMigration[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK, schema]);
    // CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege; a role given an existing schema may lack it.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
    const applied: AppliedMigration[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push({ version: migration.version, name: migration.name });
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    // If the connection itself failed, the server has rolled back already; report the first error.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** For operators and deploy scripts (`ecf migrate`): migrate without opening a store. */
export async function migratePostgres(connectionString: string, schema: string = DEFAULT_SCHEMA): Promise<AppliedMigration[]> {
  const client = new Client(connectionConfig(connectionString, checkSchemaName(schema)));
  await client.connect();
  try {
    return await applyMigrations(client, schema);
  } finally {
    await client.end();
  }
}
