import type { DecisionContext, MentorCascadeCommand } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { Checkpoint, Checkpoints } from './engine/checkpoints';
import { Projection } from './engine/projection';
import { ProjectionRunner, ProjectionRunnerOptions } from './engine/projection-runner';
import { withSubscriptionStates } from './engine/subscription-state';
import { PARTICIPANT_PROGRAMME_PROJECTION, participantProgrammeProjection, ProgrammeCalendarData } from './participant-programme/participant-programme.projection';
import { participantSummaryProjection } from './participant-summary/participant-summary.projection';
import { schoolAlertsProjection } from './school-alerts/school-alerts.projection';
import { mentorCascadePolicy, participantCommandExecutor } from './policies/mentor-cascade.policy';
import { PolicyFaultHooks } from './policies/policy';
import { PolicyLogger, PolicyRunner } from './policies/policy-runner';
import { ReadModelDatabase } from './read-models/sql-database';

export interface ConsumerOptions {
  readonly logger?: PolicyLogger;
  readonly faults?: PolicyFaultHooks;
  readonly projections?: ProjectionRunnerOptions;
}

/** Every projection the product runs, in the order they start. */
export const productProjections = (calendar: ProgrammeCalendarData): readonly Projection[] => [
  participantSummaryProjection,
  schoolAlertsProjection,
  participantProgrammeProjection(calendar),
];

export const PRODUCT_PROJECTION_NAMES: readonly string[] = [participantSummaryProjection.name, schoolAlertsProjection.name, PARTICIPANT_PROGRAMME_PROJECTION];

/** Every consumer (projection or policy) a projector runs, by the name its checkpoint row carries. */
export const PRODUCT_CONSUMER_NAMES: readonly string[] = [...PRODUCT_PROJECTION_NAMES, `policy:${mentorCascadePolicy.name}`];

/**
 * Everything that follows the `$all` subscription: the projections and the policies. The API runs
 * them in-process in embedded mode; `apps/projector` runs the same set as its own process.
 */
export class Consumers {
  readonly projections: ProjectionRunner[];
  readonly policies: PolicyRunner<MentorCascadeCommand>[];
  private readonly checkpoints: Checkpoints;

  constructor(store: EventStore, private readonly db: ReadModelDatabase, context: () => DecisionContext, calendar: ProgrammeCalendarData, options: ConsumerOptions = {}) {
    this.checkpoints = new Checkpoints(db);
    const projectionOptions = { logger: options.logger, ...options.projections };
    this.projections = productProjections(calendar).map((projection) => new ProjectionRunner(store, db, projection, this.checkpoints, projectionOptions));
    this.policies = [new PolicyRunner(store, db, mentorCascadePolicy, participantCommandExecutor(store, context), this.checkpoints, options)];
  }

  get names(): string[] {
    return [...this.projections, ...this.policies].map((consumer) => consumer.name);
  }

  async start(): Promise<void> {
    for (const projection of this.projections) await projection.start();
    for (const policy of this.policies) await policy.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.projections, ...this.policies].map((consumer) => consumer.stop()));
  }

  /** Resolves once every projection and policy has handled the log up to `position` (default: the head now). */
  async waitUntilCaughtUp(position?: number): Promise<void> {
    await Promise.all([...this.projections, ...this.policies].map((consumer) => consumer.waitUntilCaughtUp(position)));
  }

  /**
   * Every consumer's checkpoint; where this process runs a consumer, its status and error are those of
   * its own subscription (a failure whose record did not land, or a row another process overwrote, is
   * still reported).
   */
  async statuses(): Promise<Checkpoint[]> {
    const states = [...this.projections, ...this.policies].flatMap((consumer) => consumer.subscriptionStates());
    return withSubscriptionStates(await this.checkpointRows(), states);
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
