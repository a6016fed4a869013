import type { Database } from 'better-sqlite3';
import { ExpectedRevision, NewEvent } from '../event-store.port';
import { Append } from './append';

type Outcome = ReturnType<Append>;

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

/**
 * Group commit: the appends requested during one turn of the event loop (concurrent requests) are
 * written in one BEGIN IMMEDIATE transaction and made durable by its one COMMIT — one sync to disk
 * for the group instead of one per append. Each append runs in a savepoint of its own (the append
 * unit nests), so it stays atomic: one that fails (a stale expected revision, a bad batch) is rolled
 * back alone and refused, the others commit. No append is answered before the COMMIT that made it
 * durable; if that COMMIT fails, every append of the group is refused and none was written.
 */
export class GroupCommit {
  private pending: PendingAppend[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Database,
    private readonly append: Append,
  ) {}

  submit(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.pending.push({ streamId, events, expectedRevision, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After this turn's I/O callbacks, so that every request that reached its append joins the group.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes and commits whatever is pending now (also called before the database closes). */
  flush(): void {
    this.scheduled = false;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    if (group.length === 1) {
      // Alone in its turn (a sequential writer): its own transaction, no savepoint to pay for.
      const [only] = group;
      try {
        only.resolve(this.append(only.streamId, only.events, only.expectedRevision));
      } catch (error) {
        only.reject(error);
      }
      return;
    }
    const outcomes: ({ ok: true; value: Outcome } | { ok: false; error: unknown })[] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const { streamId, events, expectedRevision } of group) {
        try {
          outcomes.push({ ok: true, value: this.append(streamId, events, expectedRevision) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const append of group) append.reject(error);
      return;
    }
    group.forEach((append, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) append.resolve(outcome.value);
      else append.reject(outcome.error);
    });
  }
}
