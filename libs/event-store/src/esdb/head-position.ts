import { BACKWARDS, END, EventStoreDBClient, ReadPosition } from '@eventstore/db-client';
import { drain } from './drain';
import { positionOf, toEsdbPosition } from './esdb-position';
import { isSystemEvent } from './system-events';

/** System events are usually few between ours (a link or two per event when system projections run). */
const PAGE_SIZE = 100;

/**
 * The position of our last event, 0 when there is none: `$all` read backwards from its end, past any
 * system events written after it (the read cannot be filtered on the server with this client).
 */
export async function readHeadPosition(client: Pick<EventStoreDBClient, 'readAll'>): Promise<number> {
  for (let from: ReadPosition = END; ; ) {
    const page = await drain(client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: PAGE_SIZE }));
    const latest = page.find((resolved) => !isSystemEvent(resolved));
    if (latest !== undefined) return positionOf(latest);
    if (page.length < PAGE_SIZE) return 0;
    // A backward read from a position starts just before it.
    from = toEsdbPosition(positionOf(page[page.length - 1]));
  }
}
