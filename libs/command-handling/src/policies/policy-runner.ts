import { SpanOptions, SpanStatusCode } from '@opentelemetry/api';
import { v5 as uuidv5 } from 'uuid';
import { DomainError } from '@ecf/domain';
import { CatchUpSubscription, EventStore, RecordedEvent, subscribeToAll } from '@ecf/event-store';
import { spanContextOf, tracer } from '@ecf/event-store/telemetry';
import { Checkpoint, CheckpointConflictError, Checkpoints, describeError, isLeaseLost, ReadModelDatabase, SubscriptionState, subscriptionState } from '@ecf/projections';
import { CommandEnvelope } from '../handle-command';
import { Policy, PolicyCommand, PolicyCommandExecutor, PolicyFaultHooks } from './policy';

const POLICY_COMMAND_NAMESPACE = 'c3f5e0a2-96b4-4c1e-8d7a-5b2f41e9a6d3';

/** The same causing event always yields the same command ids, so a re-run is recognised as a retry. */
export const policyCommandId = (policy: string, causingEventId: string, index: number): string =>
  uuidv5(`${policy}:${causingEventId}:${index}`, POLICY_COMMAND_NAMESPACE);

export interface PolicyLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  /** A consumer that stops on an error; without it the error is only in its checkpoint row. */
  error?(details: object, message: string): void;
}

export interface PolicyRunnerOptions {
  readonly logger?: PolicyLogger;
  readonly faults?: PolicyFaultHooks;
}

/** Policies keep one generation: a new version rebuilds its facts in place (see prepare). */
const POLICY_GENERATION = 1;

/**
 * Runs one policy from the `$all` subscription, at-least-once with idempotent effects:
 * 1. facts for the events before a trigger are committed with the checkpoint;
 * 2. the policy decides on those facts and its commands go through the ordinary command path, with
 *    ids derived from the causing event, causation = that event, correlation carried over;
 * 3. the trigger's own facts and the checkpoint past it commit together.
 * A crash anywhere re-runs step 2 on restart, where the store recognises the command ids and writes
 * nothing new. A command the domain rejects is logged and skipped (the decision was the domain's);
 * any other failure stops the policy with its error (logged, and kept in its checkpoint row), never
 * skipping the event. One exception: a checkpoint moved by another process running the same policy
 * (`ecf seed`, a second projector) means those events were handled and their facts committed with it,
 * so the runner follows on from there instead of stopping for good.
 */
export class PolicyRunner<Command = unknown> {
  private subscription: CatchUpSubscription | null = null;
  /** Set while the runner reads its checkpoint again after a conflict, before it follows on. */
  private followingOn: Promise<void> | null = null;
  private stopping = false;
  readonly name: string;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    readonly policy: Policy<Command>,
    private readonly execute: PolicyCommandExecutor<Command>,
    private readonly checkpoints: Checkpoints,
    private readonly options: PolicyRunnerOptions = {},
  ) {
    this.name = `policy:${policy.name}`;
  }

  /** Folds `events` into the facts and moves the checkpoint, in one transaction. */
  private async commit(events: readonly RecordedEvent[], from: number, to: number): Promise<void> {
    const tracked = new Set(this.policy.tracks);
    await this.db.transaction(async (session) => {
      for (const event of events) if (tracked.has(event.type)) await this.policy.apply(event, session);
      await this.checkpoints.advance(session, this.name, POLICY_GENERATION, from, to);
    });
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.follow(await this.prepare());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.followingOn;
    if (!this.subscription) return;
    await this.subscription.stop();
    this.subscription = null;
    await this.checkpoints.stop(this.name, POLICY_GENERATION);
  }

  /** Resolves once the policy has handled the log up to `position` (default: the head now), across a follow-on after a conflict. */
  async waitUntilCaughtUp(position?: number): Promise<void> {
    const target = position ?? (await this.store.headPosition());
    for (;;) {
      const subscription = this.subscription;
      if (!subscription) throw new Error(`Policy ${this.policy.name} is not running`);
      try {
        return await subscription.waitUntilCaughtUp(target);
      } catch (error) {
        await this.followingOn;
        if (this.subscription === subscription) throw error;
      }
    }
  }

  async statuses(): Promise<Checkpoint[]> {
    const checkpoint = await this.checkpoints.get(this.name, POLICY_GENERATION);
    return checkpoint ? [checkpoint] : [];
  }

  /** What this process's subscription is doing now, whatever another process wrote in the checkpoint row. */
  subscriptionStates(): SubscriptionState[] {
    return this.subscription ? [subscriptionState(this.name, POLICY_GENERATION, this.subscription)] : [];
  }

  private follow(after: number): void {
    const triggers = new Set(this.policy.reactsTo);
    let position = after;
    const commit = async (events: RecordedEvent[], to: number) => {
      await this.commit(events, position, to);
      position = to;
    };
    const subscription: CatchUpSubscription = subscribeToAll(this.store, {
      after,
      handle: async (batch) => {
        let pending: RecordedEvent[] = [];
        for (const event of batch) {
          if (triggers.has(event.type)) {
            if (pending.length > 0) await commit(pending, pending[pending.length - 1].position);
            pending = [];
            await this.react(event);
          }
          pending.push(event);
        }
        await commit(pending, batch[batch.length - 1].position);
      },
      // Called before the subscription's waiters are rejected, so waitUntilCaughtUp sees followingOn set.
      onError: (error) => {
        const handled = this.afterFailure(subscription, error).catch((recordError: unknown) =>
          this.options.logger?.error?.({ policy: this.policy.name, error: describeError(recordError) }, 'policy failure could not be recorded in its checkpoint'),
        );
        this.followingOn = handled.finally(() => {
          if (this.followingOn === handled) this.followingOn = null;
        });
      },
    });
    this.subscription = subscription;
  }

  /**
   * After a conflict the facts and the checkpoint are the other process's, committed together, so
   * following on from its checkpoint neither skips nor repeats a fact (a trigger reacted to twice is
   * recognised by its command ids). Anything else stops the policy: logged and recorded.
   */
  private async afterFailure(failed: CatchUpSubscription, error: unknown): Promise<void> {
    const details = { consumer: this.name, policy: this.policy.name, position: failed.position };
    if (isLeaseLost(error)) {
      // Another process owns the policy now and goes on from the checkpoint this batch did not move; a
      // command this process issued before the refusal is recognised there by its id.
      this.options.logger?.info(details, 'policy batch refused: its lease was taken over');
      return;
    }
    if (error instanceof CheckpointConflictError) {
      // Stopping anyway: stop() records the policy as stopped, not failed.
      if (this.stopping) return;
      const checkpoint = await this.checkpoints.get(this.name, POLICY_GENERATION);
      if (this.stopping) return;
      if (checkpoint && checkpoint.version === this.policy.version) {
        this.options.logger?.warn({ ...details, movedTo: checkpoint.position }, 'policy checkpoint moved by another process; following on from there');
        this.follow(checkpoint.position);
        return;
      }
    }
    this.options.logger?.error?.({ ...details, error: describeError(error) }, 'policy stopped on an error; it starts again from its checkpoint (see consumer restarts)');
    await this.checkpoints.fail(this.name, POLICY_GENERATION, error);
  }

  /**
   * The reaction to one trigger, as the span `policy <name>`: a trace of its own (the policy runs later,
   * perhaps in another process), linked to the span of the command that wrote the trigger through the
   * traceparent in the event's metadata. Its commands' spans are its children.
   */
  private react(event: RecordedEvent): Promise<void> {
    const causing = spanContextOf(event.metadata.traceparent);
    const span: SpanOptions = {
      root: true,
      links: causing ? [{ context: causing, attributes: { 'ecf.link': 'trigger written by' } }] : [],
      attributes: {
        'ecf.policy': this.policy.name,
        'ecf.event.type': event.type,
        'ecf.event.id': event.eventId,
        'ecf.event.position': event.position,
        'ecf.stream.id': event.streamId,
        'ecf.correlation_id': event.metadata.correlationId,
        'ecf.causation_id': event.eventId,
      },
    };
    return tracer.startActiveSpan(`policy ${this.policy.name}`, span, async (active) => {
      try {
        const commands = await this.policy.react(event, this.db);
        active.setAttribute('ecf.policy.commands', commands.length);
        for (const [index, command] of commands.entries()) {
          this.options.faults?.beforeCommand?.(this.policy.name, event);
          await this.issue(event, command, index);
          this.options.faults?.afterCommand?.(this.policy.name, event);
        }
      } catch (error) {
        active.recordException(error instanceof Error ? error : describeError(error));
        active.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
        throw error;
      } finally {
        active.end();
      }
    });
  }

  private async issue(cause: RecordedEvent, command: PolicyCommand<Command>, index: number): Promise<void> {
    const envelope: CommandEnvelope = {
      commandId: policyCommandId(this.policy.name, cause.eventId, index),
      correlationId: cause.metadata.correlationId,
      causationId: cause.eventId,
      actor: { id: `policy:${this.policy.name}`, role: 'system' },
      reason: `${this.policy.name}: ${cause.type} on ${cause.streamId}@${cause.revision}`,
    };
    const details = { policy: this.policy.name, causingEvent: cause.eventId, position: cause.position, commandId: envelope.commandId, stream: command.streamId };
    try {
      const outcome = await this.execute(command, envelope);
      this.options.logger?.info({ ...details, events: outcome.events.length, replayed: outcome.replayed }, 'policy command issued');
    } catch (error) {
      if (!(error instanceof DomainError)) {
        throw new Error(`Policy ${this.policy.name} failed on ${cause.type} at position ${cause.position}: ${describeError(error)}`);
      }
      this.options.logger?.warn({ ...details, code: error.code, message: error.message }, 'policy command rejected by the domain; skipped');
    }
  }

  /**
   * Creates the facts tables. After a version change the facts are rebuilt from the log up to the old
   * checkpoint without reacting, so history is never acted on twice by a changed policy.
   */
  private async prepare(): Promise<number> {
    await this.checkpoints.ensureSchema();
    const row = await this.checkpoints.get(this.name, POLICY_GENERATION);
    const sameVersion = row?.version === this.policy.version;
    if (row && !sameVersion) for (const table of this.policy.tables) await this.db.exec(`DROP TABLE IF EXISTS ${table}`);
    for (const ddl of this.policy.schema) await this.db.exec(ddl);
    if (row && sameVersion) {
      await this.checkpoints.markRunning(this.name, POLICY_GENERATION, this.policy.version);
      return row.position;
    }
    // First start: the policy belongs to the product from its first event, so it reacts to the whole log.
    const reactedUpTo = row?.position ?? 0;
    await this.checkpoints.create(this.name, POLICY_GENERATION, this.policy.version, 'live');
    await this.db.transaction((session) => this.checkpoints.reset(session, this.name, POLICY_GENERATION, this.policy.version));
    await this.rebuildFacts(reactedUpTo);
    return reactedUpTo;
  }

  private async rebuildFacts(upTo: number): Promise<void> {
    let from = 0;
    while (from < upTo) {
      const batch = (await this.store.readAll({ after: from, maxCount: 1000 })).filter((event) => event.position <= upTo);
      if (batch.length === 0) break;
      const to = batch[batch.length - 1].position;
      await this.commit(batch, from, to);
      from = to;
    }
    if (from !== upTo) await this.db.transaction((session) => this.checkpoints.advance(session, this.name, POLICY_GENERATION, from, upTo));
  }
}
