import { performance } from 'node:perf_hooks';
import type { RecordedEvent } from '@ecf/event-store';

/** Lets every callback waiting on the event loop (I/O, timers, a group commit) run before going on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Milliseconds the event loop has spent busy (not waiting for I/O) since the process started. On SQLite
 * that is all of a transaction's time; on PostgreSQL the waits for the server are left out, and they
 * hold nothing up.
 */
export const eventLoopBusyMs = (): number => performance.eventLoopUtilization().active;

/** Budgets in milliseconds of the event loop's busy time (`eventLoopBusyMs`). */
export interface TimeSlicesOptions {
  /** How long the event loop may be held at a time: the work between two of its turns. */
  readonly sliceMs: number;
  /** How much work one transaction may hold (the read models' other writers wait for it on SQLite). */
  readonly transactionMs: number;
  /** Events in the first slice, before anything has been measured. */
  readonly firstSlice?: number;
  /** Where a slice should not end if it can be helped (e.g. inside a stream, for a stream-by-stream build). */
  readonly together?: (previous: RecordedEvent, next: RecordedEvent) => boolean;
  /** The clock the budgets are counted on (default `eventLoopBusyMs`). */
  readonly now?: () => number;
}

/** Applies slices of events inside one transaction; resolves with the events it applied (at least one). */
export type FillTransaction = (applySlice: (slice: RecordedEvent[]) => Promise<void>) => Promise<RecordedEvent[]>;

/**
 * Applies a batch of events in transactions bounded by time, each filled slice by slice with a turn of
 * the event loop before every slice. better-sqlite3 is synchronous: applying thousands of events holds
 * the event loop — requests, timers, a policy's appends — for as long as it runs, and a transaction
 * holds the read models' one writer. Slices are sized from the time per event measured so far.
 * A transaction is not cut smaller than that: on SQLite each commit writes every page it touched
 * again, and transactions of one slice made a rebuild about 40% slower.
 */
export class TimeSlices {
  private msPerEvent = 0;
  private readonly now: () => number;

  constructor(private readonly options: TimeSlicesOptions) {
    this.now = options.now ?? eventLoopBusyMs;
  }

  /**
   * `transaction(fill)` opens a transaction, calls `fill` with its way of applying a slice, records how
   * far the events it got back go, and commits. Resolves once every event is applied, or at the first
   * transaction boundary where `stopped` answers true.
   */
  async apply(events: readonly RecordedEvent[], transaction: (fill: FillTransaction) => Promise<void>, stopped: () => boolean = () => false): Promise<void> {
    let start = 0;
    const fill: FillTransaction = async (applySlice) => {
      const first = start;
      const began = this.now();
      do {
        if (start > first) await yieldToEventLoop();
        const end = this.endOfSlice(events, start);
        const sliceBegan = this.now();
        await applySlice(events.slice(start, end));
        this.measured(end - start, this.now() - sliceBegan);
        start = end;
      } while (start < events.length && this.now() - began < this.options.transactionMs);
      return events.slice(first, start);
    };
    while (start < events.length) {
      await yieldToEventLoop();
      if (stopped()) return;
      const from = start;
      await transaction(fill);
      if (start === from) throw new Error('A transaction of a sliced batch applied none of its events');
    }
  }

  /** The end (exclusive) of the slice starting at `start`: as many events as the budget allows, cut between two that need not stay together. */
  private endOfSlice(events: readonly RecordedEvent[], start: number): number {
    const wanted = this.msPerEvent > 0 ? Math.floor(this.options.sliceMs / this.msPerEvent) : (this.options.firstSlice ?? 20);
    const end = Math.min(events.length, start + Math.max(1, wanted));
    const together = this.options.together;
    if (end === events.length || !together) return end;
    for (let cut = end; cut > start + 1; cut -= 1) if (!together(events[cut - 1], events[cut])) return cut;
    return end;
  }

  /** A moving average, so that one slow slice (a pause for garbage collection) does not shrink the next ones for long. */
  private measured(events: number, ms: number): void {
    const sample = ms / events;
    this.msPerEvent = this.msPerEvent > 0 ? 0.7 * this.msPerEvent + 0.3 * sample : sample;
  }
}
