import { ReadModelDatabase } from '../read-models/sql-database';
import { Checkpoints, describeError } from './checkpoints';
import { ConsumerLeases, isLeaseLost } from './consumer-leases';
import { fencedReadModelDatabase } from './fenced-database';
import { SubscriptionState } from './subscription-state';

/** A projection's or a policy's runner, as a lease starts and stops it. */
export interface ConsumerRunner {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  waitUntilCaughtUp(position?: number): Promise<void>;
  subscriptionStates(): SubscriptionState[];
}

export interface LeaseLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error?(details: object, message: string): void;
}

interface Held {
  readonly epoch: number;
  readonly runner: ConsumerRunner;
  /** The runner's start, which may take long (a policy rebuilding its facts); the heartbeat goes on meanwhile. */
  readonly started: Promise<void>;
}

/** How often a process that does not run a consumer reads its checkpoint while waiting for the owner to catch up. */
const OWNER_POLL_MS = 100;
/** The longest wait between restarts of a consumer that keeps failing (a poison event), and how long a restart must run to be forgiven. */
const MAX_RESTART_DELAY_MS = 60_000;

/**
 * One consumer in a process that may or may not own it. Each heartbeat (`tick`) renews the lease this
 * process holds, or tries to take it when free or expired. Holding it, the process runs a fresh runner
 * on a fenced view of the read models, so every write it commits checks the lease in its own
 * transaction; losing it (a renewal refused, a fence tripped: this process hung past its lease and a
 * standby took over), the runner is stopped and the process goes back to standing by.
 */
export class LeasedConsumer {
  private held: Held | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Restarts after failures in a row, the time of the last, and when the next may happen (backing off). */
  private restarts = { count: 0, lastAt: 0, notBefore: 0 };

  constructor(
    readonly name: string,
    private readonly leases: ConsumerLeases,
    private readonly db: ReadModelDatabase,
    private readonly checkpoints: Checkpoints,
    private readonly createRunner: (db: ReadModelDatabase) => ConsumerRunner,
    private readonly logger?: LeaseLogger,
  ) {}

  /** True while this process holds the lease and runs the consumer. */
  get running(): boolean {
    return this.held !== null;
  }

  /** The first heartbeat (again after a stop): takes the lease if free, and resolves once the runner, if started, has started. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    await this.held?.started;
  }

  /** One heartbeat: renews the lease held (stopping the runner if it was lost), or tries to take it and start a runner. */
  tick(): Promise<void> {
    // The start's first tick and the heartbeat's may meet: one at a time, or both would start a runner.
    const next = this.ticking.catch(() => undefined).then(() => this.renewOrAcquire());
    this.ticking = next;
    return next;
  }

  private async renewOrAcquire(): Promise<void> {
    if (this.stopped) return;
    if (this.held) {
      const { epoch } = this.held;
      // A database that does not answer leaves the runner going: its fence refuses its writes if a standby took over meanwhile.
      const renewed = await this.leases.renew(this.name, epoch).catch((error: unknown) => {
        this.logger?.warn({ consumer: this.name, error: describeError(error) }, 'consumer lease could not be renewed; trying again at the next heartbeat');
        return true;
      });
      if (!renewed) await this.lose(epoch);
      else await this.restartIfFailed();
      return;
    }
    const epoch = await this.leases.tryAcquire(this.name);
    if (epoch === null) return;
    this.logger?.info({ consumer: this.name, owner: this.leases.owner, epoch }, 'consumer lease taken; running it here');
    this.run(epoch);
  }

  private run(epoch: number): void {
    const runner = this.createRunner(
      fencedReadModelDatabase(this.db, {
        check: (session) => this.leases.fence(session, this.name, epoch),
        assertHeld: () => this.leases.assertHeld(this.name, epoch),
      }),
    );
    const started = runner.start().catch((error: unknown) => this.startFailed(epoch, error));
    this.held = { epoch, runner, started };
  }

  /**
   * A runner that stopped on an error (a connection the server ended while this process was frozen, a
   * database restart, a handler that throws) is started again from its checkpoint, which its failed
   * batch did not move: at the next heartbeat the first time, then backing off to a minute between
   * attempts while it keeps failing, so a poison event is retried without flooding the logs.
   */
  private async restartIfFailed(): Promise<void> {
    const held = this.held;
    if (!held) return;
    const now = Date.now();
    const failed = held.runner.subscriptionStates().some((state) => state.status === 'failed');
    if (!failed) {
      if (this.restarts.count > 0 && now - this.restarts.lastAt > MAX_RESTART_DELAY_MS) this.restarts = { count: 0, lastAt: 0, notBefore: 0 };
      return;
    }
    if (now < this.restarts.notBefore) return;
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, this.leases.heartbeatMs * 2 ** this.restarts.count);
    this.restarts = { count: this.restarts.count + 1, lastAt: now, notBefore: now + delayMs };
    this.logger?.warn({ consumer: this.name, restart: this.restarts.count, nextRestartNotBeforeMs: delayMs }, 'consumer had stopped on an error; starting it again from its checkpoint');
    await held.started;
    await held.runner.stop().catch(() => undefined);
    if (this.held !== held) return;
    this.run(held.epoch);
  }

  /** A clean stop: the runner stops and the lease is released, so a standby takes over at its next heartbeat. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.ticking.catch(() => undefined);
    const held = this.held;
    this.held = null;
    if (!held) return;
    await held.started;
    await held.runner.stop().catch((error: unknown) => {
      if (!isLeaseLost(error)) throw error;
    });
    await this.leases.release(this.name, held.epoch);
  }

  /** Where this process runs the consumer, its runner's wait; elsewhere, until the owner's checkpoint reaches `position`. */
  async waitUntilCaughtUp(position: number): Promise<void> {
    for (;;) {
      const held = this.held;
      if (held) {
        await held.started;
        return held.runner.waitUntilCaughtUp(position);
      }
      const live = await this.checkpoints.of(this.name, 'live');
      if (live && live.position >= position) return;
      if (live?.status === 'failed') throw new Error(`${this.name} has stopped on an error: ${live.lastError}`);
      await new Promise((resolve) => setTimeout(resolve, OWNER_POLL_MS));
    }
  }

  subscriptionStates(): SubscriptionState[] {
    return this.held?.runner.subscriptionStates() ?? [];
  }

  /** `duringStart` when the runner's own start found the lease lost (its start is what calls this, so it is not awaited). */
  private async lose(epoch: number, duringStart = false): Promise<void> {
    const held = this.held;
    if (!held || held.epoch !== epoch) return;
    this.held = null;
    this.logger?.warn({ consumer: this.name, owner: this.leases.owner, epoch }, 'consumer lease lost to another process; stopped here, standing by');
    if (!duringStart) await held.started;
    // The runner's own stop writes its checkpoint through the fence, which now refuses: that is expected.
    await held.runner.stop().catch((error: unknown) => {
      if (!isLeaseLost(error)) this.logger?.error?.({ consumer: this.name, error: describeError(error) }, 'consumer did not stop cleanly after losing its lease');
    });
  }

  private async startFailed(epoch: number, error: unknown): Promise<void> {
    if (isLeaseLost(error)) {
      await this.lose(epoch, true);
      return;
    }
    this.logger?.error?.({ consumer: this.name, error: describeError(error) }, 'consumer failed to start; its lease is released for another process or the next heartbeat');
    const held = this.held;
    if (held?.epoch !== epoch) return;
    this.held = null;
    await held.runner.stop().catch(() => undefined);
    await this.leases.release(this.name, epoch).catch(() => undefined);
  }
}
