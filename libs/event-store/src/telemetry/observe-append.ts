import { Span, SpanStatusCode } from '@opentelemetry/api';
import { isWrongExpectedRevision } from '../errors';
import { AppendResult, NewEvent } from '../event-store.port';
import { AppendOutcomeKind, publishAppend, tracer } from './observations';

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Marks a span failed with its error. */
export function recordSpanFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : describe(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) });
}

/** One append to the store as the span `eventstore.append`, its duration and outcome reported. */
export async function observeAppend(streamId: string, events: readonly NewEvent[], expectedRevision: number | string, append: () => Promise<AppendResult>): Promise<AppendResult> {
  const started = performance.now();
  const attributes = { 'ecf.stream.id': streamId, 'ecf.append.events': events.length, 'ecf.append.expected_revision': String(expectedRevision) };
  return tracer.startActiveSpan('eventstore.append', { attributes }, async (span) => {
    let outcome: AppendOutcomeKind = 'failed';
    try {
      const result = await append();
      outcome = 'appended';
      span.setAttribute('ecf.append.position', result.position);
      return result;
    } catch (error) {
      outcome = isWrongExpectedRevision(error) ? 'conflict' : 'failed';
      if (outcome === 'failed') recordSpanFailure(span, error);
      throw error;
    } finally {
      span.setAttribute('ecf.append.outcome', outcome);
      span.end();
      publishAppend({ outcome, events: events.length, seconds: (performance.now() - started) / 1000 });
    }
  });
}
