import { EventStoreDBClient } from '@eventstore/db-client';
import { ReadAllOptions, RecordedEvent } from '../event-store.port';
import { drain } from './drain';
import { fromResolvedEvent } from './esdb-event-mapping';
import { positionOf, toReadPosition } from './esdb-position';
import { requireNonNegativeInteger } from './read-limits';
import { isSystemEvent } from './system-events';

export type AllReader = Pick<EventStoreDBClient, 'readAll'>;

/** A default page size keeps a reader that forgot maxCount from loading the whole log into memory. */
export const DEFAULT_READ_ALL_COUNT = 1000;

/**
 * Our events after a position, in `$all` order, at most maxCount of them. Version 6 of the client
 * cannot pass a filter on a plain read of `$all` (only subscriptions take one), so system events are
 * dropped here, page by page, until the page is full or the log ends; so are events of other types
 * than the `types` asked for.
 */
export async function readAllAfter(client: AllReader, options: ReadAllOptions): Promise<RecordedEvent[]> {
  const after = requireNonNegativeInteger('after', options.after ?? 0);
  const maxCount = requireNonNegativeInteger('maxCount', options.maxCount ?? DEFAULT_READ_ALL_COUNT);
  const types = options.types === undefined ? null : new Set(options.types);
  const found: RecordedEvent[] = [];
  let from = after;
  while (found.length < maxCount) {
    // A forward read includes the event at its starting position, so one more is asked for and dropped.
    // Filtered by type, a page may keep few of what it reads: read whole pages rather than a trickle.
    const requested = types === null ? maxCount - found.length + 1 : Math.max(maxCount - found.length + 1, DEFAULT_READ_ALL_COUNT);
    const page = await drain(client.readAll({ fromPosition: toReadPosition(from), maxCount: requested }));
    for (const resolved of page) {
      if (found.length === maxCount) break;
      if (positionOf(resolved) <= from || isSystemEvent(resolved)) continue;
      const event = fromResolvedEvent(resolved);
      if (types === null || types.has(event.type)) found.push(event);
    }
    if (page.length < requested) break;
    from = positionOf(page[page.length - 1]);
  }
  return found;
}
