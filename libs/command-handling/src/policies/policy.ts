import type { RecordedEvent } from '@ecf/event-store';
import type { SqlSession } from '@ecf/projections';
import type { CommandEnvelope } from '../handle-command';

/** A command a policy issues, addressed to the stream it must be decided on. */
export interface PolicyCommand<Command = unknown> {
  readonly streamId: string;
  readonly command: Command;
}

/**
 * A policy reacts to events from the `$all` subscription by issuing ordinary commands. It keeps the
 * facts it decides on in its own tables (updated in the same transaction as its checkpoint), so its
 * decisions never depend on how far another projection has got.
 */
export interface Policy<Command = unknown> {
  readonly name: string;
  /** Bump when the facts table changes shape; the runner rebuilds it without re-issuing old commands. */
  readonly version: number;
  /** Event types that update the policy's facts. */
  readonly tracks: readonly string[];
  /** Event types the policy may react to with commands. */
  readonly reactsTo: readonly string[];
  readonly schema: readonly string[];
  readonly tables: readonly string[];
  /** The commands to issue for `event`, decided on the facts as they stood just before it. */
  react(event: RecordedEvent, db: SqlSession): Promise<PolicyCommand<Command>[]>;
  /** Folds `event` into the facts (runs inside the runner's transaction). */
  apply(event: RecordedEvent, db: SqlSession): Promise<void>;
}

/** Executes a policy's command through the ordinary command path; resolves with the events it produced. */
export type PolicyCommandExecutor<Command = unknown> = (command: PolicyCommand<Command>, envelope: CommandEnvelope) => Promise<{ events: unknown[]; replayed: boolean }>;

/** Points where a test may kill the worker to prove nothing is lost or applied twice. */
export interface PolicyFaultHooks {
  beforeCommand?(policy: string, event: RecordedEvent): void;
  afterCommand?(policy: string, event: RecordedEvent): void;
}
