import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ApiProcess } from '../support/api-process';
import { eventually, httpClient } from '../support/http-client';

/**
 * kill -9 of the API while it appends: no partial event, every stream's revisions contiguous, the log
 * verifies, every acknowledged command is in it, and the restarted API carries on.
 */
describe('API killed during appends', () => {
  let api: ApiProcess;

  afterAll(async () => {
    await api?.stop();
  });

  it('leaves a log that verifies, holding every acknowledged registration, and the restarted API catches up', async () => {
    api = await ApiProcess.start();
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

    const db = new Database(join(api.dataDir, 'events.sqlite'), { readonly: true });
    const streams = db.prepare('SELECT stream_id, COUNT(*) AS n, MAX(revision) AS last FROM events GROUP BY stream_id').all() as { stream_id: string; n: number; last: number }[];
    const stored = new Set((db.prepare(`SELECT stream_id FROM events WHERE type = 'ECTRegistered'`).all() as { stream_id: string }[]).map((row) => row.stream_id));
    db.close();
    expect(streams.every((stream) => stream.last === stream.n - 1)).toBe(true);
    expect(acknowledged.every((id) => stored.has(`participant-${id}`))).toBe(true);

    const verify = await api.cliRun(['verify', '--json']);
    expect(verify.exitCode).toBe(0);

    api = await ApiProcess.start({}, api.dataDir);
    http = httpClient(api.baseUrl);
    const health = await eventually(
      () => http<{ eventStore: { headPosition: number }; projections: { name: string; lagPositions: number; status: string }[] }>('GET', '/health'),
      (response) => response.body.projections.every((projection) => projection.lagPositions === 0),
    );
    expect(health.body.projections.every((projection) => projection.status === 'running')).toBe(true);
    const listed = await http<{ items: unknown[] }>('GET', '/participants?schoolUrn=100001&limit=500', { key: lead });
    expect(listed.body.items).toHaveLength(stored.size);
  });
});
