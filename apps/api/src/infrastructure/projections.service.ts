import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import type { EventStore } from '@ecf/event-store';
import { participantSummaryProjection, ProjectionRunner, ProjectionStatus } from '@ecf/projections';
import type { AppConfig } from '@ecf/runtime';
import { APP_CONFIG, EVENT_STORE, READ_MODEL_DB } from './tokens';

/** In embedded mode the projector runs inside the API process, from the same store subscription. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Projections');
  private readonly runners: ProjectionRunner[];

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_DB) db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.runners = [new ProjectionRunner(store, db, participantSummaryProjection)];
  }

  onApplicationBootstrap(): void {
    if (!this.config.runProjections) return this.logger.log('Projections run in a separate projector process (RUN_PROJECTIONS=false)');
    for (const runner of this.runners) runner.start();
    this.logger.log(`Started projections: ${this.runners.map((runner) => runner.projection.name).join(', ')}`);
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  /** Resolves once every projection has applied the log up to `position` (read-your-writes for callers that need it). */
  async waitUntilCaughtUp(position?: number): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.waitUntilCaughtUp(position)));
  }

  statuses(): ProjectionStatus[] {
    return this.runners.map((runner) => runner.status());
  }
}
