import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '@ecf/event-store';

/**
 * A projection is declared, not hand-wired: its name and version, the event types it handles, the
 * tables it owns and how each event changes them. The engine owns checkpoints, batching and errors.
 * `apply` runs inside the engine's transaction, so read-model writes and the checkpoint commit together.
 */
export interface Projection {
  readonly name: string;
  /** Bump when the read model's shape or meaning changes; the engine then rebuilds it from the log. */
  readonly version: number;
  readonly handles: readonly string[];
  /** DDL for the projection's tables; must be idempotent (CREATE ... IF NOT EXISTS). */
  readonly schema: readonly string[];
  /** Tables dropped before a rebuild. */
  readonly tables: readonly string[];
  apply(event: RecordedEvent, db: Database): void;
}
