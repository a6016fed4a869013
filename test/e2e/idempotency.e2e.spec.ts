import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { httpClient } from '../support/http-client';
import { STORE_KINDS, StoreTarget } from '../support/store-target';

/**
 * One command, one Idempotency-Key, sent 100 times at once, 100 times in sequence, and again after
 * the API restarted: one event in the log and the same answer every time, on each store.
 */
describe.each(STORE_KINDS)('Idempotency under retries, races and a restart (%s)', (kind) => {
  let target: StoreTarget;
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};

  const eventCount = async (streamId: string): Promise<number> => (await target.events<{ n: number }>('SELECT COUNT(*) AS n FROM events WHERE stream_id = ?', streamId))[0].n;

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

  it('a registration sent 100 times at once creates one participant, and every caller gets the same answer', async () => {
    const body = { firstName: 'Idem', lastName: 'Potent', dateOfBirth: '1990-01-01', trn: '9100001', email: 'idem@example.org', schoolUrn: '100001', cohort: 2026 };
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => http('POST', '/ects', { key: keys.lead, body, headers: { 'Idempotency-Key': 'register-idem-1' } })),
    );
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((response) => JSON.stringify(response.body))).size).toBe(1);
    expect(await eventCount(`participant-${responses[0].body.participantId as string}`)).toBe(1);
  });

  it('a lifecycle command sent 100 times in sequence and 100 at once, then again after a restart: one event, identical answers', async () => {
    const body = { firstName: 'Re', lastName: 'Try', dateOfBirth: '1990-01-01', trn: '9100002', email: 'retry@example.org', schoolUrn: '100001', cohort: 2026 };
    const ect = (await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body })).body.participantId;
    await http('POST', `/participants/${ect}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } });
    const deferral = { deferralDate: isoDate(londonToday()), expectedReturnDate: isoDate(londonToday().plusMonths(4)), reason: 'parental-leave' };
    const send = () => http('POST', `/ects/${ect}/deferral`, { key: keys.lead, body: deferral, headers: { 'Idempotency-Key': 'defer-retry-1' } });

    const answers: string[] = [];
    for (let attempt = 0; attempt < 100; attempt++) answers.push(JSON.stringify((await send()).body));
    answers.push(...(await Promise.all(Array.from({ length: 100 }, send))).map((response) => JSON.stringify(response.body)));
    const before = await eventCount(`participant-${ect}`);

    api = await api.restart(target.env);
    http = httpClient(api.baseUrl);
    const afterRestart = await send();
    expect(afterRestart.status).toBe(200);
    answers.push(JSON.stringify(afterRestart.body));

    expect(new Set(answers).size).toBe(1);
    expect(before).toBe(3); // registered, validated, deferred
    expect(await eventCount(`participant-${ect}`)).toBe(3);
    // A different key is a different command: refused on the state the first one left.
    const other = await http('POST', `/ects/${ect}/deferral`, { key: keys.lead, body: deferral, headers: { 'Idempotency-Key': 'defer-retry-2' } });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('ALREADY_DEFERRED');
  });
});
