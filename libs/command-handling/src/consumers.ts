import type { DecisionContext } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import {
  Checkpoint,
  Checkpoints,
  ConsumerLeases,
  ConsumerRunner,
  describeError,
  Lease,
  LeasedConsumer,
  leaseOwnerId,
  PRODUCT_PROJECTION_NAMES,
  productProjections,
  ProgrammeCalendarData,
  ProjectionRunner,
  ProjectionRunnerOptions,
  ReadModelDatabase,
  withSubscriptionStates,
} from '@ecf/projections';
import { mentorCascadePolicy, participantCommandExecutor } from './policies/mentor-cascade.policy';
import { PolicyFaultHooks } from './policies/policy';
import { PolicyLogger, PolicyRunner } from './policies/policy-runner';

export interface ConsumerOptions {
  readonly logger?: PolicyLogger;
  readonly faults?: PolicyFaultHooks;
  readonly projections?: ProjectionRunnerOptions;
  readonly lease?: LeaseOptions;
}

export interface LeaseOptions {
  /** How long a lease lasts without a heartbeat (default 6 s); heartbeats come every third of it. */
  readonly ttlMs?: number;
  /** This process's name in the lease rows (default host:pid:random). */
  readonly owner?: string;
}

export const DEFAULT_LEASE_TTL_MS = 6000;

/** Every consumer (projection or policy) a projector runs, by the name its checkpoint row carries. */
export const PRODUCT_CONSUMER_NAMES: readonly string[] = [...PRODUCT_PROJECTION_NAMES, `policy:${mentorCascadePolicy.name}`];

/**
 * Everything that follows the `$all` subscription: the projections and the policies. The API runs
 * them in-process in embedded mode; `apps/projector` runs the same set as its own process, and several
 * projectors may run at once: each consumer runs in the one process holding its lease (a standby takes
 * it over within a lease's length of the owner dying or hanging; ADR 0014).
 */
export class Consumers {
  private readonly consumers: LeasedConsumer[];
  private readonly checkpoints: Checkpoints;
  private readonly leases: ConsumerLeases;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Heartbeats never overlap: each waits for the one before. */
  private beating: Promise<void> = Promise.resolve();

  constructor(private readonly store: EventStore, private readonly db: ReadModelDatabase, context: () => DecisionContext, calendar: ProgrammeCalendarData, private readonly options: ConsumerOptions = {}) {
    this.checkpoints = new Checkpoints(db);
    this.leases = new ConsumerLeases(db, options.lease?.owner ?? leaseOwnerId(), options.lease?.ttlMs ?? DEFAULT_LEASE_TTL_MS, {
      takeOverDeadLocalOwners: db.dialect === 'sqlite',
    });
    const projectionOptions = { logger: options.logger, ...options.projections };
    const leased = (name: string, createRunner: (fenced: ReadModelDatabase) => ConsumerRunner) =>
      new LeasedConsumer(name, this.leases, db, this.checkpoints, createRunner, options.logger);
    this.consumers = [
      ...productProjections(calendar).map((projection) =>
        leased(projection.name, (fenced) => new ProjectionRunner(store, fenced, projection, new Checkpoints(fenced), projectionOptions)),
      ),
      leased(`policy:${mentorCascadePolicy.name}`, (fenced) => new PolicyRunner(store, fenced, mentorCascadePolicy, participantCommandExecutor(store, context), new Checkpoints(fenced), options)),
    ];
  }

  get names(): string[] {
    return this.consumers.map((consumer) => consumer.name);
  }

  /** This process's name in the lease rows. */
  get owner(): string {
    return this.leases.owner;
  }

  /** The consumers this process runs now (it holds their leases); the others run in another process. */
  get running(): string[] {
    return this.consumers.filter((consumer) => consumer.running).map((consumer) => consumer.name);
  }

  /** Takes every free lease and starts those consumers, in order; then keeps the leases by heartbeat and stands by for the others. */
  async start(): Promise<void> {
    await this.checkpoints.ensureSchema();
    await this.leases.ensureSchema();
    // Before the first start, which may take long (a policy rebuilding its facts): the leases must be renewed meanwhile.
    this.heartbeat = setInterval(() => void this.beat(), this.leases.heartbeatMs);
    this.heartbeat.unref();
    for (const consumer of this.consumers) await consumer.start();
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    await this.beating;
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }

  /** Resolves once every projection and policy has handled the log up to `position` (default: the head now), wherever it runs. */
  async waitUntilCaughtUp(position?: number): Promise<void> {
    const target = position ?? (await this.store.headPosition());
    await Promise.all(this.consumers.map((consumer) => consumer.waitUntilCaughtUp(target)));
  }

  /**
   * Every consumer's checkpoint; where this process runs a consumer, its status and error are those of
   * its own subscription (a failure whose record did not land, or a row another process overwrote, is
   * still reported).
   */
  async statuses(): Promise<Checkpoint[]> {
    const states = this.consumers.flatMap((consumer) => consumer.subscriptionStates());
    return withSubscriptionStates(await this.checkpointRows(), states);
  }

  /** Every consumer's lease, as the database holds it (who owns what, until when). */
  leaseRows(): Promise<Lease[]> {
    return this.leases.all();
  }

  private beat(): Promise<void> {
    this.beating = this.beating.then(async () => {
      for (const consumer of this.consumers) {
        if (!this.heartbeat) return;
        await consumer.tick().catch((error: unknown) =>
          this.options.logger?.warn({ consumer: consumer.name, error: describeError(error) }, 'consumer lease heartbeat failed; trying again at the next one'),
        );
      }
    });
    return this.beating;
  }

  /** None when no consumer has ever started against this database (the first creates the table); throws when the database does not answer. */
  private async checkpointRows(): Promise<Checkpoint[]> {
    try {
      return await this.checkpoints.all();
    } catch (error) {
      const answers = await this.db.get('SELECT 1 AS one').then(
        () => true,
        () => false,
      );
      if (answers) return [];
      throw error;
    }
  }
}
