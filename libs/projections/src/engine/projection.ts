import type { RecordedEvent } from '@ecf/event-store';
import { SqlSession } from '../read-models/sql-database';

/** The physical name of one of a projection's tables in the generation being written or read. */
export type TableName = (logical: string) => string;

export const generationTable = (generation: number): TableName => (logical) => `${logical}_g${generation}`;

/**
 * A projection is declared, not hand-wired: its name and version, the event types it handles, the
 * tables it owns and how a batch of events changes them. The engine owns checkpoints, generations,
 * batching and errors. `apply` runs inside the engine's transaction, so read-model writes and the
 * checkpoint commit together. Tables are named through `table`, so a rebuild can write a new
 * generation beside the live one.
 */
export interface Projection {
  readonly name: string;
  /** Bump when the read model's shape or meaning changes; the engine then rebuilds it beside the live one. */
  readonly version: number;
  readonly handles: readonly string[];
  /** Logical names of the tables it owns (dropped with a retired generation). */
  readonly tables: readonly string[];
  /** DDL for the projection's tables; idempotent (CREATE … IF NOT EXISTS). */
  schema(table: TableName): readonly string[];
  /**
   * Set on a single-stream projection: what it writes for a stream depends on that stream's events
   * alone, in their order (never on other streams or on `$all` order). Built from nothing on a store
   * that can read stream by stream, it is then built one stream at a time (the streams with this
   * prefix) before following `$all`.
   */
  readonly singleStream?: { readonly streamPrefix: string };
  /** Applies the handled events of one batch: in `$all` order, or stream by stream for a single-stream projection. */
  apply(events: readonly RecordedEvent[], session: SqlSession, table: TableName): Promise<void>;
}

/** A handler threw on this event: the projection stops on it (a poison event) and says which it was. */
export class ProjectionEventError extends Error {
  constructor(
    readonly event: RecordedEvent,
    cause: unknown,
  ) {
    super(`on ${event.type} at position ${event.position} (${event.streamId}@${event.revision}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ProjectionEventError';
  }
}

/** Runs `work` for one event, naming the event if it throws. */
export async function forEvent<T>(event: RecordedEvent, work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof ProjectionEventError ? error : new ProjectionEventError(event, error);
  }
}

/** For projections that change their tables event by event. */
export const eachEvent =
  (apply: (event: RecordedEvent, session: SqlSession, table: TableName) => Promise<void>) =>
  async (events: readonly RecordedEvent[], session: SqlSession, table: TableName): Promise<void> => {
    for (const event of events) await forEvent(event, () => apply(event, session, table));
  };
