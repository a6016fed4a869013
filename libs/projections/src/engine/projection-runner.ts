import { randomUUID } from 'node:crypto';
import { CatchUpSubscription, EventStore, RecordedEvent, subscribeToAll } from '@ecf/event-store';
import { ReadModelDatabase, SqlSession } from '../read-models/sql-database';
import { Checkpoint, Checkpoints, describeError, GenerationRole, StreamBuildPass } from './checkpoints';
import { isLeaseLost } from './consumer-leases';
import { ProjectionRunnerOptions, RUNNER_DEFAULTS } from './projection-runner-options';
import { dropTableInSlices } from './drop-table';
import { generationTable, Projection, ProjectionEventError, TableName } from './projection';
import { buildStreamByStream } from './stream-by-stream-build';
import { FillTransaction, TimeSlices } from './time-slices';
import { SubscriptionState, subscriptionState } from './subscription-state';

interface Worker {
  readonly generation: number;
  role: GenerationRole;
  position: number;
  readonly subscription: CatchUpSubscription;
}

/**
 * Runs one projection from the `$all` subscription. Each batch's read-model writes and the new
 * checkpoint commit in one transaction, so a crash between batches never double-applies.
 * A handler that throws stops that generation (status failed, error kept); it never skips the event,
 * and other projections keep running.
 *
 * Rebuilds happen beside the live read model: a new generation of tables is built from the start of
 * the log while queries keep reading the live one, and the two swap in one transaction once the new
 * one has caught up. A changed projection version starts such a rebuild on start; so does
 * `ecf projections rebuild NAME`, which any process running the projection picks up.
 */
export class ProjectionRunner {
  private readonly workers = new Map<number, Worker>();
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly retiring = new Set<Promise<void>>();
  private stopped = false;
  /** The poll and start() must not both start a worker for the same building generation. */
  private pickingUp: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    readonly projection: Projection,
    private readonly checkpoints: Checkpoints,
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  get name(): string {
    return this.projection.name;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const { name, version } = this.projection;
    const live = (await this.checkpoints.of(name, 'live')) ?? (await this.checkpoints.create(name, 1, version, 'live'));
    if (live.version === version) await this.startWorker(live);
    else {
      // The live tables were built by another version of this code: they keep answering queries
      // (frozen) while this version builds its own generation beside them.
      this.options.logger?.info({ projection: name, liveVersion: live.version, version }, 'projection version changed; rebuilding beside the live read model');
      await this.checkpoints.requestRebuild(name, version);
    }
    await this.pickUpRebuild();
    // A process killed during a retired generation's grace period left its tables behind; a query that
    // looked it up just before the swap may still be reading them, so they get the same grace again.
    for (const retired of await this.checkpoints.retired(name)) this.retireLater(this.retire(undefined, retired.generation));
    this.pollTimer = setInterval(() => void this.pickUpRebuild().catch(() => undefined), this.options.rebuildPollMs ?? 1000);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    // A poll already past its check of `stopped` would otherwise start a worker after this stop: one that
    // no one stops, applying the building generation beside whichever process carries on with it.
    await this.pickingUp.catch(() => undefined);
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((worker) => worker.subscription.stop()));
    for (const worker of workers) await this.checkpoints.stop(this.projection.name, worker.generation);
    await Promise.all(this.retiring);
  }

  /** Resolves once the live read model holds every event up to `position` (default: the head now). */
  async waitUntilCaughtUp(position?: number): Promise<void> {
    const target = position ?? (await this.store.headPosition());
    for (;;) {
      const live = [...this.workers.values()].find((worker) => worker.role === 'live');
      if (live && live.position >= target) return;
      const pending = [...this.workers.values()];
      if (pending.length === 0) throw new Error(`Projection ${this.projection.name} is not running`);
      await Promise.race(pending.map((worker) => worker.subscription.waitUntilCaughtUp(target)));
      // A building generation that caught up swaps in its own transaction; give it the turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** What this process's subscriptions are doing now, by generation, whatever the checkpoint rows say. */
  subscriptionStates(): SubscriptionState[] {
    return [...this.workers.values()].map((worker) => subscriptionState(this.projection.name, worker.generation, worker.subscription));
  }

  /** The live generation's checkpoint (and a building one, if a rebuild is under way). */
  async statuses(): Promise<Checkpoint[]> {
    const all = await this.checkpoints.all();
    return all.filter((checkpoint) => checkpoint.name === this.projection.name);
  }

  private pickUpRebuild(): Promise<void> {
    const next = this.pickingUp.catch(() => undefined).then(() => this.startRequestedRebuild());
    this.pickingUp = next;
    return next;
  }

  private async startRequestedRebuild(): Promise<void> {
    if (this.stopped) return;
    const building = await this.checkpoints.of(this.projection.name, 'building');
    if (!building || this.workers.has(building.generation)) return;
    const { name, version, tables } = this.projection;
    const { generation } = building;
    const sameVersion = building.version === version;
    if (!sameVersion) {
      // Requested by a process running other code: start it again from the beginning so it is never a
      // mix of two versions (a stream-by-stream pass's cursor goes with it).
      for (const logical of tables) await dropTableInSlices(this.db, generationTable(generation)(logical));
      await this.db.transaction(async (session) => {
        await this.checkpoints.reset(session, name, generation, version);
        await this.checkpoints.releaseStreamBuild(session, name, generation);
      });
    }
    // Built by this version and interrupted, it goes on from where it had reached: its checkpoint (or
    // its stream-by-stream pass's cursor) committed with its writes.
    const position = sameVersion ? building.position : 0;
    this.options.logger?.info({ projection: name, generation, position }, 'building a new generation beside the live read model');
    if (this.stopped) return;
    await this.startWorker({ ...building, position });
  }

  private async startWorker(started: Checkpoint): Promise<void> {
    let checkpoint = started;
    const { name, version, singleStream } = this.projection;
    const table = generationTable(checkpoint.generation);
    const claim = randomUUID();
    const pass =
      singleStream !== undefined && checkpoint.position === 0 && this.store.readByStream !== undefined
        ? await this.claimStreamBuild(checkpoint.generation, claim, await this.store.headPosition())
        : undefined;
    if (!pass && checkpoint.position === 0) checkpoint = (await this.checkpoints.get(name, checkpoint.generation)) ?? checkpoint;
    for (const ddl of this.projection.schema(table)) await this.db.exec(ddl);
    await this.checkpoints.markRunning(name, checkpoint.generation, version);
    const handled = new Set(this.projection.handles);
    const onError = (error: unknown): Promise<void> => {
      const details = { consumer: name, generation: checkpoint.generation, error: describeError(error) };
      if (isLeaseLost(error)) {
        // Another process owns the projection now: it carries on from the checkpoint this batch did not move.
        this.options.logger?.info(details, 'projection batch refused: its lease was taken over');
        return Promise.resolve();
      }
      this.options.logger?.error?.(details, 'projection stopped on an error; it starts again from its checkpoint (see consumer restarts)');
      return this.checkpoints.fail(name, checkpoint.generation, error).catch((recordError: unknown) => {
        this.options.logger?.error?.({ ...details, recordError: describeError(recordError) }, 'projection failure could not be recorded in its checkpoint');
      });
    };
    const defaults = RUNNER_DEFAULTS[this.db.dialect];
    const bounds = { sliceMs: this.options.sliceMs ?? defaults.sliceMs, transactionMs: this.options.transactionMs ?? defaults.transactionMs };
    const allSlices = new TimeSlices(bounds);
    const follow = (after: number): CatchUpSubscription =>
      subscribeToAll(this.store, {
        after,
        batchSize: this.options.batchSize ?? defaults.readBatch,
        types: this.projection.handles,
        handle: async (batch, reached) => {
          if (batch.length > 0) await allSlices.apply(batch, (fill) => this.applyBatch(worker, (session) => this.fillFromAll(fill, session, table, handled)));
          // Events of other types after the last one applied were never read; the checkpoint moves past them.
          if (worker.position < reached) await this.applyBatch(worker, async () => reached);
        },
        onError: (error) => void onError(error),
      });
    const worker: Worker = {
      generation: checkpoint.generation,
      role: checkpoint.role,
      position: checkpoint.position,
      subscription: pass && singleStream
        ? buildStreamByStream(this.store, {
            streamPrefix: singleStream.streamPrefix,
            upTo: pass.upTo,
            after: pass.after,
            batchSize: this.options.streamBatchSize ?? this.options.batchSize ?? defaults.readBatch,
            slices: new TimeSlices({ ...bounds, together: (previous, next) => previous.streamId === next.streamId }),
            applyStreams: (fill) =>
              this.db.transaction(async (session) => {
                await this.checkpoints.assertStreamBuildClaim(session, name, checkpoint.generation, claim);
                const applied = await fill((slice) => this.applyEvents(slice.filter((event) => handled.has(event.type)), session, table, 'building stream by stream'));
                const last = applied[applied.length - 1];
                await this.checkpoints.assertStreamBuildClaim(session, name, checkpoint.generation, claim, { streamId: last.streamId, revision: last.revision });
              }),
            finish: (upTo) =>
              this.applyBatch(worker, async (session) => {
                await this.checkpoints.assertStreamBuildClaim(session, name, checkpoint.generation, claim);
                await this.checkpoints.releaseStreamBuild(session, name, checkpoint.generation);
                return upTo;
              }),
            follow,
            onError,
          })
        : follow(checkpoint.position),
    };
    this.workers.set(checkpoint.generation, worker);
  }

  /**
   * Claims the stream-by-stream pass over a generation at position 0 and answers where it starts
   * (undefined if another process has finished it meanwhile). A pass that kept no cursor (none began,
   * or it was left by code that kept none) starts from the first stream on empty tables: any rows are
   * leftovers of which nothing says how far they go.
   */
  private claimStreamBuild(generation: number, claim: string, head: number): Promise<StreamBuildPass | undefined> {
    const table = generationTable(generation);
    return this.db.transaction(async (session) => {
      const pass = await this.checkpoints.claimStreamBuild(session, this.projection.name, generation, claim, head);
      if (pass && !pass.resumed) for (const logical of this.projection.tables) await session.run(`DROP TABLE IF EXISTS ${table(logical)}`);
      if (pass?.after) this.options.logger?.info({ projection: this.projection.name, generation, upTo: pass.upTo, after: pass.after }, 'resuming a stream-by-stream build where it stopped');
      return pass;
    });
  }

  /** The projection's `apply`, its failure naming the event (or else the batch, as `where`). */
  private async applyEvents(events: RecordedEvent[], session: SqlSession, table: TableName, where: string): Promise<void> {
    try {
      await this.projection.apply(events, session, table);
    } catch (error) {
      throw new Error(`${this.projection.name} failed ${error instanceof ProjectionEventError ? error.message : `${where}: ${describeError(error)}`}`);
    }
  }

  /** Applies slices of a batch read from `$all` in the caller's transaction; answers the position of the last event applied. */
  private async fillFromAll(fill: FillTransaction, session: SqlSession, table: TableName, handled: ReadonlySet<string>): Promise<number> {
    const applied = await fill((slice) =>
      this.applyEvents(slice.filter((event) => handled.has(event.type)), session, table, `on a batch ending at position ${slice[slice.length - 1].position}`),
    );
    return applied[applied.length - 1].position;
  }

  /** One transaction: `apply` writes and answers the position it reached, and the checkpoint moves there with the writes. */
  private async applyBatch(worker: Worker, apply: (session: SqlSession) => Promise<number>): Promise<void> {
    const { name } = this.projection;
    let to = worker.position;
    const swapped = await this.db.transaction(async (session) => {
      to = await apply(session);
      await this.checkpoints.advance(session, name, worker.generation, worker.position, to);
      if (worker.role !== 'building' || !(await this.caughtUpWithLive(to))) return false;
      await this.checkpoints.swap(session, name, worker.generation);
      return true;
    });
    worker.position = to;
    if (swapped) this.afterSwap(worker);
  }

  private async caughtUpWithLive(position: number): Promise<boolean> {
    const live = [...this.workers.values()].find((worker) => worker.role === 'live');
    return position >= (live ? live.position : await this.store.headPosition());
  }

  private afterSwap(promoted: Worker): void {
    const retired = [...this.workers.values()].find((worker) => worker.role === 'live');
    promoted.role = 'live';
    this.options.logger?.info({ projection: this.projection.name, generation: promoted.generation }, 'rebuilt generation is live');
    const retiredGeneration = retired?.generation ?? promoted.generation - 1;
    if (retired) this.workers.delete(retired.generation);
    this.retireLater(this.retire(retired, retiredGeneration));
  }

  /** Keeps a retirement in flight until it ends, so stop() waits for it. */
  private retireLater(retirement: Promise<void>): void {
    const settled = retirement.catch((error: unknown) =>
      // The tables stay; the next start (here or in the process that owns the projection) retires them again.
      this.options.logger?.error?.({ projection: this.projection.name, error: describeError(error) }, 'retired generation could not be dropped'),
    );
    this.retiring.add(settled);
    void settled.finally(() => this.retiring.delete(settled));
  }

  private async retire(worker: Worker | undefined, generation: number): Promise<void> {
    await worker?.subscription.stop();
    await new Promise((resolve) => setTimeout(resolve, this.options.retiredGraceMs ?? 2000));
    const table = generationTable(generation);
    for (const logical of this.projection.tables) await dropTableInSlices(this.db, table(logical));
    await this.checkpoints.forget(this.projection.name, generation);
  }
}
