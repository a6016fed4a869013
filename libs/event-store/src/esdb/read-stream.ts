import { EventStoreDBClient, StreamNotFoundError } from '@eventstore/db-client';
import { ReadStreamOptions, RecordedEvent } from '../event-store.port';
import { drain } from './drain';
import { fromResolvedEvent } from './esdb-event-mapping';
import { requireNonNegativeInteger, toEpochMillis } from './read-limits';

export type StreamReader = Pick<EventStoreDBClient, 'readStream'>;

/**
 * A stream's events in order, an empty array for a stream that does not exist. ESDB cannot filter on
 * our recordedAt, so that filter runs here; the count then applies to what it kept (as in the other
 * adapters), which means a time-travel read fetches the stream from `fromRevision` to its end.
 */
export async function readStreamEvents(client: StreamReader, streamId: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
  const fromRevision = requireNonNegativeInteger('fromRevision', options.fromRevision ?? 0);
  const maxCount = options.maxCount === undefined ? undefined : requireNonNegativeInteger('maxCount', options.maxCount);
  const cutoff = options.recordedAtOrBefore === undefined ? undefined : toEpochMillis(options.recordedAtOrBefore);
  if (maxCount === 0) return [];

  const serverCount = cutoff === undefined ? maxCount : undefined;
  const read = client.readStream(streamId, { fromRevision: BigInt(fromRevision), ...(serverCount === undefined ? {} : { maxCount: serverCount }) });
  let events: RecordedEvent[];
  try {
    events = (await drain(read)).map(fromResolvedEvent);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  if (cutoff === undefined) return events;
  const known = events.filter((event) => Date.parse(event.recordedAt) <= cutoff);
  return maxCount === undefined ? known : known.slice(0, maxCount);
}
