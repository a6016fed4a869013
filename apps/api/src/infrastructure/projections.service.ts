import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Consumers } from '@ecf/command-handling';
import type { DecisionContext } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { Checkpoint, ReadModelDatabase } from '@ecf/projections';
import { AppConfig, policyFaultHooksFromEnv, ProgrammeCalendar } from '@ecf/runtime';
import { APP_CONFIG, DECISION_CONTEXT, EVENT_STORE, PROGRAMME_CALENDAR, READ_MODEL_DB } from './tokens';

/** In embedded mode the projections and policies run inside the API process, from the same store subscription (each one while this process holds its lease). */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Projections');
  private readonly consumers: Consumers;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_DB) db: ReadModelDatabase,
    @Inject(DECISION_CONTEXT) context: () => DecisionContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROGRAMME_CALENDAR) calendar: ProgrammeCalendar,
  ) {
    const policyLogger = new Logger('Policies');
    this.consumers = new Consumers(store, db, context, calendar, {
      faults: policyFaultHooksFromEnv(),
      lease: { ttlMs: config.consumerLeaseTtlMs },
      logger: {
        info: (details, message) => policyLogger.log({ ...details, msg: message }),
        warn: (details, message) => policyLogger.warn({ ...details, msg: message }),
        error: (details, message) => policyLogger.error({ ...details, msg: message }),
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runProjections) return this.logger.log('Projections and policies run in a separate projector process (RUN_PROJECTIONS=false)');
    await this.consumers.start();
    const standingBy = this.consumers.names.filter((name) => !this.consumers.running.includes(name));
    this.logger.log(`Running: ${this.consumers.running.join(', ') || 'none'}${standingBy.length > 0 ? `; standing by for (another process holds their leases): ${standingBy.join(', ')}` : ''}`);
  }

  get names(): readonly string[] {
    return this.consumers.names;
  }

  /** The consumers this process runs now (it holds their leases). */
  get running(): readonly string[] {
    return this.consumers.running;
  }

  async stop(): Promise<void> {
    await this.consumers.stop();
  }

  /** Resolves once every projection and policy has handled the log up to `position` (read-your-writes for callers that need it). */
  async waitUntilCaughtUp(position?: number): Promise<void> {
    await this.consumers.waitUntilCaughtUp(position);
  }

  statuses(): Promise<Checkpoint[]> {
    return this.consumers.statuses();
  }
}
