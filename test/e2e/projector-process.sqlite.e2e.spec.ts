import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess } from '../support/api-process';
import { eventually, httpClient } from '../support/http-client';
import { ProjectorProcess } from '../support/projector-process';

const QUIET_MS = 2_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The production shape on the embedded store: the API with RUN_PROJECTIONS=false and the projector
 * process beside it on the same data directory. The projector must stay up while the log is quiet
 * (it once exited as soon as it had caught up) and project what is appended afterwards.
 */
describe('The projector process beside the API on the embedded store', () => {
  let dataDir: string;
  let projector: ProjectorProcess | undefined;
  let api: ApiProcess | undefined;

  afterAll(async () => {
    await projector?.stop();
    await api?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('stays up through quiet spells and projects commands made after each', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ecf-projector-'));
    const env = { RUN_PROJECTIONS: 'false' };
    projector = ProjectorProcess.start(dataDir, env);
    await pause(QUIET_MS);
    expect({ running: projector.running, logs: projector.logs() }).toMatchObject({ running: true });

    api = await ApiProcess.start(env, dataDir);
    const http = httpClient(api.baseUrl);
    const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    const auditor = await api.createKey('auditor');
    expect((await http('POST', '/schools', { key: lead, body: { urn: '100077', name: 'Quiet School', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } })).status).toBe(201);
    const register = async (trn: string) => {
      const body = { firstName: 'Quiet', lastName: 'Spell', dateOfBirth: '1990-05-06', trn, email: 'quiet@example.org', schoolUrn: '100077', cohort: 2026 };
      const registered = await http<{ participantId: string }>('POST', '/ects', { key: lead, body });
      expect(registered.status).toBe(201);
      return registered.body.participantId;
    };
    const listed = () => http<{ items: { participantId: string }[] }>('GET', '/participants?schoolUrn=100077&cohort=2026', { key: auditor });

    const first = await register('8100001');
    await eventually(listed, (response) => response.body.items.some((item) => item.participantId === first), 20_000);

    await pause(QUIET_MS);
    expect({ running: projector.running, logs: projector.logs() }).toMatchObject({ running: true });
    const second = await register('8100002');
    await eventually(listed, (response) => response.body.items.some((item) => item.participantId === second), 20_000);
    const schedule = await http<unknown[]>('GET', `/participants/${second}/release-schedule`, { key: auditor });
    expect(schedule.status).toBe(200);
  });
});
