import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';
import { ProjectorProcess } from '../support/projector-process';
import { StoreTarget } from '../support/store-target';

/**
 * `ecf seed` must not write beside a running API or projector unless told to (`--force`): the lock on
 * DATA_DIR is the kernel's, so a holder killed with SIGKILL leaves nothing that still refuses. Seeded
 * with --force into a live API, the API's mentor cascade goes on running (the report this answers: it
 * stopped in silence, `/health` said ok, and the next deferral did not cascade).
 */
describe('ecf seed and a data directory in use', () => {
  let target: StoreTarget;
  let api: ApiProcess;
  const projectors: ProjectorProcess[] = [];

  beforeAll(async () => {
    target = await StoreTarget.create('sqlite');
    api = await ApiProcess.start({ ...target.env, LOG_LEVEL: 'info' }, target.dataDir);
  });

  afterAll(async () => {
    for (const projector of projectors) await projector.stop();
    await api?.stop();
    await target?.dispose();
  });

  const seed = (...flags: string[]) => api.cliRun(['seed', '--participants', '10', '--json', ...flags]);

  it('refuses a directory the API holds, seeds beside it with --force, and the API’s policy still cascades the next deferral', async () => {
    const refused = await seed();
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/in use by a running API or projector.*--force/);
    expect(await target.head()).toBe(0);

    const forced = await seed('--force');
    expect(forced.exitCode).toBe(0);
    const summary = JSON.parse(forced.stdout) as { written: number; headPosition: number };
    expect(summary.written).toBeGreaterThan(0);

    const http = httpClient(api.baseUrl);
    await eventually(
      () => http<{ details: Record<string, { state: string; lagPositions: number }> }>('GET', '/health/ready'),
      (response) => response.status === 200 && response.body.details['policy:mentor-cascade']?.lagPositions === 0,
      20_000,
    );

    const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    const system = await api.createKey('system');
    const school = '109999';
    expect((await http('POST', '/schools', { key: lead, body: { urn: school, name: 'After the seed', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } })).status).toBe(201);
    const register = async (path: string, firstName: string, trn: string) => {
      const body = { firstName, lastName: 'Afterseed', dateOfBirth: '1990-01-01', trn, email: `${firstName}@example.org`, schoolUrn: school, cohort: 2026 };
      const id = (await http<{ participantId: string }>('POST', path, { key: lead, body })).body.participantId;
      expect((await http('POST', `/participants/${id}/validation`, { key: system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);
      return id;
    };
    const ect = await register('/ects', 'ect', '4900001');
    const mentor = await register('/mentors', 'mentor', '4900002');
    expect((await http('PUT', `/ects/${ect}/mentor`, { key: lead, body: { mentorId: mentor } })).status).toBe(200);
    const deferral = { deferralDate: isoDate(londonToday()), expectedReturnDate: isoDate(londonToday().plusMonths(3)), reason: 'bereavement' };
    expect((await http('POST', `/ects/${ect}/deferral`, { key: lead, body: deferral })).status).toBe(200);

    await eventually(
      async () => (await http<{ status: string }>('GET', `/participants/${mentor}`, { key: lead })).body.status,
      (status) => status === 'deferred',
      20_000,
    );
    expect(api.logs()).not.toMatch(/"level":50/);
  });

  it('a holder killed with SIGKILL leaves nothing behind that refuses; a projector holds the directory like the API', async () => {
    await api.crash();
    const projector = ProjectorProcess.start(target.dataDir, target.env);
    projectors.push(projector);
    await eventually(async () => projector.logs(), (logs) => logs.includes('projector started'), 20_000);

    const refused = await seed();
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/in use by a running API or projector/);

    await projector.kill();
    // The same seed again: it resumes where it had got to, so everything is already in the store.
    const accepted = await seed();
    expect(accepted.exitCode).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({ written: expect.any(Number) });
  });
});
