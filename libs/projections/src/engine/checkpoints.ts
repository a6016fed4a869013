import type { Database } from 'better-sqlite3';

export type CheckpointStatus = 'running' | 'stopped' | 'failed';

export interface Checkpoint {
  readonly name: string;
  readonly version: number;
  readonly position: number;
  readonly status: CheckpointStatus;
  readonly lastError: string | null;
  readonly updatedAt: string;
}

interface CheckpointRow {
  name: string;
  version: number;
  position: number;
  status: CheckpointStatus;
  last_error: string | null;
  updated_at: string;
}

/**
 * One consumer's place in `$all` (projections and policies alike), kept in the read-model database
 * so it commits in the same transaction as the consumer's own writes.
 */
export class Checkpoints {
  constructor(
    private readonly db: Database,
    private readonly name: string,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  read(): Checkpoint | undefined {
    const row = this.db.prepare('SELECT * FROM projection_checkpoints WHERE name = ?').get(this.name) as CheckpointRow | undefined;
    if (!row) return undefined;
    return { name: row.name, version: row.version, position: row.position, status: row.status, lastError: row.last_error, updatedAt: row.updated_at };
  }

  /** The consumer's status for /health, at the version this code runs: its checkpoint, or "stopped" before its first start. */
  status(version: number): Checkpoint {
    const row = this.read();
    return row ? { ...row, version } : { name: this.name, version, position: 0, status: 'stopped', lastError: null, updatedAt: this.now() };
  }

  save(version: number, position: number, status: CheckpointStatus, lastError: string | null): void {
    this.db
      .prepare(
        `INSERT INTO projection_checkpoints (name, version, position, status, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, status = excluded.status,
           last_error = excluded.last_error, updated_at = excluded.updated_at`,
      )
      .run(this.name, version, position, status, lastError, this.now());
  }

  /** Records a failure without moving the position. */
  fail(error: unknown): void {
    this.db
      .prepare(`UPDATE projection_checkpoints SET status = 'failed', last_error = ?, updated_at = ? WHERE name = ?`)
      .run(describeError(error), this.now(), this.name);
  }

  /**
   * Compare-and-set: the checkpoint moves only from where this consumer left it. If another process
   * moved it, the caller's transaction rolls back and the consumer stops rather than apply events twice.
   */
  advance(from: number, to: number): void {
    const moved = this.db
      .prepare(`UPDATE projection_checkpoints SET position = ?, status = 'running', last_error = NULL, updated_at = ? WHERE name = ? AND position = ?`)
      .run(to, this.now(), this.name, from);
    if (moved.changes !== 1) {
      throw new Error(`Checkpoint of ${this.name} was moved by another process (expected ${from}); is a second projector running?`);
    }
  }
}

export const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
