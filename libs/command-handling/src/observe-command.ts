import { Attributes } from '@opentelemetry/api';
import { DomainError } from '@ecf/domain';
import { isWrongExpectedRevision } from '@ecf/event-store';
import { CommandOrigin, CommandOutcomeKind, publishCommand, recordSpanFailure, tracer } from '@ecf/event-store/telemetry';
import type { CommandEnvelope } from './handle-command';

/** A command as the layer that handles it knows it, before it runs. */
export interface ObservedCommand {
  readonly origin: CommandOrigin;
  readonly type: string;
  readonly streamId: string;
  readonly participantId?: string;
  readonly envelope: CommandEnvelope;
  readonly dryRun?: boolean;
  /** The code of a rejection raised by the caller's own layer (an HTTP problem, say); a DomainError's is read here. */
  readonly rejectionCode?: (error: unknown) => string | undefined;
}

function classify(error: unknown, rejectionCode: ObservedCommand['rejectionCode']): { outcome: CommandOutcomeKind; code: string | null } {
  if (error instanceof DomainError) return { outcome: 'rejected', code: error.code };
  if (isWrongExpectedRevision(error)) return { outcome: 'conflict', code: null };
  const code = rejectionCode?.(error);
  return code === undefined ? { outcome: 'failed', code: null } : { outcome: 'rejected', code };
}

function commandAttributes({ origin, type, streamId, participantId, envelope, dryRun }: ObservedCommand): Attributes {
  return {
    'ecf.command.type': type,
    'ecf.command.origin': origin,
    'ecf.command.id': envelope.commandId,
    'ecf.correlation_id': envelope.correlationId,
    'ecf.causation_id': envelope.causationId,
    'ecf.actor.role': envelope.actor.role,
    'ecf.stream.id': streamId,
    ...(participantId === undefined ? {} : { 'ecf.participant.id': participantId }),
    ...(dryRun ? { 'ecf.command.dry_run': true } : {}),
  };
}

/**
 * Runs a command's handling as the span `command <Type>` (the active span while it runs, so its appends
 * are its children and its events carry its traceparent) and reports its outcome and duration. The
 * work resolves with the command's outcome; whatever it throws is classified, then rethrown as it was.
 */
export async function observeCommand<T extends { readonly replayed: boolean }>(command: ObservedCommand, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  return tracer.startActiveSpan(`command ${command.type}`, { attributes: commandAttributes(command) }, async (span) => {
    let outcome: CommandOutcomeKind = 'failed';
    let code: string | null = null;
    try {
      const result = await work();
      outcome = result.replayed ? 'replayed' : command.dryRun ? 'dry_run' : 'accepted';
      return result;
    } catch (error) {
      ({ outcome, code } = classify(error, command.rejectionCode));
      if (outcome === 'failed') recordSpanFailure(span, error);
      throw error;
    } finally {
      span.setAttribute('ecf.command.outcome', outcome);
      if (code !== null) span.setAttribute('ecf.command.rejection_code', code);
      span.end();
      publishCommand({ origin: command.origin, type: command.type, outcome, code, seconds: (performance.now() - started) / 1000 });
    }
  });
}

