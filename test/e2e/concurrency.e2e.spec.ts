import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';
import { STORE_KINDS, StoreTarget } from '../support/store-target';

/**
 * 50 simultaneous conflicting commands on one participant — pauses, deferrals and withdrawals at
 * once — on the real API process: one valid sequence of events, every other caller told 409/412,
 * nothing lost, and the projection consistent with the log. On each store the log can live in.
 */
describe.each(STORE_KINDS)('Conflicting commands on one participant, all at once (%s)', (kind) => {
  let target: StoreTarget;
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  let trn = 9_000_000;
  const today = londonToday();

  const bodies = [
    { path: 'pause', body: { startDate: isoDate(today), expectedResumeDate: isoDate(today.plusWeeks(2)), reason: 'Illness' } },
    { path: 'deferral', body: { deferralDate: isoDate(today), expectedReturnDate: isoDate(today.plusMonths(3)), reason: 'career-break' } },
    { path: 'withdrawal', body: { withdrawalDate: isoDate(today), reason: 'left-teaching-profession' } },
  ];
  const fire = (ect: string, count: number, headers: Record<string, string> = {}) =>
    Promise.all(
      Array.from({ length: count }, (_, index) => {
        const { path, body } = bodies[index % bodies.length];
        return http('POST', `/ects/${ect}/${path}`, { key: keys.lead, body, headers });
      }),
    );
  const storedTypes = async (ect: string): Promise<string[]> =>
    (await target.events<{ type: string }>('SELECT type FROM events WHERE stream_id = ? ORDER BY revision', `participant-${ect}`)).map((row) => row.type);

  async function activeEct(): Promise<{ id: string; revision: number }> {
    const body = { firstName: 'Con', lastName: 'Current', dateOfBirth: '1990-01-01', trn: String(++trn), email: `${trn}@example.org`, schoolUrn: '100001', cohort: 2026 };
    const id = (await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body })).body.participantId;
    const validated = await http<{ revision: number }>('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } });
    return { id, revision: validated.body.revision };
  }

  beforeAll(async () => {
    target = await StoreTarget.create(kind);
    api = await ApiProcess.start(target.env, target.dataDir);
    http = httpClient(api.baseUrl);
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.system = await api.createKey('system');
    await http('POST', '/schools', { key: keys.lead, body: { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } });
  });

  afterAll(async () => {
    await api?.stop();
    await target?.dispose();
  });

  it('with If-Match on the same revision: exactly one wins, the other 49 get 412, one event is written', async () => {
    const ect = await activeEct();
    const responses = await fire(ect.id, 50, { 'If-Match': String(ect.revision) });
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(49);
    expect(responses.filter((response) => response.status === 412).every((response) => response.body.code === 'REVISION_MISMATCH')).toBe(true);
    expect(await storedTypes(ect.id)).toHaveLength(ect.revision + 2);
  });

  it('without If-Match: no 5xx, every refusal a 409 with a code, and the stream one valid sequence the projection agrees with', async () => {
    const ect = await activeEct();
    const responses = await fire(ect.id, 50);
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    expect(responses.filter((response) => response.status === 409).every((response) => typeof response.body.code === 'string')).toBe(true);

    const lifecycle = (await storedTypes(ect.id)).slice(ect.revision + 1).filter((type) => type !== 'SteplabAccessRevoked');
    // Whatever won, each state change happened at most once and in an order the rules allow.
    for (const type of ['ECTPaused', 'ParticipantDeferred', 'ParticipantWithdrawn']) expect(lifecycle.filter((stored) => stored === type).length).toBeLessThanOrEqual(1);
    expect(lifecycle.length).toBeGreaterThanOrEqual(1);
    if (lifecycle.includes('ParticipantWithdrawn')) expect(lifecycle.at(-1)).toBe('ParticipantWithdrawn');
    if (lifecycle.includes('ECTPaused') && lifecycle.includes('ParticipantDeferred')) expect(lifecycle.indexOf('ECTPaused')).toBeLessThan(lifecycle.indexOf('ParticipantDeferred'));
    // No lost update: every caller told 200 has exactly one event in the log, and no event lacks its caller.
    expect(statuses.filter((status) => status === 200)).toHaveLength(lifecycle.length);

    const view = (await http<{ status: string; revision: number }>('GET', `/participants/${ect.id}`, { key: keys.lead })).body;
    await eventually(
      () => http<{ items: { participantId: string; status: string; revision: number }[] }>('GET', `/participants?trn=${trn}`, { key: keys.lead }),
      (response) => response.body.items[0]?.revision === view.revision,
    ).then((response) => expect(response.body.items[0].status).toBe(view.status));
  });
});
