import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { httpClient } from '../support/http-client';
import { STORE_KINDS, StoreTarget } from '../support/store-target';

/**
 * One command, one Idempotency-Key, sent 100 times at once, 100 times in sequence, and again after
 * the API restarted: one event in the log and the same answer every time, on each store. A key sent
 * again with another body, route or method is refused with 422 and writes nothing, a TRN claim
 * included.
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

  const headPosition = async (): Promise<number> => (await target.events<{ head: number | null }>('SELECT MAX(position) AS head FROM events'))[0].head ?? 0;
  const person = (name: string, trn: string) => ({ firstName: name, lastName: 'Reuse', dateOfBirth: '1990-01-01', trn, email: `${name}@example.org`, schoolUrn: '100001', cohort: 2026 });

  it('the same key with another body answers 422 IDEMPOTENCY_KEY_REUSED, writes nothing and claims no TRN; the other TRN stays free', async () => {
    const key = { 'Idempotency-Key': 'reuse-register-1' };
    const first = await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body: person('Ada', '9200001'), headers: key });
    expect(first.status).toBe(201);
    const before = await headPosition();

    const reused = await http('POST', '/ects', { key: keys.lead, body: person('Bea', '9200002'), headers: key });
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', nextStep: expect.any(String) });
    expect(await headPosition()).toBe(before);
    expect(await eventCount('trn-9200002')).toBe(0);

    // The second ECT registers under a key of its own, and both are found by TRN.
    const second = await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body: person('Bea', '9200002'), headers: { 'Idempotency-Key': 'reuse-register-2' } });
    expect(second.status).toBe(201);
    expect(second.body.participantId).not.toBe(first.body.participantId);
    // The first request, sent again unchanged, still gets its first answer.
    const replay = await http('POST', '/ects', { key: keys.lead, body: person('Ada', '9200001'), headers: key });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
  });

  it('the same key on another route, another participant or another method answers 422 and writes nothing', async () => {
    const ect = (await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body: person('Cy', '9200003') })).body.participantId;
    const other = (await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body: person('Di', '9200004') })).body.participantId;
    const engagement = { kind: 'self-study', occurredOn: isoDate(londonToday()) };
    const key = { 'Idempotency-Key': 'reuse-route-1' };
    expect((await http('POST', `/participants/${ect}/engagements`, { key: keys.system, body: engagement, headers: key })).status).toBeLessThan(300);
    const before = await headPosition();

    const attempts = [
      http('POST', `/participants/${other}/engagements`, { key: keys.system, body: engagement, headers: key }),
      http('POST', `/participants/${ect}/module-access`, { key: keys.system, body: { moduleCode: 'x', accessedAt: new Date().toISOString() }, headers: key }),
      http('POST', `/participants/${ect}/engagements`, { key: keys.system, body: { ...engagement, reference: 'another' }, headers: key }),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    }
    expect(await headPosition()).toBe(before);
  });

  it('100 concurrent requests mixing one key over two bodies: one body wins, the other gets only 422s, and one participant is written', async () => {
    const bodies = [person('Eli', '9200005'), person('Fay', '9200006')];
    const before = await headPosition();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, index) => http<{ participantId?: string; code?: string }>('POST', '/ects', { key: keys.lead, body: bodies[index % 2], headers: { 'Idempotency-Key': 'reuse-race-1' } }).then((answer) => ({ index, answer }))),
    );
    const won = answers.filter(({ answer }) => answer.status === 201);
    const refused = answers.filter(({ answer }) => answer.status === 422);
    expect(won.length + refused.length).toBe(100);
    expect(new Set(won.map(({ index }) => index % 2)).size).toBe(1);
    expect(new Set(refused.map(({ index }) => index % 2))).toEqual(new Set([1 - (won[0].index % 2)]));
    expect(refused.every(({ answer }) => answer.body.code === 'IDEMPOTENCY_KEY_REUSED')).toBe(true);
    expect(new Set(won.map(({ answer }) => answer.body.participantId)).size).toBe(1);
    // One registration and one TRN claim, nothing for the losing body.
    expect(await headPosition()).toBe(before + 2);
    expect(await eventCount(`trn-${bodies[1 - (won[0].index % 2)].trn}`)).toBe(0);
  });

  it('a dry run binds nothing: the same key may then be used for the real command, with another body', async () => {
    const key = { 'Idempotency-Key': 'reuse-dry-run-1' };
    const preview = await http('POST', '/ects?dryRun=true', { key: keys.lead, body: person('Gus', '9200007'), headers: key });
    expect(preview.status).toBeLessThan(300);
    const real = await http('POST', '/ects', { key: keys.lead, body: person('Gus', '9200008'), headers: key });
    expect(real.status).toBe(201);
  });
});
