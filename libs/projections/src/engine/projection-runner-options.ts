import { SqlDialect } from '../read-models/sql-database';

export interface ProjectionRunnerOptions {
  /** How often to look for a rebuild requested by another process (`ecf projections rebuild`). */
  readonly rebuildPollMs?: number;
  /** How long a retired generation's tables stay, for queries that looked up the generation just before the swap. */
  readonly retiredGraceMs?: number;
  /** Events read from `$all` at a time (default 250 on SQLite, 2000 on PostgreSQL: reading and decoding them holds the event loop too). */
  readonly batchSize?: number;
  /** Events read at a time while a single-stream projection is built stream by stream (default as `batchSize`). */
  readonly streamBatchSize?: number;
  /**
   * How long the event loop may be held at a time, in milliseconds of its busy time (default 5 on
   * SQLite, 25 on PostgreSQL, where most of a slice is spent waiting for the server): what is read is
   * applied in slices sized by time, with a turn of the event loop between them, so a rebuild never
   * stalls requests or the policies (better-sqlite3 is synchronous).
   */
  readonly sliceMs?: number;
  /** How much work one transaction may hold (default 100 ms on SQLite, whose other writers wait for it; 2000 on PostgreSQL, where each commit waits for the disk). */
  readonly transactionMs?: number;
  readonly logger?: { info(details: object, message: string): void; error?(details: object, message: string): void };
}

/**
 * Budgets per slice and per transaction, and events per read, measured on SQLite and PostgreSQL
 * (docs/benchmarks.md). On PostgreSQL each transaction is round trips and a commit that waits for the
 * disk, and no other writer waits for it: fewer, larger transactions and reads.
 */
export const RUNNER_DEFAULTS: Record<SqlDialect, { readonly sliceMs: number; readonly transactionMs: number; readonly readBatch: number }> = {
  sqlite: { sliceMs: 5, transactionMs: 100, readBatch: 250 },
  postgres: { sliceMs: 25, transactionMs: 2000, readBatch: 2000 },
};
