import { Pool, PoolClient, types } from 'pg';
import { sessionOptions } from '@ecf/event-store';
import { watchPool } from '@ecf/event-store/telemetry';
import { ReadModelDatabase, SqlSession, SqlValue } from './sql-database';

/** `?` placeholders (the form our SQL is written in) as PostgreSQL's `$1, $2, …`. */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

// Counts and positions are BIGINT; they stay far below 2^53, so numbers, not strings.
const numericTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.INT8 || oid === types.builtins.NUMERIC ? (value: string) => Number(value) : types.getTypeParser(oid, format),
};

type Queryable = Pick<Pool, 'query'> | PoolClient;

class PostgresSession implements SqlSession {
  constructor(private readonly client: Queryable) {}

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.client.query(toPostgresPlaceholders(sql), params as SqlValue[]);
    return result.rowCount ?? 0;
  }

  async get<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    const result = await this.client.query(toPostgresPlaceholders(sql), params as SqlValue[]);
    return result.rows[0] as Row | undefined;
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const result = await this.client.query(toPostgresPlaceholders(sql), params as SqlValue[]);
    return result.rows as Row[];
  }

  async allValues<Values extends readonly SqlValue[]>(sql: string, params: readonly SqlValue[] = []): Promise<Values[]> {
    const result = await this.client.query({ text: toPostgresPlaceholders(sql), values: params as SqlValue[], rowMode: 'array' });
    return result.rows as unknown as Values[];
  }
}

export interface PostgresReadModelOptions {
  readonly connectionString: string;
  /** The schema holding the read models (created if missing); default `read_models`. */
  readonly schema?: string;
  readonly poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;
/** An arbitrary constant key for the advisory lock that serialises read-model DDL. */
const DDL_LOCK = 4_318_055_219;

/** Read models in a PostgreSQL schema, on a pool shared by the queries; each transaction has its own client. */
export class PostgresReadModelDatabase implements ReadModelDatabase {
  readonly dialect = 'postgres';
  private readonly session: PostgresSession;

  private constructor(private readonly pool: Pool) {
    this.session = new PostgresSession(pool);
  }

  static async open({ connectionString, schema = 'read_models', poolSize = 10 }: PostgresReadModelOptions): Promise<PostgresReadModelDatabase> {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`Read-model schema name must match ${SCHEMA_NAME} (got "${schema}")`);
    const setup = new Pool({ connectionString, max: 1 });
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (error) {
      // Two processes starting together may race to create the schema; the loser sees a duplicate.
      if ((error as { code?: string }).code !== '23505') throw error;
    } finally {
      await setup.end();
    }
    const pool = new Pool({ connectionString, max: poolSize, options: sessionOptions(schema), application_name: `ecf-read-models:${schema}`, keepAlive: true, types: numericTypes });
    // A connection the server ended (idle in a transaction too long, restarted) is discarded by the pool; unhandled, it would crash the process.
    pool.on('error', () => undefined);
    watchPool('read-models', pool);
    return new PostgresReadModelDatabase(pool);
  }

  /** DDL runs under an advisory lock: `CREATE … IF NOT EXISTS` from two processes at once would otherwise race in the catalogue. */
  async exec(ddl: string): Promise<void> {
    await this.transaction(async (session) => {
      await session.get('SELECT pg_advisory_xact_lock(?)', [DDL_LOCK]);
      await session.run(ddl);
    });
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.session.run(sql, params);
  }

  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    return this.session.get<Row>(sql, params);
  }

  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.session.all<Row>(sql, params);
  }

  allValues<Values extends readonly SqlValue[]>(sql: string, params?: readonly SqlValue[]): Promise<Values[]> {
    return this.session.allValues<Values>(sql, params);
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // The pool listens for a connection's errors only while it is idle. Ended by the server while checked
    // out (idle in a transaction past the limit while this process was frozen, a restart), the connection
    // would emit an error no one handles and end the process; it fails this transaction instead, and is
    // discarded rather than returned to the pool.
    let broken: Error | undefined;
    const onConnectionError = (error: Error) => (broken = error);
    client.on('error', onConnectionError);
    try {
      await client.query('BEGIN');
      const result = await work(new PostgresSession(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
      throw error;
    } finally {
      client.off('error', onConnectionError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
