import { ReadModelDatabase } from '../read-models/sql-database';
import { eventLoopBusyMs, yieldToEventLoop } from './time-slices';

/**
 * Drops a table without holding the event loop for long. SQLite frees every page of a dropped table in
 * one synchronous call — 20 to 40 ms per table of a 30 000-event log's programme read model, seconds at
 * national scale — so there the table is first emptied a slice of rows at a time (each slice about
 * `sliceMs` of work), with a turn of the event loop between slices. PostgreSQL drops a table's files
 * when the transaction commits: it is dropped at once.
 */
export async function dropTableInSlices(db: ReadModelDatabase, table: string, sliceMs = 5): Promise<void> {
  if (db.dialect === 'sqlite') {
    for (let rows = 500; ; ) {
      await yieldToEventLoop();
      const began = eventLoopBusyMs();
      // A table that is not there (or has no rowid) is simply dropped below.
      const deleted = await db.run(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} LIMIT ?)`, [rows]).catch(() => 0);
      if (deleted < rows) break;
      rows = Math.max(100, Math.min(50_000, Math.floor((rows * sliceMs) / Math.max(eventLoopBusyMs() - began, 0.1))));
    }
  }
  await db.exec(`DROP TABLE IF EXISTS ${table}`);
}
