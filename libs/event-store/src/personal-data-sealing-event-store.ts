import { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadByStreamOptions, ReadStreamOptions, RecordedEvent, StoredJsonEvent } from './event-store.port';
import { isStoredJson, parseStoredJson } from './stored-json';

/** One subject's personal details: in clear to seal, or sealed to open. */
export interface PersonalDataItem {
  readonly subjectId: string;
  readonly value: Record<string, unknown>;
}

/**
 * Seals and opens personal details, each with its subject's own key. Asynchronous and batched: the
 * keys may live in another server (PostgreSQL in server mode), so a batch of events costs one look-up
 * of the keys it needs, not one per event (ADR 0013).
 */
export interface PersonalDataSeal {
  /** The items' details sealed, in order; refuses a subject whose key was destroyed (erased). */
  seal(items: readonly PersonalDataItem[]): Promise<Record<string, unknown>[]>;
  /** The items' details opened, in order: null for a subject whose key was destroyed (erased). */
  open(items: readonly PersonalDataItem[]): Promise<(Record<string, unknown> | null)[]>;
  close?(): void | Promise<void>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The events' personal details to change, by index; events without any (most of them) are left alone. */
function personalItems(events: readonly { data: Record<string, unknown> }[], sealed: boolean): { index: number; item: PersonalDataItem }[] {
  const found: { index: number; item: PersonalDataItem }[] = [];
  events.forEach((event, index) => {
    const { personal, participantId } = event.data;
    if (isObject(personal) && ('sealed' in personal) === sealed && typeof participantId === 'string') found.push({ index, item: { subjectId: participantId, value: personal } });
  });
  return found;
}

/** Rewrites an event as read (never as stored), e.g. to its type's current schema version. */
export type Upcast = (event: RecordedEvent) => RecordedEvent;

export interface PersonalDataSealingOptions {
  /**
   * Applied to every event read, after its personal details are opened (an upcaster may reshape them),
   * as Emmett's `schema.versioning.upcast`: readers see current versions only; appends are untouched.
   */
  readonly upcast?: Upcast;
  /**
   * Whether `upcast` changes events of this type stored at this version. Lets readAllJson hand the
   * others on as stored text; without it, a store with `upcast` does not offer readAllJson.
   */
  readonly needsUpcast?: (type: string, schemaVersion: number) => boolean;
}

/**
 * Personal details never reach the log in clear: an event's `data.personal` is sealed with its
 * participant's key on append and opened on read. Hashes cover the sealed form, so destroying a key
 * (erasure) leaves every hash chain intact and the history replayable, with `personal: null`.
 * This is the one layer between the apps and an adapter: the read path's other step, upcasting, is
 * its `upcast` option rather than another wrapper whose append would only pass through.
 */
export class PersonalDataSealingEventStore implements EventStore {
  /** Present when the inner store has it (see EventStore.readByStream). */
  readonly readByStream?: (options: ReadByStreamOptions) => Promise<RecordedEvent[]>;
  /** Present when the inner store has it and the upcaster can say which events it changes (see EventStore.readAllJson). */
  readonly readAllJson?: (options?: ReadAllOptions) => Promise<(StoredJsonEvent | RecordedEvent)[]>;

  constructor(
    private readonly inner: EventStore,
    private readonly seal: PersonalDataSeal,
    private readonly options: PersonalDataSealingOptions = {},
  ) {
    const readByStream = inner.readByStream?.bind(inner);
    if (readByStream) this.readByStream = async (options) => this.opened(await readByStream(options));
    const readAllJson = inner.readAllJson?.bind(inner);
    if (readAllJson && (!options.upcast || options.needsUpcast)) this.readAllJson = async (readOptions) => this.openedJson(await readAllJson(readOptions));
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    return this.inner.appendToStream(streamId, await this.sealed(events), options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.opened(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.opened(await this.inner.readAll(options));
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  onAppend(listener: () => void): () => void {
    return this.inner.onAppend(listener);
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.seal.close?.();
  }

  private async sealed(events: readonly NewEvent[]): Promise<readonly NewEvent[]> {
    const found = personalItems(events, false);
    if (found.length === 0) return events;
    const values = await this.seal.seal(found.map(({ item }) => item));
    const result = [...events];
    found.forEach(({ index }, i) => (result[index] = { ...events[index], data: { ...events[index].data, personal: values[i] } }));
    return result;
  }

  /** Events that reading changes are parsed and opened as readAll opens them; the others stay stored text. */
  private async openedJson(events: (StoredJsonEvent | RecordedEvent)[]): Promise<(StoredJsonEvent | RecordedEvent)[]> {
    const indexes: number[] = [];
    const toOpen: RecordedEvent[] = [];
    events.forEach((event, index) => {
      if (isStoredJson(event) && !this.readingChanges(event)) return;
      indexes.push(index);
      toOpen.push(isStoredJson(event) ? parseStoredJson(event) : event);
    });
    if (toOpen.length === 0) return events;
    const opened = await this.opened(toOpen);
    const result = [...events];
    indexes.forEach((index, i) => (result[index] = opened[i]));
    return result;
  }

  /**
   * Personal details to open (any `personal` key: only parsing tells a sealed one, and a JSON string cannot
   * hold the unescaped quote, so text inside a value never matches) or an upcast to apply.
   */
  private readingChanges(event: StoredJsonEvent): boolean {
    return event.dataJson.includes('"personal":') || (this.options.needsUpcast?.(event.type, event.schemaVersion) ?? false);
  }

  private async opened(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const found = personalItems(events, true);
    const { upcast } = this.options;
    if (found.length === 0) return upcast ? events.map(upcast) : events;
    const values = await this.seal.open(found.map(({ item }) => item));
    const result = [...events];
    found.forEach(({ index }, i) => (result[index] = { ...events[index], data: { ...events[index].data, personal: values[i] } }));
    return upcast ? result.map(upcast) : result;
  }
}
