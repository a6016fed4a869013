import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ReadModelDatabase, SqlSession, SqlValue } from './sql-database';

function openConnection(filename: string, readonly: boolean): Database.Database {
  const db = new Database(filename, { readonly });
  db.pragma('busy_timeout = 5000');
  if (!readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** A session on one connection, with statements prepared once per SQL text. */
class SqliteSession implements SqlSession {
  private readonly statements = new Map<string, Database.Statement>();
  /** Apart from `statements`: `raw()` switches a prepared statement's mode for every later call. */
  private readonly rawStatements = new Map<string, Database.Statement>();
  /** Column names of the raw statements `all` reads, in the order SQLite returns them. */
  private readonly columnNames = new WeakMap<Database.Statement, readonly string[]>();

  constructor(readonly connection: Database.Database) {}

  private statement(sql: string): Database.Statement {
    return this.prepared(this.statements, sql, (statement) => statement);
  }

  private rawStatement(sql: string): Database.Statement {
    return this.prepared(this.rawStatements, sql, (statement) => statement.raw(true));
  }

  private prepared(cache: Map<string, Database.Statement>, sql: string, mode: (statement: Database.Statement) => Database.Statement): Database.Statement {
    let statement = cache.get(sql);
    if (!statement) {
      statement = mode(this.connection.prepare(sql));
      if (cache.size > 500) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.statement(sql).run(...params).changes;
  }

  async get<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  /**
   * Rows read as arrays and made into objects here: for pages of wide rows (the participant list's 26
   * columns) that costs about a third less than better-sqlite3 building each object itself. The objects
   * are the same: one property per column in column order, a repeated name keeping its last value.
   */
  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const statement = this.rawStatement(sql);
    let names = this.columnNames.get(statement);
    if (names === undefined) {
      names = statement.columns().map((column) => column.name);
      this.columnNames.set(statement, names);
    }
    return (statement.all(...params) as SqlValue[][]).map((values) => rowObject(names, values) as Row);
  }

  async allValues<Values extends readonly SqlValue[]>(sql: string, params: readonly SqlValue[] = []): Promise<Values[]> {
    return this.rawStatement(sql).all(...params) as Values[];
  }
}

function rowObject(names: readonly string[], values: readonly SqlValue[]): Record<string, SqlValue> {
  const row: Record<string, SqlValue> = {};
  for (let index = 0; index < names.length; index++) row[names[index]] = values[index];
  return row;
}

/**
 * The embedded read-model store: one SQLite file (WAL). Writes go through one connection, one
 * transaction at a time (several consumers share it, and an async transaction must not interleave
 * with another's statements); reads use a second connection, so a query never sees a batch that has
 * not committed.
 */
export class SqliteReadModelDatabase implements ReadModelDatabase {
  readonly dialect = 'sqlite';
  private readonly writer: SqliteSession;
  private reader: SqliteSession | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly filename: string) {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    this.writer = new SqliteSession(openConnection(filename, false));
  }

  static open(filename: string): SqliteReadModelDatabase {
    return new SqliteReadModelDatabase(filename);
  }

  /** In-memory databases cannot be shared between connections: reads then use the writer. */
  private get readSession(): SqliteSession {
    if (this.filename === ':memory:') return this.writer;
    this.reader ??= new SqliteSession(openConnection(this.filename, true));
    return this.reader;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async exec(ddl: string): Promise<void> {
    await this.serialised(async () => this.writer.connection.exec(ddl));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.serialised(() => this.writer.run(sql, params));
  }

  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    return this.readSession.get<Row>(sql, params);
  }

  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.readSession.all<Row>(sql, params);
  }

  allValues<Values extends readonly SqlValue[]>(sql: string, params?: readonly SqlValue[]): Promise<Values[]> {
    return this.readSession.allValues<Values>(sql, params);
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.serialised(async () => {
      const connection = this.writer.connection;
      connection.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.writer);
        connection.exec('COMMIT');
        return result;
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.queue;
    this.reader?.connection.close();
    this.writer.connection.close();
  }
}
