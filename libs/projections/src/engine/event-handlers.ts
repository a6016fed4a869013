import type { DomainEvent } from '@ecf/domain';
import { RecordedEvent, toDomainEvent } from '@ecf/event-store';

/** The domain event of one type. */
export type EventOf<Type extends DomainEvent['type']> = Extract<DomainEvent, { type: Type }>;

/**
 * A projection's handlers, one per event type it handles, each given its event typed: the types the
 * projection handles are the map's keys, so its list cannot drift from its code.
 */
export type EventHandlers<Context> = { readonly [Type in DomainEvent['type']]?: (event: EventOf<Type>, context: Context) => Promise<void> };

/** The event types a handler map handles. */
export const handledTypes = <Context>(handlers: EventHandlers<Context>): string[] => Object.keys(handlers);

/** Runs the handler for the recorded event's type, if there is one, with the event as the domain knows it. */
export async function dispatch<Context>(handlers: EventHandlers<Context>, recorded: RecordedEvent, context: Context): Promise<void> {
  const handler = handlers[recorded.type as DomainEvent['type']] as ((event: DomainEvent, context: Context) => Promise<void>) | undefined;
  if (handler) await handler(toDomainEvent<DomainEvent>(recorded), context);
}
