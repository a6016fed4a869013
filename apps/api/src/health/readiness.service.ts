import { Inject, Injectable, Logger } from '@nestjs/common';
import { PRODUCT_CONSUMER_NAMES } from '@ecf/command-handling';
import type { EventStore } from '@ecf/event-store';
import { Checkpoint, CheckpointWithLag, ConsumerReadiness, describeError, judgeConsumers, ReadinessBounds, withLag } from '@ecf/projections';
import type { AppConfig } from '@ecf/runtime';
import { ProjectionsService } from '../infrastructure/projections.service';
import { APP_CONFIG, EVENT_STORE } from '../infrastructure/tokens';

/** How long one probe waits for a store before calling it unreachable. */
const CHECK_TIMEOUT_MS = 3_000;

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface ReadinessSnapshot {
  readonly eventStore: Outcome<number>;
  /** The checkpoint rows (with this process's own subscriptions' states), read from the read-model database. */
  readonly readModels: Outcome<readonly Checkpoint[]>;
  /** Null when the read-model database did not answer: the consumers could not be judged. */
  readonly consumers: readonly ConsumerReadiness[] | null;
}

async function within<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    return { ok: true, value: await Promise.race([work(), timeout]) };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What readiness is judged on: the event store answers, the read-model database answers, and every
 * consumer's live generation is running within the lag bounds. Where the API runs the consumers
 * (RUN_PROJECTIONS=true) their status is this process's own subscriptions'; where a separate projector
 * runs them, it is their checkpoint rows' (status, and position against the head). Probes that arrive
 * while a check is under way share it, so the unauthenticated route cannot multiply the stores' load.
 * A check that finds something not ready logs it at error level once, with its reason, and logs its
 * recovery.
 */
@Injectable()
export class Readiness {
  private readonly logger = new Logger('Readiness');
  private inFlight: Promise<ReadinessSnapshot> | null = null;
  private readonly reported = new Map<string, string>();
  readonly bounds: ReadinessBounds;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly projections: ProjectionsService,
  ) {
    // EventStoreDB positions are commit positions, not event counts: only the age bound applies there.
    this.bounds = { maxLagPositions: config.eventStore === 'esdb' ? null : config.readinessMaxLagEvents, maxLagSeconds: config.readinessMaxLagSeconds };
  }

  snapshot(): Promise<ReadinessSnapshot> {
    if (!this.inFlight) {
      const check = this.take();
      this.inFlight = check;
      void check.finally(() => {
        if (this.inFlight === check) this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  private async take(): Promise<ReadinessSnapshot> {
    const [eventStore, readModels] = await Promise.all([within(() => this.store.headPosition()), within(() => this.projections.statuses())]);
    let consumers: ConsumerReadiness[] | null = null;
    if (readModels.ok) {
      const lagged = eventStore.ok ? await within(() => withLag(this.store, readModels.value)) : null;
      const rows: CheckpointWithLag[] = lagged?.ok ? lagged.value : readModels.value.map((checkpoint) => ({ ...checkpoint, lagPositions: null, lagSeconds: null }));
      consumers = judgeConsumers(rows, PRODUCT_CONSUMER_NAMES, this.bounds);
    }
    const snapshot = { eventStore, readModels, consumers };
    this.report(snapshot);
    return snapshot;
  }

  private report(snapshot: ReadinessSnapshot): void {
    // Each problem with its kind, so a lag that grows between probes is logged once, not at every probe.
    const problems = new Map<string, { kind: string; reason: string }>();
    if (!snapshot.eventStore.ok) problems.set('eventStore', { kind: 'unreachable', reason: `unreachable: ${snapshot.eventStore.error}` });
    if (!snapshot.readModels.ok) problems.set('readModels', { kind: 'unreachable', reason: `unreachable: ${snapshot.readModels.error}` });
    for (const consumer of snapshot.consumers ?? []) {
      if (!consumer.ready) problems.set(consumer.name, { kind: consumer.status === 'running' ? 'lagging' : consumer.status, reason: consumer.reason ?? 'not ready' });
    }
    for (const [check, { kind, reason }] of problems) {
      if (this.reported.get(check) === kind) continue;
      this.reported.set(check, kind);
      this.logger.error({ check, reason, msg: `not ready: ${check} ${reason}` });
    }
    for (const check of [...this.reported.keys()]) {
      if (problems.has(check)) continue;
      // A consumer not judged (the read-model database did not answer) has not recovered.
      if (!snapshot.readModels.ok && check !== 'readModels' && check !== 'eventStore') continue;
      this.reported.delete(check);
      this.logger.log({ check, msg: `ready again: ${check}` });
    }
  }
}
