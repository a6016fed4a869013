import type { Database } from 'better-sqlite3';
import { CatchUpSubscription, EventStore, RecordedEvent, subscribeToAll } from '@ecf/event-store';
import { Projection } from './projection';

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly position: number;
  readonly status: 'running' | 'stopped' | 'failed';
  readonly lastError: string | null;
  readonly updatedAt: string;
}

interface CheckpointRow {
  name: string;
  version: number;
  position: number;
  status: ProjectionStatus['status'];
  last_error: string | null;
  updated_at: string;
}

/**
 * Runs one projection from the `$all` subscription. Each batch's read-model writes and the new
 * checkpoint commit in one SQLite transaction, so a crash between batches never double-applies.
 * A handler that throws stops this projection (status failed, error kept); it never skips the event.
 */
export class ProjectionRunner {
  private subscription: CatchUpSubscription | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly db: Database,
    readonly projection: Projection,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  start(): void {
    const after = this.prepare();
    const handled = new Set(this.projection.handles);
    let position = after;
    const applyBatch = this.db.transaction((batch: RecordedEvent[]) => {
      for (const event of batch) if (handled.has(event.type)) this.applyOne(event);
      this.advanceCheckpoint(position, batch[batch.length - 1].position);
      position = batch[batch.length - 1].position;
    });
    this.subscription = subscribeToAll(this.store, {
      after,
      handle: (batch) => applyBatch(batch),
      onError: (error) => this.saveCheckpoint(this.checkpoint()?.position ?? 0, 'failed', describe(error)),
    });
  }

  private applyOne(event: RecordedEvent): void {
    try {
      this.projection.apply(event, this.db);
    } catch (error) {
      throw new Error(`${this.projection.name} failed on ${event.type} at position ${event.position} (${event.streamId}@${event.revision}): ${describe(error)}`);
    }
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }

  /** Resolves once every event up to `position` (default: the head now) is in the read model. */
  async waitUntilCaughtUp(position?: number): Promise<void> {
    if (!this.subscription) throw new Error(`Projection ${this.projection.name} is not running`);
    await this.subscription.waitUntilCaughtUp(position);
  }

  status(): ProjectionStatus {
    const row = this.checkpoint();
    return {
      name: this.projection.name,
      version: this.projection.version,
      position: row?.position ?? 0,
      status: row?.status ?? 'stopped',
      lastError: row?.last_error ?? null,
      updatedAt: row?.updated_at ?? this.now(),
    };
  }

  /** Creates the tables; a new projection version drops the old read model and replays from the start. */
  private prepare(): number {
    const row = this.checkpoint();
    if (row && row.version !== this.projection.version) {
      for (const table of this.projection.tables) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
    }
    for (const ddl of this.projection.schema) this.db.exec(ddl);
    const after = row && row.version === this.projection.version ? row.position : 0;
    this.saveCheckpoint(after, 'running', null);
    return after;
  }

  /**
   * Compare-and-set: the checkpoint moves only from where this runner left it. If another process
   * moved it, the batch rolls back and this runner stops rather than apply events twice.
   */
  private advanceCheckpoint(from: number, to: number): void {
    const moved = this.db
      .prepare(`UPDATE projection_checkpoints SET position = ?, status = 'running', last_error = NULL, updated_at = ? WHERE name = ? AND position = ?`)
      .run(to, this.now(), this.projection.name, from);
    if (moved.changes !== 1) {
      throw new Error(`Checkpoint of ${this.projection.name} was moved by another process (expected ${from}); is a second projector running?`);
    }
  }

  private checkpoint(): CheckpointRow | undefined {
    return this.db.prepare('SELECT * FROM projection_checkpoints WHERE name = ?').get(this.projection.name) as CheckpointRow | undefined;
  }

  private saveCheckpoint(position: number, status: ProjectionStatus['status'], lastError: string | null): void {
    this.db
      .prepare(
        `INSERT INTO projection_checkpoints (name, version, position, status, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, status = excluded.status,
           last_error = excluded.last_error, updated_at = excluded.updated_at`,
      )
      .run(this.projection.name, this.projection.version, position, status, lastError, this.now());
  }
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
