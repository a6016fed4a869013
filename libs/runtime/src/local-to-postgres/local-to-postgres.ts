import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { Pool, PoolClient } from 'pg';
import { ApiKeyRow } from '../api-keys/api-key-store';
import { dataFiles } from '../data-files';
import { KEY_SCHEMA, openKeyPool } from '../postgres/key-schema';

/** What moving one kind of key did (or, in a dry run, would do). */
export interface KeyMoveCounts {
  /** Rows in the local file. */
  readonly found: number;
  /** Copied into PostgreSQL (an erased participant's row included, erasure and all). */
  readonly moved: number;
  /** Already in PostgreSQL as they are locally (an earlier run, or never changed since). */
  readonly alreadyThere: number;
  /** Revoked (API keys) or erased (personal-data keys) locally but not in PostgreSQL: PostgreSQL's row was revoked or erased too. */
  readonly carriedOver: number;
  /** Revoked or erased in PostgreSQL and not locally: PostgreSQL's revocation or erasure stands. */
  readonly keptRevokedOrErased: number;
  /** Ids held in both with different contents: neither side is changed; resolve by hand. */
  readonly conflicts: readonly string[];
}

export interface LocalToPostgresReport {
  readonly dryRun: boolean;
  readonly apiKeys: KeyMoveCounts;
  readonly personalDataKeys: KeyMoveCounts;
  /** What happens to the rest of DATA_DIR. */
  readonly notMoved: readonly string[];
}

interface KeyRow {
  participant_id: string;
  key: Buffer | null;
  created_at: string;
  destroyed_at: string | null;
}

const CHUNK = 1000;

type Queryable = Pool | PoolClient;

/** Every row of a table of a local file, read-only; none when the file or the table is not there. */
function localRows<Row>(file: string, table: 'api_keys' | 'participant_keys'): Row[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
    return exists ? db.prepare<[], Row>(`SELECT * FROM ${table}`).all() : [];
  } finally {
    db.close();
  }
}

async function serverRows<Row extends object>(client: Queryable, sql: string, ids: readonly string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (let start = 0; start < ids.length; start += CHUNK) rows.push(...(await client.query<Row>(sql, [ids.slice(start, start + CHUNK)])).rows);
  return rows;
}

const sameKey = (local: ApiKeyRow, server: ApiKeyRow): boolean =>
  local.secret_hash === server.secret_hash &&
  local.name === server.name &&
  local.role === server.role &&
  local.school_urns === server.school_urns &&
  local.delivery_partner_id === server.delivery_partner_id;

async function moveApiKeys(client: Queryable, file: string, apply: boolean): Promise<KeyMoveCounts> {
  const local = localRows<ApiKeyRow>(file, 'api_keys');
  const server = new Map((await serverRows<ApiKeyRow>(client, 'SELECT * FROM api_keys WHERE id = ANY($1::text[])', local.map((row) => row.id))).map((row) => [row.id, row]));
  const counts = { found: local.length, moved: 0, alreadyThere: 0, carriedOver: 0, keptRevokedOrErased: 0, conflicts: [] as string[] };
  for (const row of local) {
    const there = server.get(row.id);
    if (!there) {
      counts.moved += 1;
      if (apply) {
        await client.query(
          'INSERT INTO api_keys (id, name, role, school_urns, delivery_partner_id, secret_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [row.id, row.name, row.role, row.school_urns, row.delivery_partner_id, row.secret_hash, row.created_at, row.revoked_at],
        );
      }
    } else if (!sameKey(row, there)) counts.conflicts.push(row.id);
    else if (row.revoked_at !== null && there.revoked_at === null) {
      counts.carriedOver += 1;
      if (apply) await client.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [row.revoked_at, row.id]);
    } else if (row.revoked_at === null && there.revoked_at !== null) counts.keptRevokedOrErased += 1;
    else counts.alreadyThere += 1;
  }
  return counts;
}

async function moveParticipantKeys(client: Queryable, file: string, apply: boolean): Promise<KeyMoveCounts> {
  const local = localRows<KeyRow>(file, 'participant_keys');
  const server = new Map(
    (await serverRows<KeyRow>(client, 'SELECT * FROM participant_keys WHERE participant_id = ANY($1::text[])', local.map((row) => row.participant_id))).map((row) => [row.participant_id, row]),
  );
  const counts = { found: local.length, moved: 0, alreadyThere: 0, carriedOver: 0, keptRevokedOrErased: 0, conflicts: [] as string[] };
  for (const row of local) {
    const there = server.get(row.participant_id);
    // A row erased locally may predate the destroyed_at column's use; the erasure's time is then its creation's.
    const destroyedAt = row.key === null ? (row.destroyed_at ?? row.created_at) : null;
    if (!there) {
      counts.moved += 1;
      if (apply) {
        await client.query('INSERT INTO participant_keys (participant_id, key, created_at, destroyed_at) VALUES ($1, $2, $3, $4)', [row.participant_id, row.key, row.created_at, destroyedAt]);
      }
    } else if (row.key === null && there.key !== null) {
      // Erasure always wins: a key destroyed anywhere stays destroyed.
      counts.carriedOver += 1;
      if (apply) await client.query('UPDATE participant_keys SET key = NULL, destroyed_at = $2 WHERE participant_id = $1 AND key IS NOT NULL', [row.participant_id, destroyedAt]);
    } else if (row.key !== null && there.key === null) counts.keptRevokedOrErased += 1;
    else if (row.key !== null && there.key !== null && !row.key.equals(there.key)) counts.conflicts.push(row.participant_id);
    else counts.alreadyThere += 1;
  }
  return counts;
}

/**
 * `ecf migrate-local-to-postgres`: copies an embedded installation's API keys and personal-data keys
 * (DATA_DIR's `api-keys.sqlite` and `personal-data-keys.sqlite`) into the key schema of a PostgreSQL
 * database. Idempotent: what is already there is counted, not copied again. A revocation or an
 * erasure made on either side stands on both; a key held on both sides with different contents is a
 * conflict, reported and left alone. One transaction, with the two tables locked against writes
 * (reads, and so authentication, go on), so a concurrent `keys create` or `forget` cannot slip between
 * the comparison and the copy. The local files are only read.
 */
export async function migrateLocalToPostgres(options: { dataDir: string; databaseUrl: string; dryRun?: boolean; schema?: string }): Promise<LocalToPostgresReport> {
  const files = dataFiles(options.dataDir);
  const apply = options.dryRun !== true;
  const pool = await openKeyPool({ connectionString: options.databaseUrl, schema: options.schema ?? KEY_SCHEMA, poolSize: 1 });
  try {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('LOCK TABLE api_keys, participant_keys IN SHARE ROW EXCLUSIVE MODE');
      const apiKeys = await moveApiKeys(client, files.apiKeys, apply);
      const personalDataKeys = await moveParticipantKeys(client, files.personalDataKeys, apply);
      await client.query(apply ? 'COMMIT' : 'ROLLBACK');
      return {
        dryRun: !apply,
        apiKeys,
        personalDataKeys,
        notMoved: [
          `${files.events}: the event log is not moved (no command copies events between stores); with EVENT_STORE=postgres the log is the one in DATABASE_URL. Keep this file as the record of the embedded history.`,
          `${files.readModels}: read models are never moved; the projector builds them in PostgreSQL from the log.`,
        ],
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

/** What a run of the migration would still change, or report as a conflict. */
const pending = (counts: KeyMoveCounts): number => counts.moved + counts.carriedOver + counts.conflicts.length;

/** Server mode refuses to start beside local keys PostgreSQL lacks: it would answer 401 to their holders and `null` for their participants' details. */
export class LocalKeysNotMovedError extends Error {
  constructor(file: string, counts: KeyMoveCounts) {
    super(
      `${file} holds keys that PostgreSQL does not (${counts.moved} to move, ${counts.carriedOver} revocations or erasures to carry over, ${counts.conflicts.length} conflicts). ` +
        'In server mode (EVENT_STORE=postgres or esdb) keys live in PostgreSQL: run `ecf migrate-local-to-postgres` with this DATA_DIR first, ' +
        'or move the file out of DATA_DIR if its keys are not wanted.',
    );
    this.name = 'LocalKeysNotMovedError';
  }
}

/**
 * Guards a server-mode key store before it opens: when DATA_DIR still holds a local key file with keys
 * PostgreSQL lacks, throws LocalKeysNotMovedError. Without the file (a new host, DATA_DIR absent or
 * read-only and empty) it costs one existsSync and no connection.
 */
export async function assertLocalKeysMoved(options: { dataDir: string; databaseUrl: string; schema?: string }, kind: 'apiKeys' | 'personalDataKeys'): Promise<void> {
  const file = dataFiles(options.dataDir)[kind];
  if (!existsSync(file)) return;
  const pool = await openKeyPool({ connectionString: options.databaseUrl, schema: options.schema ?? KEY_SCHEMA, poolSize: 1 });
  try {
    const counts = kind === 'apiKeys' ? await moveApiKeys(pool, file, false) : await moveParticipantKeys(pool, file, false);
    if (pending(counts) > 0) throw new LocalKeysNotMovedError(file, counts);
  } finally {
    await pool.end();
  }
}
