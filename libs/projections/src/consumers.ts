import type { Database } from 'better-sqlite3';
import type { DecisionContext, MentorCascadeCommand } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { ProjectionRunner, ProjectionStatus } from './engine/projection-runner';
import { participantSummaryProjection } from './participant-summary/participant-summary.projection';
import { schoolAlertsProjection } from './school-alerts/school-alerts.projection';
import { mentorCascadePolicy, participantCommandExecutor } from './policies/mentor-cascade.policy';
import { PolicyFaultHooks } from './policies/policy';
import { PolicyLogger, PolicyRunner } from './policies/policy-runner';

export interface ConsumerOptions {
  readonly logger?: PolicyLogger;
  readonly faults?: PolicyFaultHooks;
}

/**
 * Everything that follows the `$all` subscription: the projections and the policies. The API runs
 * them in-process in embedded mode; `apps/projector` runs the same set as its own process.
 */
export class Consumers {
  readonly projections: ProjectionRunner[];
  readonly policies: PolicyRunner<MentorCascadeCommand>[];

  constructor(store: EventStore, db: Database, context: () => DecisionContext, options: ConsumerOptions = {}) {
    this.projections = [participantSummaryProjection, schoolAlertsProjection].map((projection) => new ProjectionRunner(store, db, projection));
    this.policies = [new PolicyRunner(store, db, mentorCascadePolicy, participantCommandExecutor(store, context), options)];
  }

  get names(): string[] {
    return this.statuses().map((status) => status.name);
  }

  async start(): Promise<void> {
    for (const projection of this.projections) projection.start();
    for (const policy of this.policies) await policy.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.projections, ...this.policies].map((consumer) => consumer.stop()));
  }

  /** Resolves once every projection and policy has handled the log up to `position` (default: the head now). */
  async waitUntilCaughtUp(position?: number): Promise<void> {
    await Promise.all([...this.projections, ...this.policies].map((consumer) => consumer.waitUntilCaughtUp(position)));
  }

  statuses(): ProjectionStatus[] {
    return [...this.projections, ...this.policies].map((consumer) => consumer.status());
  }
}
