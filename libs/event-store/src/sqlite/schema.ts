import type { Database } from 'better-sqlite3';
import { Migration, migrations as allMigrations } from './migrations';

/**
 * Brings the file to the latest schema version. Runs under BEGIN IMMEDIATE so two processes opening
 * the same new file cannot both apply a migration: the second waits, then sees it applied.
 */
export function migrate(db: Database, now: () => string, migrations: readonly Migration[] = allMigrations): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations');
  const record = db.prepare<[number, string, string]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    const done = new Set(applied.all().map((row) => row.version));
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now());
    }
  }).immediate();
}

