import { LRUCache } from 'lru-cache';
import type { EventStore } from '@ecf/event-store';

/** A stream folded up to a revision: what the next command on it starts from, once the tail past it is read. */
export interface FoldedStream<State> {
  readonly revision: number;
  readonly state: State;
  /** `$all` position of the stream's event at `revision`. */
  readonly lastPosition: number;
  /** The commands whose events the stream holds: a retried one is answered from the whole stream (replay). */
  readonly commandIds: ReadonlySet<string>;
}

export interface StreamStateCacheOptions<State> {
  /** Streams kept at most; the least recently used goes first. */
  readonly maxStreams: number;
  /** A stream not used for this long is dropped (bounds how long a state stays in memory at all). */
  readonly idleMs: number;
  /** Whether a state may be kept at all: not once it records an erasure, so the details go from memory too. */
  readonly keeps: (state: State) => boolean;
}

/**
 * Folded state of recently used streams, so a command reads only the tail past the cached revision
 * instead of the whole stream. The log is immutable, so a prefix folded once stays true; every use still
 * reads the tail first, so a decision is always taken on the stream as it is (other processes' appends
 * included), and the append's expected revision guards the rest. One cache per store instance.
 */
export class StreamStateCache<State> {
  private readonly entries: LRUCache<string, FoldedStream<State>>;

  constructor(readonly options: StreamStateCacheOptions<State>) {
    this.entries = new LRUCache({ max: options.maxStreams, ttl: options.idleMs, updateAgeOnGet: true });
  }

  get(streamId: string): FoldedStream<State> | undefined {
    return this.entries.get(streamId);
  }

  /** Keeps the fold unless it is older than the one kept (concurrent commands on one stream) or may not be kept. */
  remember(streamId: string, folded: FoldedStream<State>): void {
    if (!this.options.keeps(folded.state)) {
      this.entries.delete(streamId);
      return;
    }
    if (folded.revision < 0) return;
    const kept = this.entries.peek(streamId);
    if (kept === undefined || kept.revision <= folded.revision) this.entries.set(streamId, folded);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * One StreamStateCache per store instance: a fold is only true of the log it was read from. Shared by
 * everything in a process that folds the same kind of stream on the same store (commands and reads alike).
 */
export class StreamStateCaches<State> {
  private readonly caches = new WeakMap<EventStore, StreamStateCache<State>>();

  constructor(readonly options: StreamStateCacheOptions<State>) {}

  of(store: EventStore): StreamStateCache<State> {
    const cache = this.caches.get(store) ?? new StreamStateCache<State>(this.options);
    this.caches.set(store, cache);
    return cache;
  }
}
