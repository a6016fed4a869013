import { EventStore, ReadStreamOptions } from '@ecf/event-store';

/**
 * The store as it is, but each `readStream` call pushes the revision it starts from onto `reads`:
 * what a spec counts to tell a read of the whole stream (0) from a read of the tail past a kept fold.
 */
export function countingStreamReads(store: EventStore, reads: number[]): EventStore {
  const seen = Object.create(store) as EventStore;
  seen.readStream = (streamId: string, options?: ReadStreamOptions) => {
    reads.push(options?.fromRevision ?? 0);
    return store.readStream(streamId, options);
  };
  return seen;
}
