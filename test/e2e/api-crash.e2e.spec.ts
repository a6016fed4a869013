import { ApiProcess } from '../support/api-process';
import { eventually, httpClient } from '../support/http-client';
import { STORE_KINDS, StoreTarget } from '../support/store-target';

/**
 * kill -9 of the API while it appends: no partial event, every stream's revisions contiguous, the log
 * verifies (`ecf verify` on the same store), every acknowledged command is in it, and the restarted
 * API carries on. On each store the log can live in.
 */
describe.each(STORE_KINDS)('API killed during appends (%s)', (kind) => {
  let target: StoreTarget;
  let api: ApiProcess;

  afterAll(async () => {
    await api?.stop();
    await target?.dispose();
  });

  it('leaves a log that verifies, holding every acknowledged registration, and the restarted API catches up', async () => {
    target = await StoreTarget.create(kind);
    api = await ApiProcess.start(target.env, target.dataDir);
    let http = httpClient(api.baseUrl);
    const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    await http('POST', '/schools', { key: lead, body: { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } });

    const acknowledged: string[] = [];
    const writer = async (worker: number) => {
      for (let index = 0; ; index++) {
        const trn = String(9_200_000 + worker * 10_000 + index);
        const body = { firstName: 'Crash', lastName: 'Test', dateOfBirth: '1990-01-01', trn, email: `${trn}@example.org`, schoolUrn: '100001', cohort: 2026 };
        try {
          const response = await http<{ participantId: string }>('POST', '/ects', { key: lead, body });
          if (response.status === 201) acknowledged.push(response.body.participantId);
        } catch {
          return; // the connection died with the process
        }
      }
    };
    const writers = Promise.all(Array.from({ length: 8 }, (_, worker) => writer(worker)));
    await eventually(async () => acknowledged.length, (count) => count >= 40, 20_000);
    await api.crash();
    await writers;

    const streams = await target.events<{ stream_id: string; n: number; last: number }>('SELECT stream_id, COUNT(*) AS n, MAX(revision) AS last FROM events GROUP BY stream_id');
    const stored = new Set((await target.events<{ stream_id: string }>(`SELECT stream_id FROM events WHERE type = 'ECTRegistered'`)).map((row) => row.stream_id));
    expect(streams.every((stream) => stream.last === stream.n - 1)).toBe(true);
    expect(acknowledged.every((id) => stored.has(`participant-${id}`))).toBe(true);

    const verify = await api.cliRun(['verify', '--json'], target.env);
    expect(verify.exitCode).toBe(0);
    // The verifier read this store's log, all of it.
    const report = JSON.parse(verify.stdout) as { eventsChecked: number; findings: unknown[] };
    const [{ n: storedEvents }] = await target.events<{ n: number }>('SELECT COUNT(*) AS n FROM events');
    expect(report).toMatchObject({ eventsChecked: storedEvents, findings: [] });

    api = await ApiProcess.start(target.env, target.dataDir);
    http = httpClient(api.baseUrl);
    const health = await eventually(
      () => http<{ eventStore: { headPosition: number }; projections: { name: string; lagPositions: number; status: string }[] }>('GET', '/health'),
      (response) => response.body.projections.every((projection) => projection.lagPositions === 0),
    );
    expect(health.body.projections.every((projection) => projection.status === 'running')).toBe(true);
    const listed = await http<{ items: unknown[] }>('GET', '/participants?schoolUrn=100001&limit=500', { key: lead });
    expect(listed.body.items).toHaveLength(stored.size);
    // The store takes appends again where the crash left it.
    const after = { firstName: 'After', lastName: 'Crash', dateOfBirth: '1990-01-01', trn: '9299999', email: 'after@example.org', schoolUrn: '100001', cohort: 2026 };
    expect((await http('POST', '/ects', { key: lead, body: after })).status).toBe(201);
  });
});
