import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';
import { PostgresTestDatabase } from '../support/postgres-database';
import { ProjectorProcess } from '../support/projector-process';

/**
 * Production shape on one real PostgreSQL database: two API processes (no projections in them) and
 * one projector process. Commands go through both APIs; one participant's conflicting commands
 * arrive through both at once and exactly one wins; the projector's read models catch up and agree
 * with the streams; the mentor-cascade policy runs in the projector.
 */
describe('Two API processes and a projector on one PostgreSQL database', () => {
  let database: PostgresTestDatabase;
  let dataDir: string;
  let apis: ApiProcess[] = [];
  let projector: ProjectorProcess | undefined;

  afterAll(async () => {
    await projector?.stop();
    for (const api of apis) await api.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves commands through both APIs without a lost update, and the projector catches up correctly', async () => {
    database = await PostgresTestDatabase.create();
    // The API keys and the personal-data key vault stay files shared by the processes of one host.
    dataDir = mkdtempSync(join(tmpdir(), 'ecf-multi-'));
    const env = { EVENT_STORE: 'postgres', DATABASE_URL: database.url, RUN_PROJECTIONS: 'false', RATE_LIMIT_PER_MINUTE: '1000000' };
    apis = await Promise.all([ApiProcess.start(env, dataDir), ApiProcess.start(env, dataDir)]);
    projector = ProjectorProcess.start(dataDir, env);
    const [one, two] = apis.map((api) => httpClient(api.baseUrl));
    const lead = await apis[0].createKey('ecf-lead', '--delivery-partner', 'dp-north');
    const system = await apis[0].createKey('system');
    const auditor = await apis[0].createKey('auditor');

    expect((await one('POST', '/schools', { key: lead, body: { urn: '100001', name: 'Two Process School', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } })).status).toBe(201);
    let trn = 8_200_000;
    const register = async (http: typeof one, path: '/ects' | '/mentors') => {
      const body = { firstName: 'Multi', lastName: 'Process', dateOfBirth: '1991-02-03', trn: String(++trn), email: 'multi@example.org', schoolUrn: '100001', cohort: 2026 };
      const registered = await http<{ participantId: string }>('POST', path, { key: lead, body });
      expect(registered.status).toBe(201);
      const id = registered.body.participantId;
      expect((await (http === one ? two : one)('POST', `/participants/${id}/validation`, { key: system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);
      return id;
    };
    const ects = await Promise.all(Array.from({ length: 20 }, (_, i) => register(i % 2 === 0 ? one : two, '/ects')));
    const mentor = await register(two, '/mentors');
    expect((await one('PUT', `/ects/${ects[0]}/mentor`, { key: lead, body: { mentorId: mentor } })).status).toBe(200);

    // The same TRN through both APIs at once: one registration, one 409 naming it.
    const duplicate = { firstName: 'Twin', lastName: 'Process', dateOfBirth: '1991-02-03', trn: '8299999', email: 'twin@example.org', schoolUrn: '100001', cohort: 2026 };
    const twins = await Promise.all([one('POST', '/ects', { key: lead, body: duplicate }), two('POST', '/ects', { key: lead, body: duplicate })]);
    expect(twins.map((response) => response.status).sort()).toEqual([201, 409]);

    // Conflicting commands on one participant, both at the revision they read, through both APIs at once.
    const target = ects[1];
    const { revision } = (await one<{ revision: number }>('GET', `/participants/${target}`, { key: lead })).body;
    const today = isoDate(londonToday());
    const inTwoWeeks = isoDate(londonToday().plusDays(14));
    const [paused, withdrawn] = await Promise.all([
      one('POST', `/ects/${target}/pause`, { key: lead, headers: { 'if-match': String(revision) }, body: { startDate: today, expectedResumeDate: inTwoWeeks, reason: 'short absence' } }),
      two('POST', `/ects/${target}/withdrawal`, { key: lead, headers: { 'if-match': String(revision) }, body: { withdrawalDate: today, reason: 'moved-school' } }),
    ]);
    expect([paused.status, withdrawn.status].sort()).toEqual([200, 412]);
    const winner = paused.status === 200 ? 'paused' : 'withdrawn';

    // The mentor cascade runs in the projector: deferring the matched ECT defers the mentor.
    const deferral = { deferralDate: today, expectedReturnDate: '2027-09-01', reason: 'parental-leave' };
    expect((await two('POST', `/ects/${ects[0]}/deferral`, { key: lead, body: deferral })).status).toBe(200);
    await eventually(
      async () => (await one<{ status: string }>('GET', `/participants/${mentor}`, { key: auditor })).body.status,
      (status) => status === 'deferred',
      30_000,
    );

    // Read models (PostgreSQL, written by the projector) agree with the streams, whichever API is asked.
    const listed = await eventually(
      async () => (await two<{ items: { participantId: string; status: string }[] }>('GET', '/participants?schoolUrn=100001&limit=100', { key: auditor })).body.items,
      // 20 ECTs, the mentor and the one twin that won its TRN.
      (items) => items.length === 22 && items.some((item) => item.participantId === mentor && item.status === 'deferred'),
      30_000,
    );
    for (const item of listed) {
      const fromStream = (await one<{ status: string }>('GET', `/participants/${item.participantId}`, { key: auditor })).body.status;
      expect({ id: item.participantId, status: item.status }).toEqual({ id: item.participantId, status: fromStream });
    }
    expect(listed.find((item) => item.participantId === target)?.status).toBe(winner);

    const health = (await one<{ eventStore: { adapter: string }; projections: { name: string; status: string; lagPositions: number }[] }>('GET', '/health')).body;
    expect(health.eventStore.adapter).toBe('postgres');
    expect(health.projections.filter((projection) => projection.status !== 'running')).toEqual([]);
    const stored = await database.query<{ count: string }>('SELECT COUNT(*) AS count FROM public.events');
    expect(Number(stored[0].count)).toBeGreaterThan(40);
  }, 180_000);
});
