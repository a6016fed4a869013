import { CatchUpSubscription, EventStore, SubscriptionStatus } from '@ecf/event-store';
import { StreamCursor } from './checkpoints';
import { FillTransaction, TimeSlices } from './time-slices';

export interface StreamByStreamBuildOptions {
  readonly streamPrefix: string;
  /** The position the pass reads the log as it stood at; kept with the claim, so a resumed pass reads the same. */
  readonly upTo: number;
  /** Where an interrupted pass had reached: it goes on after this event. */
  readonly after?: StreamCursor;
  /** Events read at a time. */
  readonly batchSize: number;
  /** Cuts what is read into transactions and slices bounded by time (between streams where it can). */
  readonly slices: TimeSlices;
  /**
   * Opens a transaction, applies what `fill` gives it (whole or partial streams, in stream order), moves
   * the pass's cursor to the last of those events and commits; the checkpoint does not move.
   */
  applyStreams(fill: FillTransaction): Promise<void>;
  /** Records that every event up to `upTo` is applied (the checkpoint's first move). */
  finish(upTo: number): Promise<void>;
  /** The `$all` subscription that carries on from `upTo`. */
  follow(after: number): CatchUpSubscription;
  /** Records the failure; the pass ends (and waiters reject) only after it has. */
  onError?(error: unknown): Promise<void> | void;
}

/**
 * Builds a single-stream projection from nothing one stream at a time (as Marten's optimised
 * rebuilds do), then follows `$all` like any other projection. Read in `$all` order, a participant's
 * events are scattered over two years of log and each batch reads back and rewrites that participant's
 * rows; read stream by stream, each participant is folded once and written once.
 *
 * The checkpoint stays at 0 until the pass ends; each of the pass's transactions moves its cursor (the
 * last event applied) instead, so a process stopped or killed during the pass leaves rows and the
 * cursor that says how far they go, and the next start goes on from there.
 */
export function buildStreamByStream(store: EventStore, options: StreamByStreamBuildOptions): CatchUpSubscription {
  return new StreamByStreamBuild(store, options);
}

class StreamByStreamBuild implements CatchUpSubscription {
  private following: CatchUpSubscription | null = null;
  private stopping = false;
  private passError: unknown = undefined;
  private readonly pass: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly options: StreamByStreamBuildOptions,
  ) {
    this.pass = this.run();
  }

  get position(): number {
    return this.following?.position ?? 0;
  }

  get status(): SubscriptionStatus {
    if (this.following) return this.following.status;
    if (this.passError !== undefined) return 'failed';
    return this.stopping ? 'stopped' : 'catching-up';
  }

  get lastError(): unknown {
    return this.following?.lastError ?? this.passError;
  }

  async waitUntilCaughtUp(position?: number): Promise<void> {
    await this.pass;
    if (!this.following) throw this.passError ?? new Error('Stopped during a stream-by-stream build, at position 0');
    return this.following.waitUntilCaughtUp(position);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.pass.catch(() => undefined);
    await this.following?.stop();
  }

  private async run(): Promise<void> {
    try {
      const readByStream = this.store.readByStream?.bind(this.store);
      if (!readByStream) throw new Error('The store cannot read stream by stream');
      const { streamPrefix, upTo, batchSize, slices } = this.options;
      for (let after = this.options.after; !this.stopping; ) {
        const batch = await readByStream({ streamPrefix, upTo, after, maxCount: batchSize });
        if (batch.length === 0) {
          await this.options.finish(upTo);
          this.following = this.options.follow(upTo);
          return;
        }
        // A stop asked for meanwhile ends the pass between two transactions; the cursor says where.
        await slices.apply(batch, (fill) => this.options.applyStreams(fill), () => this.stopping);
        const last = batch[batch.length - 1];
        after = { streamId: last.streamId, revision: last.revision };
      }
    } catch (error) {
      this.passError = error;
      try {
        await this.options.onError?.(error);
      } catch {
        // The pass has failed and says why (lastError); a failing error hook must not hide that.
      }
    }
  }
}
