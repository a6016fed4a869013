import { ReadModelDatabase, SqlSession, SqlValue } from '../read-models/sql-database';

export interface Fence {
  /** In a write transaction, before its writes: throws (rolling it back) unless this process still holds the lease. */
  check(session: SqlSession): Promise<void>;
  /** Outside a transaction (DDL): throws unless the lease is still held, as far as the database says now. */
  assertHeld(): Promise<void>;
}

/**
 * The read-model database as one leased consumer sees it: every write commits only while the lease is
 * held. Transactions and single statements check the lease inside their own transaction (the check
 * locks the lease row until commit, so a takeover cannot slip between the check and the writes); DDL,
 * which opens its own transaction, checks just before. Reads go straight through.
 */
export function fencedReadModelDatabase(db: ReadModelDatabase, fence: Fence): ReadModelDatabase {
  return {
    dialect: db.dialect,
    get: <Row>(sql: string, params?: readonly SqlValue[]) => db.get<Row>(sql, params),
    all: <Row>(sql: string, params?: readonly SqlValue[]) => db.all<Row>(sql, params),
    allValues: <Values extends readonly SqlValue[]>(sql: string, params?: readonly SqlValue[]) => db.allValues<Values>(sql, params),
    run: (sql, params) =>
      db.transaction(async (session) => {
        await fence.check(session);
        return session.run(sql, params);
      }),
    transaction: (work) =>
      db.transaction(async (session) => {
        await fence.check(session);
        return work(session);
      }),
    exec: async (ddl) => {
      await fence.assertHeld();
      await db.exec(ddl);
    },
    // The database belongs to the process, not to the consumer.
    close: async () => undefined,
  };
}
