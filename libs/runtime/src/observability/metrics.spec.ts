import type { Pool } from 'pg';
import { observeCommand } from '@ecf/command-handling';
import type { EventStore, RecordedEvent } from '@ecf/event-store';
import { watchPool } from '@ecf/event-store/telemetry';
import type { Checkpoint } from '@ecf/projections';
import { ConsumerSource, Metrics } from './metrics';

/** A log of `head` events, the n-th recorded `n` minutes after midnight. */
function storeWithHead(head: number): EventStore {
  const recordedAt = (position: number) => new Date(Date.UTC(2026, 0, 1, 0, position)).toISOString();
  return {
    headPosition: async () => head,
    readAll: async ({ after = 0 } = {}) => (after < head ? [{ position: after + 1, recordedAt: recordedAt(after + 1) } as RecordedEvent] : []),
  } as EventStore;
}

const checkpoint = (name: string, position: number, overrides: Partial<Checkpoint> = {}): Checkpoint => ({
  name,
  generation: 1,
  version: 1,
  role: 'live',
  position,
  status: 'running',
  lastError: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('Metrics', () => {
  const opened: Metrics[] = [];
  const metricsWith = (source?: ConsumerSource) => {
    const metrics = new Metrics();
    if (source) metrics.watchConsumers(source);
    opened.push(metrics);
    return metrics;
  };
  afterEach(() => opened.splice(0).forEach((metrics) => metrics.close()));

  it('reads each consumer’s position, lag, generation and state when scraped, once per scrape', async () => {
    let reads = 0;
    const statuses = [
      checkpoint('participant-summary', 10),
      checkpoint('participant-programme', 4, { status: 'failed', lastError: 'boom' }),
      checkpoint('participant-programme', 7, { generation: 2, role: 'building' }),
      checkpoint('policy:mentor-cascade', 10, { status: 'stopped' }),
    ];
    const metrics = metricsWith({ store: storeWithHead(10), positionsCountEvents: true, statuses: async () => (reads++, statuses) });
    const text = await metrics.metrics();
    expect(reads).toBe(1);
    expect(sample(text, 'ecf_consumer_status_up')).toBe(1);
    expect(sample(text, 'ecf_event_store_head_position')).toBe(10);
    expect(sample(text, 'ecf_consumer_position{consumer="participant-programme",role="live"}')).toBe(4);
    expect(sample(text, 'ecf_consumer_lag_events{consumer="participant-programme",role="live"}')).toBe(6);
    expect(sample(text, 'ecf_consumer_lag_events{consumer="participant-summary",role="live"}')).toBe(0);
    expect(sample(text, 'ecf_consumer_lag_seconds{consumer="participant-summary",role="live"}')).toBe(0);
    expect(sample(text, 'ecf_consumer_lag_seconds{consumer="participant-programme",role="live"}')).toBeGreaterThan(0);
    expect(sample(text, 'ecf_consumer_generation{consumer="participant-programme",role="building"}')).toBe(2);
    expect(sample(text, 'ecf_consumer_rebuild_progress_ratio{consumer="participant-programme"}')).toBeCloseTo(0.7);
    expect(sample(text, 'ecf_consumer_state{consumer="participant-programme",role="live",state="failed"}')).toBe(1);
    expect(sample(text, 'ecf_consumer_state{consumer="participant-programme",role="live",state="running"}')).toBe(0);
    expect(sample(text, 'ecf_consumer_state{consumer="policy:mentor-cascade",role="live",state="stopped"}')).toBe(1);

    // A rebuild swapped in since: the building series go, nothing stale stays.
    statuses.splice(1, 2, checkpoint('participant-programme', 10, { generation: 2 }));
    const after = await metrics.metrics();
    expect(reads).toBe(2);
    expect(after).not.toContain('role="building"');
    expect(after).not.toContain('ecf_consumer_rebuild_progress_ratio{');
    expect(sample(after, 'ecf_consumer_generation{consumer="participant-programme",role="live"}')).toBe(2);
  });

  it('says the consumers could not be read (and leaves their series out) when a store does not answer; no lag in events where positions are not event counts', async () => {
    const failing = metricsWith({ store: storeWithHead(3), positionsCountEvents: true, statuses: () => Promise.reject(new Error('connection refused')) });
    const text = await failing.metrics();
    expect(sample(text, 'ecf_consumer_status_up')).toBe(0);
    expect(text).not.toContain('ecf_consumer_position{');

    const esdb = metricsWith({ store: storeWithHead(3), positionsCountEvents: false, statuses: async () => [checkpoint('participant-summary', 1)] });
    const positions = await esdb.metrics();
    expect(positions).not.toContain('ecf_consumer_lag_events');
    expect(sample(positions, 'ecf_consumer_lag_seconds{consumer="participant-summary",role="live"}')).toBeGreaterThan(0);
  });

  it('reports each open PostgreSQL pool by what it serves, until it is ended', async () => {
    const pool = (total: number, idle: number, waiting: number) => ({ totalCount: total, idleCount: idle, waitingCount: waiting, options: { max: 10 }, ended: false });
    const events = pool(4, 1, 2);
    watchPool('event-store', events as unknown as Pool);
    watchPool('read-models', pool(3, 3, 0) as unknown as Pool);
    const metrics = metricsWith();
    const text = await metrics.metrics();
    expect(sample(text, 'ecf_pg_pool_connections{pool="event-store"}')).toBe(4);
    expect(sample(text, 'ecf_pg_pool_idle_connections{pool="event-store"}')).toBe(1);
    expect(sample(text, 'ecf_pg_pool_waiting_clients{pool="event-store"}')).toBe(2);
    expect(sample(text, 'ecf_pg_pool_max_connections{pool="read-models"}')).toBe(10);
    events.ended = true;
    expect(await metrics.metrics()).not.toContain('pool="event-store"');
  });

  it('counts commands by origin, type, outcome and rejection code, with their duration; process metrics are there', async () => {
    const metrics = metricsWith();
    const envelope = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { id: 'k', role: 'dpl' } };
    const command = { origin: 'policy', type: 'DeferMentor', streamId: 'participant-x', envelope } as const;
    await observeCommand(command, async () => ({ replayed: false }));
    await observeCommand(command, async () => ({ replayed: true }));
    const rejection = Object.assign(new Error('no'), { code: 'ALREADY_DEFERRED' });
    await expect(observeCommand({ ...command, rejectionCode: (error) => (error as { code?: string }).code }, () => Promise.reject(rejection))).rejects.toBe(rejection);
    const text = await metrics.metrics();
    expect(sample(text, 'ecf_commands_total{origin="policy",type="DeferMentor",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'ecf_commands_total{origin="policy",type="DeferMentor",outcome="replayed"}')).toBe(1);
    expect(sample(text, 'ecf_commands_total{origin="policy",type="DeferMentor",outcome="rejected",code="ALREADY_DEFERRED"}')).toBe(1);
    expect(sample(text, 'ecf_command_duration_seconds_count{origin="policy",type="DeferMentor",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');

    metrics.close();
    await observeCommand(command, async () => ({ replayed: false }));
    expect(sample(await metrics.metrics(), 'ecf_commands_total{origin="policy",type="DeferMentor",outcome="accepted"}')).toBe(1);
  });
});
