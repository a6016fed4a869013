import { ApiProcess } from '../support/api-process';
import { eventually, httpClient } from '../support/http-client';

/**
 * `ecf projections rebuild` against the real API process, which runs the projections in-process:
 * the new generation is built beside the live one, and queries served all the while return the
 * complete answer — never an empty or half-built list.
 */
describe('Rebuilding a projection while the API serves queries', () => {
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const PARTICIPANTS = 400;

  afterAll(async () => {
    await api?.stop();
  });

  it('answers every query completely during the rebuild, then serves the new generation', async () => {
    api = await ApiProcess.start({ RATE_LIMIT_PER_MINUTE: '1000000' });
    http = httpClient(api.baseUrl);
    const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    const auditor = await api.createKey('auditor');
    const admin = await api.createKey('admin');
    await http('POST', '/schools', { key: lead, body: { urn: '100001', name: 'Rebuild School', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } });
    let trn = 7_100_000;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < PARTICIPANTS / 4; i += 1) {
          const body = { firstName: 'Re', lastName: 'Build', dateOfBirth: '1990-01-01', trn: String(++trn), email: 're@example.org', schoolUrn: '100001', cohort: 2026 };
          expect((await http('POST', '/ects', { key: lead, body })).status).toBe(201);
        }
      }),
    );
    const listed = async () => (await http<{ items: unknown[] }>('GET', '/participants?schoolUrn=100001&limit=500', { key: auditor })).body.items.length;
    await eventually(listed, (count) => count === PARTICIPANTS);
    const generationOf = async () =>
      (await http<{ projections: { name: string; role: string; generation: number }[] }>('GET', '/health', { key: admin })).body.projections.find(
        (projection) => projection.name === 'participant-summary' && projection.role === 'live',
      )?.generation;
    expect(await generationOf()).toBe(1);

    const rebuild = api.cliRun(['projections', 'rebuild', 'participant-summary', '--wait', '--timeout', '60']);
    let finished = false;
    void rebuild.then(() => (finished = true));
    const answers: number[] = [];
    while (!finished) answers.push(await listed());
    const { exitCode, stdout, stderr } = await rebuild;

    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(stdout).toMatch(/Generation 2 of participant-summary is live/);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((count) => count !== PARTICIPANTS)).toEqual([]);
    expect(await generationOf()).toBe(2);
    expect(await listed()).toBe(PARTICIPANTS);
    const status = await api.cliRun(['projections', 'status', '--json']);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'participant-summary', generation: 2, role: 'live', status: 'running', lagPositions: 0 })]));
  }, 120_000);
});
