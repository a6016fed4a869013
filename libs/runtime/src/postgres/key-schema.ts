import { Pool } from 'pg';
import { applyMigrations, checkSchemaName, PostgresMigration, sessionOptions } from '@ecf/event-store';

/**
 * Server mode's keys in PostgreSQL: the API keys (hashed) and the personal-data keys (one per
 * participant). A schema of their own, apart from the log and the read models, so that a backup of
 * the log can leave them out (`pg_dump --exclude-schema=ecf_keys`) and privileges can be granted on
 * them alone.
 */
export const KEY_SCHEMA = 'ecf_keys';

/** Append-only, as the event store's: a released migration is never edited, only followed. */
export const keySchemaMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'api-keys',
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        school_urns TEXT NOT NULL,
        delivery_partner_id TEXT,
        secret_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'personal-data-keys',
    sql: `
      -- A destroyed key is a row with key NULL: the erasure is remembered, so nothing personal can be
      -- sealed for that participant again.
      CREATE TABLE participant_keys (
        participant_id TEXT PRIMARY KEY,
        key BYTEA CHECK (key IS NULL OR octet_length(key) = 32),
        created_at TEXT NOT NULL,
        destroyed_at TEXT,
        CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))
      );
    `,
  },
];

export interface KeyPoolOptions {
  readonly connectionString: string;
  /** Default `ecf_keys`; tests use schemas of their own. */
  readonly schema?: string;
  /** Default 4: one short query per request or per batch of events. */
  readonly poolSize?: number;
}

/** A pool on the key schema, brought to the latest version first (under the migration advisory lock). */
export async function openKeyPool({ connectionString, schema = KEY_SCHEMA, poolSize = 4 }: KeyPoolOptions): Promise<Pool> {
  checkSchemaName(schema);
  const pool = new Pool({ connectionString, options: sessionOptions(schema), application_name: `ecf-keys:${schema}`, keepAlive: true, max: poolSize });
  // An idle connection dropped by the server is discarded by the pool; without a handler it would crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await applyMigrations(client, schema, keySchemaMigrations);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}
