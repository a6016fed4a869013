import { AllStreamResolvedEvent, excludeSystemEvents, RegexFilter, ResolvedEvent } from '@eventstore/db-client';

/**
 * `$all` also carries the server's own events (stream metadata, link events of system projections,
 * statistics, subscription checkpoints). They are not part of our log: readers never see them and
 * positions never point at them. By convention their type or their stream name starts with `$`.
 * A link whose event is gone (only seen when links are resolved, which this adapter never asks for)
 * is not one of ours either.
 */
export function isSystemEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): boolean {
  const event = resolved.event;
  return event === undefined || event.type.startsWith('$') || event.streamId.startsWith('$');
}

/**
 * The server-side filter for subscriptions to `$all`. It matches on event types only (some older
 * servers write non-`$` types into `$` streams), so isSystemEvent still checks what it lets through.
 */
export const userEventsOnly = (): RegexFilter => excludeSystemEvents();
