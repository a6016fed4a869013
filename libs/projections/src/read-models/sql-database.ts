/** The values our read models hold: text, numbers and null (booleans are stored as 0/1). */
export type SqlValue = string | number | null;

/**
 * What a projection or a query may do with its database. SQL is written once, with `?` placeholders
 * and the subset both SQLite and PostgreSQL accept (`ON CONFLICT … DO …`, no `rowid`, no `INSERT OR`).
 */
export interface SqlSession {
  /** Runs a statement; resolves with the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Each row as the array of its values in the SELECT's order: no object per row, for reads of many rows. */
  allValues<Values extends readonly SqlValue[]>(sql: string, params?: readonly SqlValue[]): Promise<Values[]>;
}

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * The read-model store: the embedded SQLite file or a PostgreSQL schema. A projection's writes and its
 * checkpoint go through one `transaction`, so they commit together or not at all; reads outside a
 * transaction see only committed data.
 */
export interface ReadModelDatabase extends SqlSession {
  readonly dialect: SqlDialect;
  /** Runs DDL (one or more statements). */
  exec(ddl: string): Promise<void>;
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `IN (?, ?, …)` for a list of values. */
export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');
