import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dataFiles } from './data-files';

export type DataDirLockMode = 'shared' | 'exclusive';

/** The directory is locked in a mode that excludes the one asked for. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly wanted: DataDirLockMode,
  ) {
    super(
      wanted === 'exclusive'
        ? `DATA_DIR ${dataDir} is in use by a running API or projector. Stop it first, or pass --force to write beside it ` +
            `(its projections and policies then follow what this command writes). The processes holding it: fuser ${dataFiles(dataDir).inUseLock}`
        : `DATA_DIR ${dataDir} is locked by a command that must not share it with a running process (ecf seed); wait for it to finish. ` +
            `The process holding it: fuser ${dataFiles(dataDir).inUseLock}`,
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * Who is using a data directory, as a lock the operating system keeps: SQLite's own file lock on
 * `DATA_DIR/in-use.lock` (fcntl on Unix, LockFileEx on Windows). The API and the projector hold it
 * shared for their lifetime (any number of them at once); a command that must not write beside them
 * (`ecf seed`) takes it exclusive, and waits for no one. The kernel drops a process's locks when it
 * ends, however it ends (SIGKILL included), so the lock cannot outlive its holder; nothing is written,
 * so there is nothing stale to clean up. Local file systems only: network file systems' locks are not
 * to be relied on.
 */
export class DataDirLock {
  private constructor(
    private readonly db: Database.Database,
    readonly mode: DataDirLockMode,
  ) {}

  /** Throws DataDirInUseError if another process holds the directory in a conflicting mode. */
  static acquire(dataDir: string, mode: DataDirLockMode): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(dataFiles(dataDir).inUseLock, { timeout: 0 });
    try {
      // In SQLite's default rollback-journal mode a read transaction holds the SHARED lock until it
      // ends; EXCLUSIVE is granted only when no other connection holds SHARED, and keeps every other one out.
      if (mode === 'exclusive') db.exec('BEGIN EXCLUSIVE');
      else {
        db.exec('BEGIN');
        db.prepare('SELECT count(*) FROM sqlite_master').get();
      }
      return new DataDirLock(db, mode);
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dataDir, mode);
      throw error;
    }
  }

  release(): void {
    if (!this.db.open) return;
    this.db.exec('ROLLBACK');
    this.db.close();
  }
}
