import { ApiProcess } from '../support/api-process';
import { eventually, httpClient } from '../support/http-client';

/**
 * Seed 000 end to end on the real API process and a temporary SQLite store: a school's partnership,
 * its induction tutor, two ECTs and two mentors registered, validated, matched and given Steplab access.
 */
describe('Onboarding a school over HTTP (seed 000)', () => {
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const SCHOOL = '100001';
  const OTHER_SCHOOL = '200002';
  const COHORT = 2026;

  const person = (firstName: string, trn?: string) => ({
    firstName,
    lastName: 'Tester',
    dateOfBirth: '1995-03-14',
    ...(trn ? { trn } : {}),
    email: `${firstName.toLowerCase()}@example.org`,
    schoolUrn: SCHOOL,
    cohort: COHORT,
  });
  const headPosition = async () => ((await http('GET', '/health')).body as { eventStore: { headPosition: number } }).eventStore.headPosition;

  beforeAll(async () => {
    api = await ApiProcess.start();
    http = httpClient(api.baseUrl);
    keys.dpl = await api.createKey('dpl');
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.otherLead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-midlands');
    keys.tutor = await api.createKey('induction-tutor', '--school', SCHOOL);
    keys.otherTutor = await api.createKey('induction-tutor', '--school', OTHER_SCHOOL);
    keys.system = await api.createKey('system');
    keys.reporting = await api.createKey('reporting');
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('serves health and the OpenAPI document without a key', async () => {
    expect((await http('GET', '/health')).body).toMatchObject({ status: 'ok', eventStore: { adapter: 'sqlite' } });
    const openApi = await http<{ paths: Record<string, unknown> }>('GET', '/docs-json');
    expect(Object.keys(openApi.body.paths)).toEqual(expect.arrayContaining(['/schools', '/ects', '/mentors', '/ects/{id}/mentor', '/participants/{id}']));
  });

  it('rejects a request without a valid API key with 401', async () => {
    const response = await http('POST', '/ects', { body: person('Nobody', '1000000') });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('UNAUTHENTICATED');
    expect((await http('GET', '/participants', { key: 'ecf_0000000000000000_notarealsecretnotarealsecretnotarealsecret' })).status).toBe(401);
  });

  it('establishes the school partnerships (step 1)', async () => {
    const school = await http('POST', '/schools', {
      key: keys.lead,
      body: { urn: SCHOOL, name: 'Oakfield Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT },
    });
    expect(school.status).toBe(201);
    expect(school.body).toMatchObject({ schoolUrn: SCHOOL, revision: 0 });
    const other = await http('POST', '/schools', {
      key: keys.dpl,
      body: { urn: OTHER_SCHOOL, name: 'Riverside Academy', region: 'east-midlands', deliveryPartnerId: 'dp-midlands', cohort: COHORT },
    });
    expect(other.status).toBe(201);
  });

  it('refuses a partnership with a delivery partner that does not cover the region (422 REGION_NOT_COVERED)', async () => {
    const response = await http('POST', '/schools', {
      key: keys.dpl,
      body: { urn: '300003', name: 'Coastal School', region: 'south-west', deliveryPartnerId: 'dp-north', cohort: COHORT },
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'REGION_NOT_COVERED', nextStep: expect.any(String) });
  });

  it('registers the induction tutor, two ECTs and two mentors (step 2)', async () => {
    const register = async (path: string, name: string, trn?: string) => {
      const response = await http('POST', path, { key: keys.tutor, body: person(name, trn) });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ participantId: expect.any(String), revision: 0, position: expect.any(Number) });
      return response.body.participantId as string;
    };
    ids.tutor = await register('/induction-tutors', 'Tamsin');
    ids.ect1 = await register('/ects', 'Eve', '1000001');
    ids.ect2 = await register('/ects', 'Ezra', '1000002');
    ids.mentor1 = await register('/mentors', 'Maya', '2000001');
    ids.mentor2 = await register('/mentors', 'Milo', '2000002');

    const ect = await http('GET', `/participants/${ids.ect1}`, { key: keys.tutor });
    expect(ect.status).toBe(200);
    expect(ect.headers.get('etag')).toBe('"0"');
    expect(ect.body).toMatchObject({
      type: 'ect',
      trn: '1000001',
      status: 'awaiting-validation',
      personal: { firstName: 'Eve', lastName: 'Tester', dateOfBirth: '1995-03-14', email: 'eve@example.org' },
      schoolUrn: SCHOOL,
      cohort: COHORT,
    });
  });

  it('refuses commands outside the role with 403 and writes nothing', async () => {
    const before = await headPosition();
    const bySystem = await http('POST', '/ects', { key: keys.system, body: person('Sam', '1000009') });
    expect(bySystem.status).toBe(403);
    expect(bySystem.body.code).toBe('FORBIDDEN_ROLE');
    const byReporting = await http('PUT', `/ects/${ids.ect1}/mentor`, { key: keys.reporting, body: { mentorId: ids.mentor1 } });
    expect(byReporting.status).toBe(403);
    const validationByTutor = await http('POST', `/participants/${ids.ect1}/validation`, { key: keys.tutor, body: { outcome: 'validated' } });
    expect(validationByTutor.status).toBe(403);
    expect(await headPosition()).toBe(before);
  });

  it('hides other schools’ participants with 404', async () => {
    expect((await http('GET', `/participants/${ids.ect1}`, { key: keys.otherTutor })).status).toBe(404);
    expect((await http('GET', `/participants/${ids.ect1}`, { key: keys.otherLead })).status).toBe(404);
    const match = await http('PUT', `/ects/${ids.ect1}/mentor`, { key: keys.otherTutor, body: { mentorId: ids.mentor1 } });
    expect(match.status).toBe(404);
    expect(match.body.code).toBe('PARTICIPANT_NOT_FOUND');
    const registerElsewhere = await http('POST', '/ects', { key: keys.otherTutor, body: person('Ivy', '1000010') });
    expect(registerElsewhere.status).toBe(404);
    expect(registerElsewhere.body.code).toBe('SCHOOL_NOT_FOUND');
  });

  it('rejects a bad body with 400 and every field error, writing nothing', async () => {
    const before = await headPosition();
    const response = await http('POST', '/ects', {
      key: keys.tutor,
      body: { ...person('', '123'), dateOfBirth: '2025-02-30', email: 'not-an-email', schoolUrn: '12345', shoeSize: 9 },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('INVALID_INPUT');
    const fields = (response.body.errors as { field: string }[]).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['firstName', 'trn', 'dateOfBirth', 'email', 'schoolUrn', 'shoeSize']));
    const malformed = await http('POST', '/ects', { key: keys.tutor, rawBody: '{"firstName": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    expect(await headPosition()).toBe(before);
  });

  it('rejects a TRN registered already with 409 naming the existing participant', async () => {
    const response = await http('POST', '/mentors', { key: keys.tutor, body: person('Duplicate', '1000001') });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'TRN_ALREADY_REGISTERED', context: { participantId: ids.ect1 } });
  });

  it('lets exactly one of several concurrent registrations of a TRN win', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, index) => http('POST', '/ects', { key: keys.tutor, body: person(`Racer${index}`, '1000099') })),
    );
    const winners = attempts.filter((attempt) => attempt.status === 201);
    const losers = attempts.filter((attempt) => attempt.status === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(5);
    for (const loser of losers) expect(loser.body).toMatchObject({ code: 'TRN_ALREADY_REGISTERED', context: { participantId: winners[0].body.participantId } });
    ids.racer = winners[0].body.participantId as string;
  });

  it('records DfE validation outcomes (system role)', async () => {
    for (const id of [ids.tutor, ids.ect1, ids.ect2, ids.mentor1, ids.mentor2]) {
      const response = await http('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated' } });
      expect(response.status).toBe(200);
    }
    const failed = await http('POST', `/participants/${ids.racer}/validation`, {
      key: keys.system,
      body: { outcome: 'failed', reasons: ['TRN and date of birth do not match'] },
    });
    expect(failed.status).toBe(200);
    const racer = await http('GET', `/participants/${ids.racer}`, { key: keys.dpl });
    expect(racer.body).toMatchObject({ status: 'awaiting-validation', validation: { outcome: 'failed', reasons: ['TRN and date of birth do not match'] } });
  });

  it('matches ECTs to a mentor and to the induction tutor as interim mentor (step 3)', async () => {
    const first = await http('PUT', `/ects/${ids.ect1}/mentor`, { key: keys.tutor, body: { mentorId: ids.mentor1 } });
    expect(first.status).toBe(200);
    const interim = await http('PUT', `/ects/${ids.ect2}/mentor`, { key: keys.tutor, body: { mentorId: ids.tutor } });
    expect(interim.status).toBe(200);
    expect((await http('GET', `/participants/${ids.ect2}`, { key: keys.tutor })).body).toMatchObject({ mentor: { id: ids.tutor, interim: true } });
  });

  it('refuses a mentor from another school (422 MENTOR_AT_DIFFERENT_SCHOOL)', async () => {
    const elsewhere = await http('POST', '/mentors', { key: keys.dpl, body: { ...person('Farah', '2000003'), schoolUrn: OTHER_SCHOOL } });
    expect(elsewhere.status).toBe(201);
    const response = await http('PUT', `/ects/${ids.ect1}/mentor`, { key: keys.dpl, body: { mentorId: elsewhere.body.participantId } });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'MENTOR_AT_DIFFERENT_SCHOOL', rule: expect.stringContaining('same school') });
  });

  it('refuses a stale If-Match with 412 and applies a current one', async () => {
    const current = await http('GET', `/participants/${ids.ect1}`, { key: keys.tutor });
    const revision = Number((current.headers.get('etag') ?? '').replace(/"/g, ''));
    const stale = await http('PUT', `/ects/${ids.ect1}/mentor`, {
      key: keys.tutor,
      body: { mentorId: ids.mentor2 },
      headers: { 'if-match': String(revision - 1) },
    });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'REVISION_MISMATCH', context: { currentRevision: String(revision) } });
    const fresh = await http('PUT', `/ects/${ids.ect1}/mentor`, {
      key: keys.tutor,
      body: { mentorId: ids.mentor2 },
      headers: { 'if-match': `"${revision}"` },
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body.revision).toBe(revision + 1);
    const back = await http('PUT', `/ects/${ids.ect1}/mentor`, { key: keys.tutor, body: { mentorId: ids.mentor1 } });
    expect(back.status).toBe(200);
  });

  it('returns the first result for a retried Idempotency-Key and writes one event', async () => {
    const send = () =>
      http('POST', `/participants/${ids.tutor}/steplab-access-form`, { key: keys.tutor, body: {}, headers: { 'idempotency-key': 'tutor-form-1' } });
    const first = await send();
    expect(first.status).toBe(200);
    const before = await headPosition();
    const retry = await send();
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(await headPosition()).toBe(before);

    const registration = () =>
      http('POST', '/mentors', { key: keys.tutor, body: person('Retry', '2000009'), headers: { 'idempotency-key': 'mentor-retry-1' } });
    const registered = await registration();
    expect(registered.status).toBe(201);
    const again = await registration();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(registered.body);
  });

  it('gives Steplab access after the form, due within 24 hours (step 4)', async () => {
    const tutorView = await http('GET', `/participants/${ids.tutor}`, { key: keys.tutor });
    const steplab = tutorView.body.steplab as { status: string; formSubmittedAt: string; accessDueBy: string };
    expect(steplab.status).toBe('form-submitted');
    expect(Date.parse(steplab.accessDueBy) - Date.parse(steplab.formSubmittedAt)).toBe(24 * 3600 * 1000);

    const ectFormByTutor = await http('POST', `/participants/${ids.ect1}/steplab-access-form`, { key: keys.tutor, body: {} });
    expect(ectFormByTutor.status).toBe(403);
    for (const id of [ids.ect1, ids.ect2, ids.mentor1, ids.mentor2]) {
      expect((await http('POST', `/participants/${id}/steplab-access-form`, { key: keys.system, body: {} })).status).toBe(200);
    }
    for (const id of [ids.tutor, ids.ect1, ids.ect2, ids.mentor1, ids.mentor2]) {
      expect((await http('POST', `/participants/${id}/steplab-access`, { key: keys.system, body: {} })).status).toBe(200);
    }
    const formForUnvalidated = await http('POST', `/participants/${ids.racer}/steplab-access-form`, { key: keys.system, body: {} });
    expect(formForUnvalidated.status).toBe(409);
    expect(formForUnvalidated.body.code).toBe('DATA_NOT_VALIDATED');
  });

  it('lists the school’s participants with filters, in the caller’s scope (step 5)', async () => {
    const all = await eventually(
      () => http<{ items: { participantId: string; steplabStatus: string }[] }>('GET', `/participants?schoolUrn=${SCHOOL}`, { key: keys.tutor }),
      (response) => response.body.items.filter((item) => item.steplabStatus === 'active').length === 5,
    );
    expect(all.body.items.map((item) => item.participantId)).toEqual(expect.arrayContaining([ids.tutor, ids.ect1, ids.ect2, ids.mentor1, ids.mentor2]));
    const ects = await http<{ items: { participantId: string; mentorId: string }[] }>('GET', `/participants?schoolUrn=${SCHOOL}&type=ect&status=active&cohort=${COHORT}`, { key: keys.lead });
    expect(ects.body.items.map((item) => item.participantId).sort()).toEqual([ids.ect1, ids.ect2].sort());
    const elsewhere = await http<{ items: unknown[] }>('GET', `/participants?schoolUrn=${SCHOOL}`, { key: keys.otherTutor });
    expect(elsewhere.body.items).toEqual([]);
    const badFilter = await http('GET', '/participants?type=teacher&cohort=nineteen', { key: keys.tutor });
    expect(badFilter.status).toBe(400);

    const mentor = await http('GET', `/participants/${ids.mentor1}`, { key: keys.tutor });
    expect(mentor.body.menteeIds).toEqual([ids.ect1]);
  });

  it('shows no personal data to the reporting role', async () => {
    const response = await http('GET', `/participants/${ids.ect1}`, { key: keys.reporting });
    expect(response.status).toBe(200);
    expect(response.body.personal).toBeUndefined();
    expect(response.body.trn).toBe('1000001');
  });
});
