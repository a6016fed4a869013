import { EventStore, RecordedEvent } from './event-store.port';

export type SubscriptionStatus = 'catching-up' | 'live' | 'stopped' | 'failed';

export interface CatchUpSubscription {
  /** `$all` position of the last event whose batch `handle` completed (the checkpoint to persist). */
  readonly position: number;
  readonly status: SubscriptionStatus;
  /** What `handle` (or a read) threw when the subscription failed. */
  readonly lastError: unknown;
  /**
   * Resolves once every event up to `position` (default: the head when called) has been handled.
   * Rejects if the subscription fails, or stops, before getting there.
   */
  waitUntilCaughtUp(position?: number): Promise<void>;
  /** Stops reading; resolves after the batch in flight (if any) has been handled. */
  stop(): Promise<void>;
}

export interface SubscribeToAllOptions {
  /** Checkpoint: events strictly after this position are delivered. */
  readonly after: number;
  readonly batchSize?: number;
  /** How often to look for appends this process was not told about (other processes on the same store). */
  readonly pollIntervalMs?: number;
  /**
   * Only events of these types are read and delivered; the position still moves past the others. A
   * batch may then be empty: it says the subscription has reached `reached` with nothing to handle.
   */
  readonly types?: readonly string[];
  /** `reached`: the position the subscription stands at once this batch is handled (the checkpoint to persist). */
  handle(batch: RecordedEvent[], reached: number): Promise<void> | void;
  onError?(error: unknown): void;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_POLL_INTERVAL_MS = 250;

/**
 * A client-side catch-up subscription to `$all`: reads history from the checkpoint in batches, then
 * stays live, woken by the store's append notifications and by polling. Batches are handled one at a
 * time, in order; the position moves only after `handle` succeeded, and a failing batch stops the
 * subscription instead of being skipped, so a consumer that persists `position` never loses an event.
 */
export function subscribeToAll(store: EventStore, options: SubscribeToAllOptions): CatchUpSubscription {
  return new AllStreamSubscription(store, options);
}

interface Waiter {
  readonly target: number;
  resolve(): void;
  reject(error: unknown): void;
}

class AllStreamSubscription implements CatchUpSubscription {
  private handledPosition: number;
  private currentStatus: SubscriptionStatus = 'catching-up';
  private error: unknown = undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly unsubscribe: () => void;
  /** Set when a wake-up arrives while the loop is busy, so the next idle wait returns at once. */
  private wakePending = false;
  private wakeLoop: (() => void) | null = null;
  private readonly loop: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly options: SubscribeToAllOptions,
  ) {
    if (!Number.isInteger(options.after) || options.after < 0) throw new RangeError(`after must be a non-negative integer, got ${options.after}`);
    this.handledPosition = options.after;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
    this.unsubscribe = store.onAppend(() => this.wake());
    this.loop = this.run();
  }

  get position(): number {
    return this.handledPosition;
  }

  get status(): SubscriptionStatus {
    return this.currentStatus;
  }

  get lastError(): unknown {
    return this.error;
  }

  async waitUntilCaughtUp(position?: number): Promise<void> {
    const target = position ?? (await this.store.headPosition());
    if (this.handledPosition >= target) return;
    if (this.currentStatus === 'failed') throw this.error;
    if (this.currentStatus === 'stopped') throw new Error(`Subscription stopped at position ${this.handledPosition}, before ${target}`);
    const reached = new Promise<void>((resolve, reject) => this.waiters.add({ target, resolve, reject }));
    // The event may have been appended by another process; look now rather than at the next poll.
    this.wake();
    return reached;
  }

  async stop(): Promise<void> {
    if (this.currentStatus !== 'failed') this.currentStatus = 'stopped';
    this.wake();
    await this.loop;
  }

  private isRunning(): boolean {
    return this.currentStatus === 'catching-up' || this.currentStatus === 'live';
  }

  private async run(): Promise<void> {
    try {
      while (this.isRunning()) {
        const { batch, reached } = await this.readNext();
        if (!this.isRunning()) break;
        if (reached > this.handledPosition) {
          await this.options.handle(batch, reached);
          this.handledPosition = reached;
          this.settleWaiters();
        }
        if (batch.length < this.batchSize) {
          if (this.currentStatus === 'catching-up') this.currentStatus = 'live';
          if (batch.length === 0) await this.idle();
        }
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.unsubscribe();
      const reason = this.currentStatus === 'failed' ? this.error : new Error(`Subscription stopped at position ${this.handledPosition}`);
      for (const waiter of this.waiters) waiter.reject(reason);
      this.waiters.clear();
    }
  }

  /**
   * The next batch and where it leaves the subscription. Filtered by type, a short page means the log
   * ended: every position up to the head read before it has been seen, whatever its type.
   */
  private async readNext(): Promise<{ batch: RecordedEvent[]; reached: number }> {
    const { types } = this.options;
    const head = types === undefined ? 0 : await this.store.headPosition();
    const batch = await this.store.readAll({ after: this.handledPosition, maxCount: this.batchSize, types });
    const last = batch.length > 0 ? batch[batch.length - 1].position : this.handledPosition;
    const full = batch.length === this.batchSize;
    return { batch, reached: types === undefined || full ? last : Math.max(last, head) };
  }

  private fail(error: unknown): void {
    this.currentStatus = 'failed';
    this.error = error;
    try {
      this.options.onError?.(error);
    } catch {
      // The subscription has already failed and recorded why; a faulty error hook must not hide that.
    }
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) {
      if (waiter.target <= this.handledPosition) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Waits for an append notification, a stop, a caught-up request or the poll interval, whichever first. */
  private idle(): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake(), this.pollIntervalMs);
      // A quiet subscription must not keep the process alive on its own.
      timer.unref();
      this.wakeLoop = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private wake(): void {
    const wakeLoop = this.wakeLoop;
    if (wakeLoop) {
      this.wakeLoop = null;
      // Resumed after the I/O callbacks of this turn of the event loop, not in the middle of them: the
      // appends of concurrent requests then reach the consumer as one batch (one read-model
      // transaction and checkpoint) instead of one batch each.
      setImmediate(wakeLoop);
    } else {
      this.wakePending = true;
    }
  }
}
