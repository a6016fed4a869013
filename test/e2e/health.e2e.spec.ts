import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ApiProcess } from '../support/api-process';
import { eventually, httpClient } from '../support/http-client';
import { ProjectorProcess } from '../support/projector-process';
import { STORE_KINDS, StoreTarget } from '../support/store-target';

interface ConsumerCheck {
  status: 'up' | 'down';
  state: string;
  reason?: string;
  position: number;
  lagPositions: number;
  lastError: string | null;
}
interface Readiness {
  status: 'ok' | 'error';
  error: Record<string, ConsumerCheck>;
  details: Record<string, ConsumerCheck> & { eventStore: { status: string; headPosition: number } };
}

const CONSUMERS = ['participant-programme', 'participant-summary', 'policy:mentor-cascade', 'school-alerts'];

function probes(api: ApiProcess) {
  const http = httpClient(api.baseUrl);
  return {
    http,
    live: () => http<{ status: string }>('GET', '/health/live'),
    ready: () => http<Readiness>('GET', '/health/ready'),
    readyIs: (status: number) => eventually(() => http<Readiness>('GET', '/health/ready'), (response) => response.status === status, 20_000),
  };
}

async function registerSchools(http: ReturnType<typeof httpClient>, key: string, urns: string[]): Promise<void> {
  for (const urn of urns) {
    const response = await http('POST', '/schools', { key, body: { urn, name: `School ${urn}`, region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } });
    expect(response.status).toBe(201);
  }
}

/**
 * With a separate projector (RUN_PROJECTIONS=false) the API judges the consumers from their
 * checkpoints: a projector stopped cleanly leaves them `stopped`; one killed leaves them `running`
 * but falling behind as events arrive, until the lag passes READINESS_MAX_LAG_EVENTS.
 */
describe.each(STORE_KINDS)('Readiness beside a separate projector (%s)', (kind) => {
  let target: StoreTarget;
  let api: ApiProcess;
  const projectors: ProjectorProcess[] = [];

  beforeAll(async () => {
    target = await StoreTarget.create(kind);
    api = await ApiProcess.start({ ...target.env, RUN_PROJECTIONS: 'false', READINESS_MAX_LAG_EVENTS: '3', READINESS_MAX_LAG_SECONDS: '3600', LOG_LEVEL: 'info' }, target.dataDir);
  });

  afterAll(async () => {
    for (const projector of projectors) await projector.stop();
    await api?.stop();
    await target?.dispose();
  });

  const startProjector = () => {
    const projector = ProjectorProcess.start(target.dataDir, target.env);
    projectors.push(projector);
    return projector;
  };

  it('is ready once the projector has caught up; not ready, naming each consumer, when it stops or falls behind; live throughout', async () => {
    const { http, live, ready, readyIs } = probes(api);
    const key = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');

    // No projector has ever run: no checkpoints.
    const never = await readyIs(503);
    expect(Object.keys(never.body.error).sort()).toEqual(CONSUMERS);
    expect(never.body.error['policy:mentor-cascade']).toMatchObject({ state: 'missing' });

    let projector = startProjector();
    await registerSchools(http, key, ['100001']);
    const caughtUp = await eventually(ready, (response) => response.status === 200 && CONSUMERS.every((name) => response.body.details[name]?.lagPositions === 0), 20_000);
    expect(caughtUp.body.status).toBe('ok');
    for (const name of CONSUMERS) expect(caughtUp.body.details[name]).toMatchObject({ status: 'up', state: 'running', lagPositions: 0 });

    // Stopped cleanly: every consumer is `stopped`, even with nothing to catch up on.
    await projector.stop();
    const stopped = await readyIs(503);
    for (const name of CONSUMERS) expect(stopped.body.error[name]).toMatchObject({ status: 'down', state: 'stopped', reason: expect.stringContaining('stopped') });
    expect((await live()).status).toBe(200);

    projector = startProjector();
    await readyIs(200);

    // Killed: the checkpoints still say running; the lag grows past the bound of 3 events.
    await projector.kill();
    await registerSchools(http, key, ['100002', '100003']);
    expect((await ready()).status).toBe(200);
    await registerSchools(http, key, ['100004', '100005']);
    const behind = await readyIs(503);
    expect(Object.keys(behind.body.error).sort()).toEqual(CONSUMERS);
    expect(behind.body.error['participant-summary']).toMatchObject({ state: 'running', lagPositions: 4, reason: expect.stringContaining('READINESS_MAX_LAG_EVENTS=3') });
    expect(behind.body.details.eventStore).toMatchObject({ status: 'up', headPosition: await target.head() });
    expect((await live()).status).toBe(200);
    await eventually(async () => api.logs(), (logs) => /"level":50[^\n]*"check":"participant-summary"[^\n]*not ready/.test(logs));

    startProjector();
    await readyIs(200);
    const recovered = await eventually(async () => api.logs(), (logs) => /ready again: participant-summary/.test(logs));
    expect(recovered).toBeTruthy();
  });
});

/** With the consumers in the API process, a consumer that fails is named in readiness with its error, and logged at error level. */
describe('Readiness of consumers running in the API', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    // The longest lease: a failed consumer is started again at a heartbeat (a third of the lease), so it stays failed here for 20 s, long enough to be read.
    api = await ApiProcess.start({ EVENT_STORE: 'sqlite', LOG_LEVEL: 'info', CONSUMER_LEASE_TTL_MS: '60000' });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('a failed policy makes readiness 503 naming it and its error, while the projections stay up and liveness 200', async () => {
    const { http, live, readyIs } = probes(api);
    const key = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    await registerSchools(http, key, ['100001']);
    await readyIs(200);
    expect((await http('GET', '/health/live')).headers.get('x-ratelimit-limit')).toBeNull();

    // The policy's facts table goes missing under it (a read-model database damaged by hand).
    const readModels = new Database(join(api.dataDir, 'read-models.sqlite'));
    try {
      readModels.exec('DROP TABLE mentor_cascade_mentees_v1');
    } finally {
      readModels.close();
    }
    const body = { firstName: 'Ada', lastName: 'Health', dateOfBirth: '1990-01-01', trn: '4000001', email: 'ada@example.org', schoolUrn: '100001', cohort: 2026 };
    expect((await http('POST', '/ects', { key, body })).status).toBe(201);

    const failed = await readyIs(503);
    expect(Object.keys(failed.body.error)).toEqual(['policy:mentor-cascade']);
    expect(failed.body.error['policy:mentor-cascade']).toMatchObject({
      status: 'down',
      state: 'failed',
      lastError: expect.stringContaining('no such table: mentor_cascade_mentees_v1'),
    });
    expect(failed.body.details['participant-summary']).toMatchObject({ status: 'up', state: 'running' });
    expect((await live()).status).toBe(200);
    const detail = await http<{ status: string; projections: { name: string; status: string; ready: boolean }[] }>('GET', '/health');
    expect(detail.body.status).toBe('degraded');
    expect(detail.body.projections.find((projection) => projection.name === 'policy:mentor-cascade')).toMatchObject({ status: 'failed', ready: false });
    expect(api.logs()).toMatch(/"level":50[^\n]*no such table: mentor_cascade_mentees_v1[^\n]*policy stopped on an error/);
  });
});
