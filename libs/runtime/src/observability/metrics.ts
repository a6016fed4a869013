import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventStore } from '@ecf/event-store';
import { APPEND_CHANNEL, AppendObservation, COMMAND_CHANNEL, CommandObservation, poolUsage } from '@ecf/event-store/telemetry';
import { Checkpoint, CheckpointStatus, ConsumerStatus, withLag } from '@ecf/projections';

/** Seconds: from a sub-millisecond append on SQLite to a command stuck behind a slow database. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const CONSUMER_STATES: readonly CheckpointStatus[] = ['running', 'stopped', 'failed'];
/** A scrape never waits longer than this for the stores: the consumers' gauges are left out instead. */
const CONSUMER_READ_TIMEOUT_MS = 5_000;

/** Where the consumers' positions are read on each scrape. */
export interface ConsumerSource {
  readonly store: EventStore;
  /** Every consumer's checkpoints (live and building generations). */
  statuses(): Promise<Checkpoint[]>;
  /** True where positions count events (SQLite, PostgreSQL); EventStoreDB's are commit positions, so no lag in events there. */
  readonly positionsCountEvents: boolean;
  /** Which consumers this process runs now (it holds their leases), out of all it could run. */
  readonly leases?: { readonly names: readonly string[]; running(): readonly string[] };
}

type ConsumerSnapshot = { readonly ok: true; readonly head: number; readonly consumers: readonly ConsumerStatus[] } | { readonly ok: false };

const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * This process's Prometheus metrics: prom-client's process and Node.js metrics, the commands and
 * appends the command path reports (diagnostics channels, see @ecf/event-store/telemetry), HTTP
 * requests (observeHttp), and — read from the stores on each scrape, never on a timer — the consumers'
 * positions, lag and state and the PostgreSQL pools' use.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly commands: Counter<'origin' | 'type' | 'outcome' | 'code'>;
  private readonly commandSeconds: Histogram<'origin' | 'type' | 'outcome'>;
  private readonly appendSeconds: Histogram<'outcome'>;
  private readonly appendedEvents: Counter;
  private readonly httpSeconds: Histogram<'method' | 'route' | 'status_class'>;
  /** One read of the consumers per scrape, shared by their gauges. */
  private scrape: Promise<ConsumerSnapshot> | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.commands = new Counter({
      name: 'ecf_commands_total',
      help: 'Commands handled, by origin (api, policy), type and outcome (accepted, replayed, dry_run, rejected with its code, conflict, failed)',
      labelNames: ['origin', 'type', 'outcome', 'code'],
      registers,
    });
    this.commandSeconds = new Histogram({
      name: 'ecf_command_duration_seconds',
      help: 'Time to handle a command, from its handler being called to its answer (load, decide, append)',
      labelNames: ['origin', 'type', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.appendSeconds = new Histogram({
      name: 'ecf_event_store_append_duration_seconds',
      help: 'Time of one append to the event store (appended, conflict: the expected revision was stale, failed)',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.appendedEvents = new Counter({ name: 'ecf_event_store_appended_events_total', help: 'Events appended to the event store by this process', registers });
    this.httpSeconds = new Histogram({
      name: 'ecf_http_request_duration_seconds',
      help: 'HTTP requests by method, route template (never the raw path) and status class, with their duration; status_class "aborted" when the client went away first',
      labelNames: ['method', 'route', 'status_class'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.watchPools();
    subscribe(COMMAND_CHANNEL, this.onCommand);
    subscribe(APPEND_CHANNEL, this.onAppend);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The metrics in Prometheus text format; the consumers are read once for the whole scrape. */
  async metrics(): Promise<string> {
    try {
      return await this.registry.metrics();
    } finally {
      this.scrape = null;
    }
  }

  observeHttp(method: string, route: string, status: number | 'aborted', seconds: number): void {
    this.httpSeconds.observe({ method, route, status_class: status === 'aborted' ? status : statusClass(status) }, seconds);
  }

  /** Stops listening to the command path (the registry keeps what it has counted). */
  close(): void {
    unsubscribe(COMMAND_CHANNEL, this.onCommand);
    unsubscribe(APPEND_CHANNEL, this.onAppend);
  }

  /**
   * The consumers' gauges, read from `source` when scraped: position, generation, lag in events and in
   * seconds, state (one series per state, 1 for the current one) per consumer and role (live, or a
   * rebuild's building generation), a rebuild's progress, and the log's head.
   */
  watchConsumers(source: ConsumerSource): void {
    const registers = [this.registry];
    const snapshot = () => (this.scrape ??= this.readConsumers(source));
    const gauge = <Label extends string>(name: string, help: string, labelNames: readonly Label[], fill: (gauge: Gauge<Label>, read: Extract<ConsumerSnapshot, { ok: true }>) => void) =>
      new Gauge<Label>({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          const read = await snapshot();
          this.reset();
          if (read.ok) fill(this, read);
        },
      });
    const byConsumer = (status: ConsumerStatus) => ({ consumer: status.name, role: status.role });
    new Gauge({
      name: 'ecf_consumer_status_up',
      help: '1 when the consumers’ checkpoints and the log’s head could be read for this scrape, 0 when not (the ecf_consumer_* series are then absent)',
      registers,
      async collect() {
        this.set((await snapshot()).ok ? 1 : 0);
      },
    });
    gauge('ecf_event_store_head_position', 'Position of the last event in the log ($all)', [], (metric, read) => metric.set(read.head));
    gauge('ecf_consumer_position', 'Position in the log up to which a projection or policy has handled events', ['consumer', 'role'], (metric, read) => {
      for (const status of read.consumers) metric.set(byConsumer(status), status.position);
    });
    gauge('ecf_consumer_generation', 'Generation of a consumer’s tables (a rebuild builds the next one beside the live one)', ['consumer', 'role'], (metric, read) => {
      for (const status of read.consumers) metric.set(byConsumer(status), status.generation);
    });
    if (source.positionsCountEvents) {
      gauge('ecf_consumer_lag_events', 'Events in the log a consumer has not handled yet', ['consumer', 'role'], (metric, read) => {
        for (const status of read.consumers) metric.set(byConsumer(status), status.lagPositions);
      });
      gauge('ecf_consumer_rebuild_progress_ratio', 'How far a rebuild’s building generation has got through the log, 0 to 1 (a stream-by-stream build stays at 0 until its pass ends)', ['consumer'], (metric, read) => {
        for (const status of read.consumers.filter((consumer) => consumer.role === 'building')) {
          metric.set({ consumer: status.name }, read.head === 0 ? 1 : Math.min(1, status.position / read.head));
        }
      });
    }
    gauge('ecf_consumer_lag_seconds', 'How long the oldest event a consumer has not handled has waited; 0 when caught up', ['consumer', 'role'], (metric, read) => {
      for (const status of read.consumers) metric.set(byConsumer(status), status.lagSeconds);
    });
    const leases = source.leases;
    if (leases) {
      new Gauge({
        name: 'ecf_consumer_lease_held',
        help: '1 for each projection or policy this process runs now (it holds its lease), 0 for those another process runs or that this one stands by for',
        labelNames: ['consumer'],
        registers,
        collect() {
          const running = new Set(leases.running());
          for (const name of leases.names) this.set({ consumer: name }, running.has(name) ? 1 : 0);
        },
      });
    }
    gauge('ecf_consumer_state', 'A consumer’s state: 1 for its current one (running, stopped, failed), 0 for the others', ['consumer', 'role', 'state'], (metric, read) => {
      for (const status of read.consumers) for (const state of CONSUMER_STATES) metric.set({ ...byConsumer(status), state }, status.status === state ? 1 : 0);
    });
  }

  private async readConsumers(source: ConsumerSource): Promise<ConsumerSnapshot> {
    try {
      const read = async () => {
        const [head, statuses] = await Promise.all([source.store.headPosition(), source.statuses()]);
        return { ok: true as const, head, consumers: await withLag(source.store, statuses) };
      };
      return await within(read(), CONSUMER_READ_TIMEOUT_MS);
    } catch {
      return { ok: false };
    }
  }

  private watchPools(): void {
    const registers = [this.registry];
    const pools = (name: string, help: string, value: (usage: ReturnType<typeof poolUsage>[number]) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers,
        collect() {
          this.reset();
          for (const usage of poolUsage()) this.set({ pool: usage.pool }, value(usage));
        },
      });
    pools('ecf_pg_pool_connections', 'Connections a PostgreSQL pool holds open (event-store, read-models)', (usage) => usage.total);
    pools('ecf_pg_pool_idle_connections', 'Open connections of a PostgreSQL pool not in use', (usage) => usage.idle);
    pools('ecf_pg_pool_waiting_clients', 'Queries waiting for a connection of a PostgreSQL pool', (usage) => usage.waiting);
    pools('ecf_pg_pool_max_connections', 'The most connections a PostgreSQL pool opens', (usage) => usage.max);
  }

  private readonly onCommand = (message: unknown): void => {
    const { origin, type, outcome, code, seconds } = message as CommandObservation;
    this.commands.inc(code === null ? { origin, type, outcome } : { origin, type, outcome, code });
    this.commandSeconds.observe({ origin, type, outcome }, seconds);
  };

  private readonly onAppend = (message: unknown): void => {
    const { outcome, events, seconds } = message as AppendObservation;
    this.appendSeconds.observe({ outcome }, seconds);
    if (outcome === 'appended') this.appendedEvents.inc(events);
  };
}
