import type { Database } from 'better-sqlite3';
import { CatchUpSubscription, EventStore, RecordedEvent, subscribeToAll } from '@ecf/event-store';
import { Checkpoint, Checkpoints, describeError } from './checkpoints';
import { Projection } from './projection';

/** What /health reports for a projection or a policy. */
export type ProjectionStatus = Checkpoint;

/**
 * Runs one projection from the `$all` subscription. Each batch's read-model writes and the new
 * checkpoint commit in one SQLite transaction, so a crash between batches never double-applies.
 * A handler that throws stops this projection (status failed, error kept); it never skips the event.
 */
export class ProjectionRunner {
  private subscription: CatchUpSubscription | null = null;
  private readonly checkpoints: Checkpoints;

  constructor(
    private readonly store: EventStore,
    private readonly db: Database,
    readonly projection: Projection,
    now: () => string = () => new Date().toISOString(),
  ) {
    this.checkpoints = new Checkpoints(db, projection.name, now);
  }

  start(): void {
    const after = this.prepare();
    const handled = new Set(this.projection.handles);
    let position = after;
    const applyBatch = this.db.transaction((batch: RecordedEvent[]) => {
      for (const event of batch) if (handled.has(event.type)) this.applyOne(event);
      this.checkpoints.advance(position, batch[batch.length - 1].position);
      position = batch[batch.length - 1].position;
    });
    this.subscription = subscribeToAll(this.store, {
      after,
      handle: (batch) => applyBatch(batch),
      onError: (error) => this.checkpoints.fail(error),
    });
  }

  private applyOne(event: RecordedEvent): void {
    try {
      this.projection.apply(event, this.db);
    } catch (error) {
      throw new Error(`${this.projection.name} failed on ${event.type} at position ${event.position} (${event.streamId}@${event.revision}): ${describeError(error)}`);
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
    return this.checkpoints.status(this.projection.version);
  }

  /** Creates the tables; a new projection version drops the old read model and replays from the start. */
  private prepare(): number {
    const row = this.checkpoints.read();
    if (row && row.version !== this.projection.version) {
      for (const table of this.projection.tables) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
    }
    for (const ddl of this.projection.schema) this.db.exec(ddl);
    const after = row && row.version === this.projection.version ? row.position : 0;
    this.checkpoints.save(this.projection.version, after, 'running', null);
    return after;
  }
}
