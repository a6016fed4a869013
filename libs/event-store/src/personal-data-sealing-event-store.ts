import { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadByStreamOptions, ReadStreamOptions, RecordedEvent } from './event-store.port';

/** Seals and opens one participant's personal details with that participant's own key. */
export interface PersonalDataSeal {
  seal(subjectId: string, personal: Record<string, unknown>): Record<string, unknown>;
  /** The details, or null when they can no longer be read (the key was destroyed: erased). */
  open(subjectId: string, sealed: Record<string, unknown>): Record<string, unknown> | null;
  close?(): void;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Personal details never reach the log in clear: an event's `data.personal` is sealed with its
 * participant's key on append and opened on read. Hashes cover the sealed form, so destroying a key
 * (erasure) leaves every hash chain intact and the history replayable, with `personal: null`.
 */
export class PersonalDataSealingEventStore implements EventStore {
  /** Present when the inner store has it (see EventStore.readByStream). */
  readonly readByStream?: (options: ReadByStreamOptions) => Promise<RecordedEvent[]>;

  constructor(
    private readonly inner: EventStore,
    private readonly seal: PersonalDataSeal,
  ) {
    const readByStream = inner.readByStream?.bind(inner);
    if (readByStream) this.readByStream = async (options) => (await readByStream(options)).map((event) => this.opened(event));
  }

  appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, events.map((event) => this.sealed(event)), options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map((event) => this.opened(event));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map((event) => this.opened(event));
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  onAppend(listener: () => void): () => void {
    return this.inner.onAppend(listener);
  }

  async close(): Promise<void> {
    await this.inner.close();
    this.seal.close?.();
  }

  private sealed<Event extends NewEvent>(event: Event): Event {
    const { personal, participantId } = event.data;
    if (!isObject(personal) || 'sealed' in personal || typeof participantId !== 'string') return event;
    return { ...event, data: { ...event.data, personal: this.seal.seal(participantId, personal) } };
  }

  private opened(event: RecordedEvent): RecordedEvent {
    const { personal, participantId } = event.data;
    if (!isObject(personal) || !('sealed' in personal) || typeof participantId !== 'string') return event;
    return { ...event, data: { ...event.data, personal: this.seal.open(participantId, personal) } };
  }
}
