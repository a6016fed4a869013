import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SynchronousMode = 'FULL' | 'NORMAL';

/**
 * Opens the file with the settings the store relies on: WAL so readers never block the writer,
 * FULL sync by default so an acknowledged append survives power loss (NORMAL only risks the last
 * commits, never corruption), and a busy timeout so a second process waits for the write lock
 * instead of failing at once.
 */
export function openDatabase(filename: string, synchronous: SynchronousMode): Database.Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const db = new Database(filename);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
