import { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadByStreamOptions, ReadStreamOptions, RecordedEvent } from './event-store.port';

/** Rewrites an event as read (never as stored) to its current schema version. */
export type Upcast = (event: RecordedEvent) => RecordedEvent;

/**
 * Every read goes through the upcaster, so deciders, projections, policies and the feed only ever
 * see current versions. Appends and positions pass through untouched; `verify` reads the store
 * itself, since hashes cover the data as stored.
 */
export class UpcastingEventStore implements EventStore {
  /** Present when the inner store has it (see EventStore.readByStream). */
  readonly readByStream?: (options: ReadByStreamOptions) => Promise<RecordedEvent[]>;

  constructor(
    private readonly inner: EventStore,
    private readonly upcast: Upcast,
  ) {
    const readByStream = inner.readByStream?.bind(inner);
    if (readByStream) this.readByStream = async (options) => (await readByStream(options)).map(this.upcast);
  }

  appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map(this.upcast);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map(this.upcast);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  onAppend(listener: () => void): () => void {
    return this.inner.onAppend(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
