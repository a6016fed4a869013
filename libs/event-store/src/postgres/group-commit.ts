import { WriteOne } from './append-events';
import { WriteBatch } from './append-batch';
import { PreparedWrite, WriteAnswer } from './prepared-write';

/** How many appends shared a commit so far (`PostgresEventStore.groupCommitCounts`). */
export interface GroupCommitCounts {
  /** Calls of `append_batch` that committed: each carried two appends or more. */
  readonly batches: number;
  /** Appends those calls carried, written or not. */
  readonly appendsInBatches: number;
  /** The most appends one call carried. */
  readonly largestBatch: number;
  /** Calls of `append_batch` that failed as a whole; their appends were then sent one by one. */
  readonly failedBatches: number;
}

interface PendingWrite {
  readonly write: PreparedWrite;
  resolve(answer: WriteAnswer): void;
  reject(error: unknown): void;
}

/** Calls writing at once by default; what arrives meanwhile waits and goes in the next call. */
export const DEFAULT_CALLS_IN_FLIGHT = 2;
export function checkCallsInFlight(calls: number): number {
  if (!Number.isInteger(calls) || calls < 1) throw new RangeError(`Append calls in flight must be a positive integer, got ${calls}`);
  return calls;
}

/** Appends one call carries at most; more wait for the following call. */
const MOST_APPENDS_PER_CALL = 200;

const byStreamId = (a: PendingWrite, b: PendingWrite): number => (a.write.streamId < b.write.streamId ? -1 : a.write.streamId > b.write.streamId ? 1 : 0);

/**
 * Group commit for the PostgreSQL adapter's writes: while fewer than `callsInFlight` calls are
 * writing, a write is sent at once and alone (`append_events`: a lone writer waits for nothing);
 * writes that arrive while they are busy queue, and the next free slot sends them together as one
 * `append_batch` (one position lock, one commit, one WAL flush for all of them: docs/adr/0019).
 * Each write's answer is the server's answer for it, given after the statement (and so its commit)
 * returned: nothing is answered before it is durable. The writes of a call are sorted by stream id,
 * so two calls never lock two stream heads in opposite orders (the sort is stable: two writes to one
 * stream keep their order, and the second finds the head moved).
 *
 * If a call fails as a whole (an event id stored by a racing writer, a lost connection, a deadlock
 * or serialisation error), it wrote nothing (or, if the connection broke after the commit,
 * everything, which the single call then finds and answers as a retry by event id); each of its
 * writes is then sent alone through `append_events` and gets that answer or that error. No failure
 * of one write is ever silently the answer of another.
 */
export class GroupCommit {
  private readonly queue: PendingWrite[] = [];
  private inFlight = 0;
  private counts: GroupCommitCounts = { batches: 0, appendsInBatches: 0, largestBatch: 0, failedBatches: 0 };

  constructor(
    private readonly writeOne: WriteOne,
    private readonly writeBatch: WriteBatch,
    private readonly callsInFlight: number = DEFAULT_CALLS_IN_FLIGHT,
  ) {
    checkCallsInFlight(callsInFlight);
  }

  submit(write: PreparedWrite): Promise<WriteAnswer> {
    return new Promise<WriteAnswer>((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.pump();
    });
  }

  counted(): GroupCommitCounts {
    return this.counts;
  }

  private pump(): void {
    while (this.inFlight < this.callsInFlight && this.queue.length > 0) {
      const group = this.queue.splice(0, MOST_APPENDS_PER_CALL);
      this.inFlight += 1;
      void this.send(group).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** Settles every write of the group; never rejects. */
  private async send(group: readonly PendingWrite[]): Promise<void> {
    if (group.length === 1) return this.sendAlone(group[0]);
    const sorted = [...group].sort(byStreamId);
    let answers: WriteAnswer[];
    try {
      answers = await this.writeBatch(sorted.map((pending) => pending.write));
    } catch {
      this.counts = { ...this.counts, failedBatches: this.counts.failedBatches + 1 };
      // The call wrote nothing: each write on its own, with its own answer or error.
      await Promise.all(sorted.map((pending) => this.sendAlone(pending)));
      return;
    }
    this.counts = {
      ...this.counts,
      batches: this.counts.batches + 1,
      appendsInBatches: this.counts.appendsInBatches + sorted.length,
      largestBatch: Math.max(this.counts.largestBatch, sorted.length),
    };
    sorted.forEach((pending, index) => pending.resolve(answers[index]));
  }

  private sendAlone(pending: PendingWrite): Promise<void> {
    return this.writeOne(pending.write).then(pending.resolve, pending.reject);
  }
}
