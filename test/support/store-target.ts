import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, types } from 'pg';
import { EventStore, SqliteEventStore } from '@ecf/event-store';
import { dataFiles, loadConfig, openEventStore, PersonalDataVault, productEventStore } from '@ecf/runtime';
import { PostgresTestDatabase } from './postgres-database';

export type StoreKind = 'sqlite' | 'postgres';

/** Every storage-related fault test runs once per kind: `describe.each(STORE_KINDS)`. */
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

type SqlParam = string | number | null;
type Part = 'events' | 'read-models';

const READ_MODEL_SCHEMA = 'read_models';
const CHECKPOINTS = 'consumer_checkpoints';

// Counts and positions are BIGINT on PostgreSQL; they stay far below 2^53, so numbers, as SQLite gives them.
const numbers = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.INT8 || oid === types.builtins.NUMERIC ? (value: string) => Number(value) : types.getTypeParser(oid, format),
};

/** `?` placeholders (how the tests write their SQL, portable to both) as PostgreSQL's `$1, $2, …`. */
const numbered = (sql: string): string => {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
};

/** A query on a table that is not there yet (nothing written, no projector started) answers no rows. */
const isMissingTable = (error: unknown): boolean =>
  (error as { code?: string }).code === '42P01' || /no such table/.test((error as Error).message ?? '');

/**
 * Where one test's processes keep their data: on SQLite a temporary DATA_DIR (the log, the read models,
 * API keys and personal-data keys); on PostgreSQL a database of its own for all of them (the DATA_DIR
 * stays empty). The processes get `env` and `dataDir`; the test reads what they stored directly,
 * as an operator with access to the storage would, with the same SQL on either kind.
 */
export class StoreTarget {
  private readonly pools = new Map<Part, Pool>();

  private constructor(
    readonly kind: StoreKind,
    readonly dataDir: string,
    private readonly database: PostgresTestDatabase | null,
  ) {}

  static async create(kind: StoreKind, dataDir: string = mkdtempSync(join(tmpdir(), `ecf-${kind}-`))): Promise<StoreTarget> {
    return new StoreTarget(kind, dataDir, kind === 'postgres' ? await PostgresTestDatabase.create() : null);
  }

  /** Settings for the API, projector and CLI processes (they get DATA_DIR from `dataDir`). */
  get env(): Record<string, string> {
    return this.database === null ? { EVENT_STORE: 'sqlite' } : { EVENT_STORE: 'postgres', READ_MODEL_STORE: 'postgres', DATABASE_URL: this.database.url };
  }

  /**
   * The product's store on this target (sealing, upcasting, hash chains, expected revisions), as the
   * apps open it, except that a commit does not wait for the disk: for writing a large log quickly
   * before the processes under test start. Their durability is untouched: SQLite's is a setting of
   * each connection, and PostgreSQL's default is restored when `close` resolves.
   */
  async openForBulkWrites(): Promise<{ store: EventStore; close: () => Promise<void> }> {
    const files = dataFiles(this.dataDir);
    if (this.database === null) {
      const store = productEventStore(await SqliteEventStore.open({ filename: files.events, synchronous: 'NORMAL' }), PersonalDataVault.sqlite(files.personalDataKeys));
      return { store, close: () => store.close() };
    }
    const database = this.database;
    // Sessions take the database's setting when they connect, so the store opened next uses it.
    await database.query(`ALTER DATABASE ${database.name} SET synchronous_commit = off`);
    const store = await openEventStore(loadConfig({ ...this.env, DATA_DIR: this.dataDir }));
    return {
      store,
      close: async () => {
        await store.close();
        await database.query(`ALTER DATABASE ${database.name} RESET synchronous_commit`);
      },
    };
  }

  /** Rows of a query on the event log (`events`: position, stream_id, revision, event_id, type, data, metadata, …). */
  events<Row>(sql: string, ...params: SqlParam[]): Promise<Row[]> {
    return this.query('events', sql, params);
  }

  /** Rows of a query on the read models and their checkpoints; no rows while the table does not exist yet. */
  async readModels<Row>(sql: string, ...params: SqlParam[]): Promise<Row[]> {
    try {
      return await this.query<Row>('read-models', sql, params);
    } catch (error) {
      if (isMissingTable(error)) return [];
      throw error;
    }
  }

  /** The log's last position (0 when empty). */
  async head(): Promise<number> {
    const [row] = await this.events<{ head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events');
    return row?.head ?? 0;
  }

  /** The names of every read-model table, the checkpoints table aside. */
  async readModelTables(): Promise<string[]> {
    const sql =
      this.kind === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name <> ? ORDER BY name`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = '${READ_MODEL_SCHEMA}' AND table_name <> ? ORDER BY table_name`;
    return (await this.readModels<{ name: string }>(sql, CHECKPOINTS)).map((row) => row.name);
  }

  /** Every row of one read-model table, in a canonical order (so two builds compare equal row by row). */
  async tableRows(table: string): Promise<unknown[]> {
    const rows = await this.readModels<Record<string, unknown>>(`SELECT * FROM ${table}`);
    return rows.map((row) => ({ key: JSON.stringify(row), row })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ row }) => row);
  }

  /**
   * A new target holding a copy of this one's log and personal-data keys and nothing else, for a clean
   * build to compare with. Stop every process using this target first (PostgreSQL copies a database
   * only while no one is connected to it). On PostgreSQL the keys are in the database (schema ecf_keys).
   */
  async copyOfLog(): Promise<StoreTarget> {
    await this.release();
    const dataDir = mkdtempSync(join(tmpdir(), `ecf-${this.kind}-copy-`));
    const files = this.kind === 'sqlite' ? ['events.sqlite', 'personal-data-keys.sqlite'] : [];
    for (const file of files) {
      const source = new Database(join(this.dataDir, file), { readonly: true });
      try {
        source.exec(`VACUUM INTO '${join(dataDir, file)}'`);
      } finally {
        source.close();
      }
    }
    if (this.database === null) return new StoreTarget(this.kind, dataDir, null);
    const database = await this.database.copy();
    await database.query(`DROP SCHEMA IF EXISTS ${READ_MODEL_SCHEMA} CASCADE`);
    return new StoreTarget(this.kind, dataDir, database);
  }

  /** Closes this test's own connections (the processes' are theirs). */
  async release(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.end()));
  }

  async dispose(): Promise<void> {
    await this.release();
    await this.database?.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async query<Row>(part: Part, sql: string, params: SqlParam[]): Promise<Row[]> {
    if (this.database === null) {
      const file = join(this.dataDir, part === 'events' ? 'events.sqlite' : 'read-models.sqlite');
      if (!existsSync(file)) throw Object.assign(new Error(`no such table: ${file} does not exist yet`), { code: 'SQLITE_ERROR' });
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as Row[];
      } finally {
        db.close();
      }
    }
    return (await this.pool(part).query(numbered(sql), params)).rows as Row[];
  }

  private pool(part: Part): Pool {
    let pool = this.pools.get(part);
    if (!pool) {
      const searchPath = part === 'events' ? {} : { options: `-c search_path=${READ_MODEL_SCHEMA}` };
      pool = new Pool({ connectionString: this.database?.url, max: 2, types: numbers, ...searchPath });
      this.pools.set(part, pool);
    }
    return pool;
  }
}
