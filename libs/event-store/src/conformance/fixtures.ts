import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent, RecordedEvent } from '../event-store.port';

/** Fixtures for the conformance suite: unique ids everywhere, so adapters may share one database between tests. */

export const newStreamId = (prefix = 'conformance'): string => `${prefix}-${randomUUID()}`;

export function newEvent(type = 'ThingHappened', data: Record<string, unknown> = {}, commandId: string = randomUUID()): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      commandId,
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { id: 'api-key-1', role: 'admin' },
      schemaVersion: 1,
    },
  };
}

export const newEvents = (count: number, type = 'ThingHappened'): NewEvent[] =>
  Array.from({ length: count }, (_, index) => newEvent(type, { index }));

/** Every event after `after`, page by page, keeping only the given streams (other tests may share the store). */
export async function readAllOf(store: EventStore, streamIds: ReadonlySet<string>, after = 0): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = [];
  for (let position = after; ; ) {
    const page = await store.readAll({ after: position, maxCount: 500 });
    if (page.length === 0) return found;
    found.push(...page.filter((event) => streamIds.has(event.streamId)));
    position = page[page.length - 1].position;
  }
}

export const ids = (events: readonly { eventId: string }[]): string[] => events.map((event) => event.eventId);

export const isStrictlyIncreasing = (values: readonly number[]): boolean => values.every((value, index) => index === 0 || value > values[index - 1]);
