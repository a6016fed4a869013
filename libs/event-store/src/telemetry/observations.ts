import { channel } from 'node:diagnostics_channel';
import { trace } from '@opentelemetry/api';

/**
 * What the command path reports as it runs, for whoever measures it (libs/runtime's metrics subscribe
 * in the apps). Published on Node's diagnostics channels: with no subscriber, publishing is skipped.
 */

/** The tracer of the command path; a no-op until an app starts the tracing SDK (OTEL_EXPORTER_OTLP_ENDPOINT). */
export const tracer = trace.getTracer('ecf-induction-engine');

/** Who issued a command: an API caller or a policy reacting to an event. */
export type CommandOrigin = 'api' | 'policy';

/**
 * How a command ended: `accepted` (decided; its events, if any, appended), `replayed` (a retry of a
 * command already in the stream: the first answer), `dry_run`, `rejected` (the domain or the caller's
 * request said no, with a code), `conflict` (the stream moved: a stale If-Match, or retries exhausted),
 * `failed` (anything else: a fault, not an answer).
 */
export type CommandOutcomeKind = 'accepted' | 'replayed' | 'dry_run' | 'rejected' | 'conflict' | 'failed';

export interface CommandObservation {
  readonly origin: CommandOrigin;
  readonly type: string;
  readonly outcome: CommandOutcomeKind;
  /** The rejection's code (e.g. PAUSE_TOO_LONG), null for every other outcome. */
  readonly code: string | null;
  readonly seconds: number;
}

export type AppendOutcomeKind = 'appended' | 'conflict' | 'failed';

export interface AppendObservation {
  readonly outcome: AppendOutcomeKind;
  readonly events: number;
  readonly seconds: number;
}

export const COMMAND_CHANNEL = 'ecf:command';
export const APPEND_CHANNEL = 'ecf:event-store-append';

const commands = channel(COMMAND_CHANNEL);
const appends = channel(APPEND_CHANNEL);

export function publishCommand(observation: CommandObservation): void {
  if (commands.hasSubscribers) commands.publish(observation);
}

export function publishAppend(observation: AppendObservation): void {
  if (appends.hasSubscribers) appends.publish(observation);
}
