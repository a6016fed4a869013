import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess } from '../support/api-process';
import { eventually, httpClient } from '../support/http-client';
import { ProjectorProcess } from '../support/projector-process';
import { StoreTarget } from '../support/store-target';

const SCHOOL = '100071';
const COHORT = 2026;
const CONSUMERS = ['participant-summary', 'school-alerts', 'participant-programme', 'policy:mentor-cascade'];

/** The value of one series (`name{labels}`) in a Prometheus text page; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
  return response.text();
}

const lagOf = (text: string, consumer: string) => sample(text, `ecf_consumer_lag_events{consumer="${consumer}",role="live"}`);

/**
 * What Prometheus sees of a real API process (and of a separate projector): counters that move with
 * the commands sent, latency histograms with samples, HTTP requests by route template, each
 * consumer's lag, back to 0 once it has caught up, and on PostgreSQL the pools.
 */
describe('GET /metrics', () => {
  describe('the API with its projections in-process', () => {
    let api: ApiProcess;
    let http: ReturnType<typeof httpClient>;
    const keys: Record<string, string> = {};

    beforeAll(async () => {
      api = await ApiProcess.start({ RATE_LIMIT_PER_MINUTE: '5' });
      http = httpClient(api.baseUrl);
      keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
      keys.system = await api.createKey('system');
    });

    afterAll(async () => {
      await api?.stop();
    });

    it('counts commands by type and outcome, times them and their appends, labels HTTP requests by route template, and shows each consumer catching up', async () => {
      const before = await scrape(`${api.baseUrl}/metrics`);
      expect(sample(before, 'ecf_consumer_status_up')).toBe(1);

      expect((await http('POST', '/schools', { key: keys.lead, body: { urn: SCHOOL, name: 'Metrics Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT } })).status).toBe(201);
      const refused = await http('POST', '/schools', { key: keys.lead, body: { urn: '100072', name: 'Far Away', region: 'south-west', deliveryPartnerId: 'dp-north', cohort: COHORT } });
      expect(refused.body).toMatchObject({ code: 'REGION_NOT_COVERED' });
      const ect = { firstName: 'Ada', lastName: 'Metric', dateOfBirth: '1994-06-01', trn: '8700001', email: 'ada@example.org', schoolUrn: SCHOOL, cohort: COHORT };
      const headers = { 'idempotency-key': 'metrics-e2e-ect' };
      const registered = await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body: ect, headers });
      expect(registered.status).toBe(201);
      expect((await http('POST', '/ects', { key: keys.lead, body: ect, headers })).status).toBe(201);
      const id = registered.body.participantId;
      expect((await http('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);

      const after = await scrape(`${api.baseUrl}/metrics`);
      const moved = (series: string) => sample(after, series) - sample(before, series);
      expect(moved('ecf_commands_total{origin="api",type="RegisterSchoolPartnership",outcome="accepted"}')).toBe(1);
      expect(moved('ecf_commands_total{origin="api",type="RegisterSchoolPartnership",outcome="rejected",code="REGION_NOT_COVERED"}')).toBe(1);
      expect(moved('ecf_commands_total{origin="api",type="RegisterECT",outcome="accepted"}')).toBe(1);
      expect(moved('ecf_commands_total{origin="api",type="RegisterECT",outcome="replayed"}')).toBe(1);
      expect(moved('ecf_commands_total{origin="api",type="RecordDataValidation",outcome="accepted"}')).toBe(1);
      expect(moved('ecf_command_duration_seconds_count{origin="api",type="RegisterECT",outcome="accepted"}')).toBe(1);
      expect(moved('ecf_command_duration_seconds_bucket{le="10",origin="api",type="RegisterECT",outcome="accepted"}')).toBe(1);
      expect(moved('ecf_command_duration_seconds_sum{origin="api",type="RegisterECT",outcome="accepted"}')).toBeGreaterThan(0);
      // The school, the ECT's TRN claim and registration, the validation.
      expect(moved('ecf_event_store_append_duration_seconds_count{outcome="appended"}')).toBe(4);
      expect(moved('ecf_event_store_appended_events_total')).toBe(4);
      expect(moved('ecf_http_request_duration_seconds_count{method="POST",route="/participants/:id/validation",status_class="2xx"}')).toBe(1);
      expect(moved('ecf_http_request_duration_seconds_count{method="POST",route="/schools",status_class="4xx"}')).toBe(1);
      expect(after).not.toContain(id);
      expect(sample(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);

      const caughtUp = await eventually(
        () => scrape(`${api.baseUrl}/metrics`),
        (text) => CONSUMERS.every((consumer) => text.includes(`ecf_consumer_lag_events{consumer="${consumer}",role="live"}`) && lagOf(text, consumer) === 0),
      );
      const head = sample(caughtUp, 'ecf_event_store_head_position');
      expect(head).toBe(sample(before, 'ecf_event_store_head_position') + 4);
      for (const consumer of CONSUMERS) {
        expect(sample(caughtUp, `ecf_consumer_position{consumer="${consumer}",role="live"}`)).toBe(head);
        expect(sample(caughtUp, `ecf_consumer_lag_seconds{consumer="${consumer}",role="live"}`)).toBe(0);
        expect(sample(caughtUp, `ecf_consumer_state{consumer="${consumer}",role="live",state="running"}`)).toBe(1);
      }
    });

    it('is open without a key and outside the rate limit (5 a minute here)', async () => {
      for (let scrapes = 0; scrapes < 8; scrapes++) await scrape(`${api.baseUrl}/metrics`);
    });
  });

  it('with METRICS_ACCESS=key, wants the key of an admin or reporting role', async () => {
    const api = await ApiProcess.start({ METRICS_ACCESS: 'key' });
    try {
      const reporting = await api.createKey('reporting');
      const dpl = await api.createKey('dpl');
      const status = async (key?: string) => (await fetch(`${api.baseUrl}/metrics`, { headers: key ? { authorization: `Bearer ${key}` } : {} })).status;
      expect(await status()).toBe(401);
      expect(await status(dpl)).toBe(403);
      expect(await status(reporting)).toBe(200);
      expect(await status(await api.createKey('admin'))).toBe(200);
    } finally {
      await api.stop();
    }
  });

  it('on PostgreSQL, the pools of the event store and the read models, and the consumers caught up', async () => {
    const target = await StoreTarget.create('postgres');
    const api = await ApiProcess.start(target.env, target.dataDir);
    try {
      const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
      const http = httpClient(api.baseUrl);
      expect((await http('POST', '/schools', { key: lead, body: { urn: SCHOOL, name: 'Metrics Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT } })).status).toBe(201);
      const text = await eventually(
        () => scrape(`${api.baseUrl}/metrics`),
        (page) => CONSUMERS.every((consumer) => page.includes(`ecf_consumer_position{consumer="${consumer}",role="live"} 1`)),
      );
      for (const pool of ['event-store', 'read-models']) {
        expect(sample(text, `ecf_pg_pool_connections{pool="${pool}"}`)).toBeGreaterThan(0);
        expect(sample(text, `ecf_pg_pool_max_connections{pool="${pool}"}`)).toBeGreaterThanOrEqual(sample(text, `ecf_pg_pool_connections{pool="${pool}"}`));
        expect(text).toContain(`ecf_pg_pool_waiting_clients{pool="${pool}"} `);
      }
      expect(lagOf(text, 'participant-summary')).toBe(0);
    } finally {
      await api.stop();
      await target.dispose();
    }
  });

  describe('beside a separate projector (RUN_PROJECTIONS=false)', () => {
    let dataDir: string;
    let api: ApiProcess | undefined;
    const projectors: ProjectorProcess[] = [];

    afterAll(async () => {
      for (const projector of projectors) await projector.stop();
      await api?.stopKeepingData();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    /** Starts a projector with METRICS_PORT=0 and answers the URL of its listener, from the line it logs. */
    async function startProjector(): Promise<string> {
      const projector = ProjectorProcess.start(dataDir, { RUN_PROJECTIONS: 'false', METRICS_PORT: '0' });
      projectors.push(projector);
      const listening = () =>
        projector
          .logs()
          .split('\n')
          .filter((line) => line.includes('"metrics listening"'))
          .map((line) => JSON.parse(line) as { port: number; host: string })[0];
      const { port, host } = await eventually(async () => listening(), (found) => found !== undefined, 20_000);
      expect(host).toBe('127.0.0.1');
      return `http://127.0.0.1:${port}/metrics`;
    }

    it('the projector serves its own /metrics on METRICS_PORT; the API’s shows the lag rising while no projector runs and falling once one does', async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'ecf-metrics-'));
      const projectorMetrics = await startProjector();
      api = await ApiProcess.start({ RUN_PROJECTIONS: 'false' }, dataDir);
      const http = httpClient(api.baseUrl);
      const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
      expect((await http('POST', '/schools', { key: lead, body: { urn: SCHOOL, name: 'Metrics Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT } })).status).toBe(201);
      const caughtUp = await eventually(
        () => scrape(projectorMetrics),
        (text) => CONSUMERS.every((consumer) => text.includes(`ecf_consumer_position{consumer="${consumer}",role="live"} 1`)),
        20_000,
      );
      expect(sample(caughtUp, 'ecf_consumer_status_up')).toBe(1);
      expect(sample(caughtUp, 'ecf_consumer_lag_events{consumer="participant-summary",role="live"}')).toBe(0);
      expect((await fetch(projectorMetrics.replace('/metrics', '/elsewhere'))).status).toBe(404);

      await projectors[0].stop();
      const person = (n: number) => ({ firstName: `P${n}`, lastName: 'Lag', dateOfBirth: '1994-06-01', trn: `870010${n}`, email: `p${n}@example.org`, schoolUrn: SCHOOL, cohort: COHORT });
      for (const n of [1, 2, 3]) expect((await http('POST', '/ects', { key: lead, body: person(n) })).status).toBe(201);
      const lagging = await scrape(`${api.baseUrl}/metrics`);
      for (const consumer of CONSUMERS) {
        expect(lagOf(lagging, consumer)).toBe(6); // three TRN claims and three registrations
        expect(sample(lagging, `ecf_consumer_state{consumer="${consumer}",role="live",state="stopped"}`)).toBe(1);
      }

      const restarted = await startProjector();
      const recovered = await eventually(
        () => scrape(`${api!.baseUrl}/metrics`),
        (text) => CONSUMERS.every((consumer) => text.includes(`ecf_consumer_lag_events{consumer="${consumer}",role="live"} 0`)),
        20_000,
      );
      for (const consumer of CONSUMERS) expect(sample(recovered, `ecf_consumer_state{consumer="${consumer}",role="live",state="running"}`)).toBe(1);
      expect(sample(await scrape(restarted), 'ecf_event_store_head_position')).toBe(7);
    });
  });
});
