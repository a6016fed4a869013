/**
 * The event store port. Three adapters implement it (SQLite, PostgreSQL, EventStoreDB) and pass one
 * conformance suite. Vocabulary follows EventStoreDB so that adapter is a thin mapping.
 */

/** Who issued a command: the API key's id and role (or a policy/system actor). */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

export interface EventMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  readonly reason?: string;
  /**
   * The W3C trace context (`traceparent`) of the command that wrote the event, when tracing was on and
   * the trace sampled: a policy acting on the event starts its span linked to it. Absent otherwise.
   */
  readonly traceparent?: string;
  readonly schemaVersion: number;
}

/** An event as the application hands it to the store. */
export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: EventMetadata;
}

/** An event as stored: the store adds its place in the stream and in the log, the time it learned it, and its hash. */
export interface RecordedEvent extends NewEvent {
  readonly streamId: string;
  /** 0-based position in its stream. */
  readonly revision: number;
  /** Position in `$all`: strictly increasing in the order subscribers receive events. */
  readonly position: number;
  /** When the system recorded the event (ISO instant). Business dates inside `data` are the effective time. */
  readonly recordedAt: string;
  /** sha256 over the previous event's hash and this event's content (see hash-chain.ts). */
  readonly hash: string;
}

/**
 * An event of `readAllJson` that reading would not change: the envelope as in RecordedEvent, data and
 * metadata as the JSON text the adapter stored (written by JSON.stringify, so parsing and stringifying
 * it again gives the same text). For passing events on as JSON without parsing them.
 */
export interface StoredJsonEvent extends Omit<RecordedEvent, 'data' | 'metadata'> {
  readonly schemaVersion: number;
  /** JSON.parse of it is the `data` readAll gives. */
  readonly dataJson: string;
  /** The metadata without `schemaVersion`: JSON.parse of it, with `schemaVersion` set last, is the `metadata` readAll gives. */
  readonly metadataJson: string;
}

/** `no_stream`: the stream must not exist. `stream_exists`: it must. `any`: no check. A number: the exact current revision. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface AppendResult {
  /** The revision of the last event now in the stream (the next append's expected revision). */
  readonly nextExpectedRevision: number;
  /** The `$all` position of the last appended event. */
  readonly position: number;
  /** True when the events were in the stream already (a retry of a committed append): nothing was written. */
  readonly alreadyStored?: boolean;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive). Default 0. */
  readonly fromRevision?: number;
  readonly maxCount?: number;
  /** Only events recorded at or before this instant (time travel on the recorded axis). */
  readonly recordedAtOrBefore?: string;
}

export interface ReadAllOptions {
  /** Read events strictly after this position. Default: from the start (0). */
  readonly after?: number;
  readonly maxCount?: number;
  /**
   * Only events of these types (as stored: upcasting changes an event's data, never its type). A page
   * then holds up to maxCount of them, and is shorter only where the log ends. A consumer that handles
   * a few types skips the rest without reading them (a rebuild of the participant summary reads about a
   * fifth of the log).
   */
  readonly types?: readonly string[];
}

export interface ReadByStreamOptions {
  /** Only streams whose id starts with this (e.g. `participant-`). */
  readonly streamPrefix: string;
  /** Only events at or before this `$all` position: the log as it stood at that point. */
  readonly upTo: number;
  /** Continue after this event (the last one of the previous page). Default: from the first stream. */
  readonly after?: { readonly streamId: string; readonly revision: number };
  readonly maxCount?: number;
}

export interface EventStore {
  /**
   * Appends atomically: all events or none, checked against `expectedRevision`.
   * Re-appending events whose ids are already the stream's last events is a no-op that returns the
   * original result (idempotent retry). Throws WrongExpectedRevisionError on a concurrency conflict.
   */
  appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /** The stream's events in order; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of every stream in `$all` order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Events of every stream with the prefix, stream after stream (by stream id, then revision), as the
   * log stood at `upTo`. For building a single-stream projection one stream at a time: each stream's
   * events arrive together instead of scattered across the log. Optional: an adapter without an index
   * on (stream, revision) leaves it out, and consumers fall back to `$all`.
   */
  readByStream?(options: ReadByStreamOptions): Promise<RecordedEvent[]>;
  /**
   * The events readAll gives, each either as its stored JSON text (`StoredJsonEvent`: reading would not
   * change it) or, when reading changes it (opened personal details, an upcast, an older stored form),
   * as readAll gives it. For callers that pass events on as JSON (the feed). Optional: EventStoreDB
   * leaves it out, and callers use readAll.
   */
  readAllJson?(options?: ReadAllOptions): Promise<(StoredJsonEvent | RecordedEvent)[]>;
  /** The position of the last event in `$all` (0 when empty). */
  headPosition(): Promise<number>;
  /** Resolves when an append may have happened (used to wake subscriptions); adapters that cannot tell resolve after a poll interval. */
  onAppend(listener: () => void): () => void;
  close(): Promise<void>;
}
