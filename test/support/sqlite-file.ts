import Database from 'better-sqlite3';
import { join } from 'node:path';

/** Reads one of an API's SQLite files directly (read-only), as an auditor or an operator with disk access would. */
export function readSqliteFile<T>(dataDir: string, file: 'events.sqlite' | 'read-models.sqlite', read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, file), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
