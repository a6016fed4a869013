import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';

/**
 * Seed 004 end to end on the real API process, with the projections and the mentor-cascade policy
 * running in-process on a temporary SQLite store: pause, deferral with its cascade, withdrawal with its
 * cascade, and the reversal → reinstatement path.
 */
describe('The participant lifecycle over HTTP (seed 004)', () => {
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  const SCHOOL = '100001';
  const COHORT = 2026;
  const today = londonToday();
  let trnCounter = 3_000_000;

  interface Participant {
    status: string;
    revision: number;
    pause: { startDate: string; expectedResumeDate: string } | null;
    deferral: { expectedReturnDate: string; cascadedFromEctId: string | null } | null;
    withdrawal: { withdrawalDate: string; reason: string; reversalRequested: boolean } | null;
    steplab: { status: string };
    schoolUrn: string;
    outputPaymentsStopOn: string | null;
  }
  const participant = async (id: string) => (await http<Participant>('GET', `/participants/${id}`, { key: keys.dpl })).body;

  async function register(type: 'ects' | 'mentors', firstName: string): Promise<string> {
    const trn = String(++trnCounter);
    const body = { firstName, lastName: 'Lifecycle', dateOfBirth: '1994-06-01', trn, email: `${firstName.toLowerCase()}@example.org`, schoolUrn: SCHOOL, cohort: COHORT };
    const registered = await http<{ participantId: string }>('POST', `/${type}`, { key: keys.tutor, body });
    expect(registered.status).toBe(201);
    const id = registered.body.participantId;
    expect((await http('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);
    return id;
  }

  async function pair(name: string): Promise<{ ect: string; mentor: string }> {
    const ect = await register('ects', `${name}Ect`);
    const mentor = await register('mentors', `${name}Mentor`);
    expect((await http('PUT', `/ects/${ect}/mentor`, { key: keys.tutor, body: { mentorId: mentor } })).status).toBe(200);
    return { ect, mentor };
  }

  /** A rejected command must leave the participant's stream exactly as it was. */
  async function expectNothingWritten(id: string, revisionBefore: number): Promise<void> {
    expect((await participant(id)).revision).toBe(revisionBefore);
  }

  beforeAll(async () => {
    api = await ApiProcess.start();
    http = httpClient(api.baseUrl);
    keys.dpl = await api.createKey('dpl');
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.tutor = await api.createKey('induction-tutor', '--school', SCHOOL);
    keys.system = await api.createKey('system');
    const school = await http('POST', '/schools', {
      key: keys.lead,
      body: { urn: SCHOOL, name: 'Oakfield Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT },
    });
    expect(school.status).toBe(201);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('documents every lifecycle route in OpenAPI', async () => {
    const openApi = await http<{ paths: Record<string, unknown> }>('GET', '/docs-json');
    expect(Object.keys(openApi.body.paths)).toEqual(
      expect.arrayContaining([
        '/ects/{id}/pause', '/ects/{id}/resume', '/ects/{id}/deferral', '/mentors/{id}/deferral', '/participants/{id}/deferral',
        '/participants/{id}/return', '/ects/{id}/withdrawal', '/mentors/{id}/withdrawal', '/induction-tutors/{id}/withdrawal',
        '/participants/{id}/withdrawal-reversal-request', '/participants/{id}/reinstatement', '/participants/{id}/school-change',
        '/participants/{id}/release-schedule-amendment', '/participants/{id}/engagements', '/participants/{id}/module-access', '/participants/{id}/attendance',
      ]),
    );
  });

  it('Pause: an expected absence of 6 weeks or more is rejected with a pointer to deferral, and writes nothing', async () => {
    const { ect } = await pair('Pause');
    const before = (await participant(ect)).revision;
    const tooLong = await http('POST', `/ects/${ect}/pause`, {
      key: keys.tutor,
      body: { startDate: isoDate(today), expectedResumeDate: isoDate(today.plusWeeks(6)), reason: 'Surgery and recovery' },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.headers.get('content-type')).toContain('application/problem+json');
    expect(tooLong.body).toMatchObject({ code: 'PAUSE_TOO_LONG', nextStep: expect.stringMatching(/defer/i) });
    await expectNothingWritten(ect, before);

    const paused = await http('POST', `/ects/${ect}/pause`, {
      key: keys.tutor,
      body: { startDate: isoDate(today), expectedResumeDate: isoDate(today.plusWeeks(6).minusDays(1)), reason: 'Short illness' },
    });
    expect(paused.status).toBe(200);
    expect(await participant(ect)).toMatchObject({ status: 'paused', pause: { startDate: isoDate(today) } });

    const again = await http('POST', `/ects/${ect}/pause`, { key: keys.tutor, body: { startDate: isoDate(today), expectedResumeDate: isoDate(today.plusWeeks(2)), reason: 'Again' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_PAUSED');

    expect((await http('POST', `/ects/${ect}/resume`, { key: keys.tutor, body: { resumeDate: isoDate(today) } })).status).toBe(200);
    expect(await participant(ect)).toMatchObject({ status: 'active', pause: null });
  });

  it('Mentor cascade on deferral: a dry run previews the mentor’s deferral; the real one defers the mentor, and the return-date change and the return carry over', async () => {
    const { ect, mentor } = await pair('Defer');
    const deferral = { deferralDate: isoDate(today), expectedReturnDate: isoDate(today.plusMonths(6)), reason: 'parental-leave' };

    const preview = await http<{ dryRun: boolean; events: { type: string }[]; cascades: { type: string; data: Record<string, unknown> }[] }>(
      'POST', `/ects/${ect}/deferral?dryRun=true`, { key: keys.lead, body: deferral },
    );
    expect(preview.status).toBe(200);
    expect(preview.body.events.map((event) => event.type)).toEqual(['ParticipantDeferred']);
    expect(preview.body.cascades).toEqual([expect.objectContaining({ type: 'DeferMentor', data: expect.objectContaining({ participantId: mentor, expectedReturnDate: deferral.expectedReturnDate }) })]);
    expect((await participant(ect)).status).toBe('active');

    expect((await http('POST', `/ects/${ect}/deferral`, { key: keys.lead, body: deferral })).status).toBe(200);
    expect(await participant(ect)).toMatchObject({ status: 'deferred', deferral: { expectedReturnDate: deferral.expectedReturnDate } });
    await eventually(() => participant(mentor), (view) => view.status === 'deferred');
    expect((await participant(mentor)).deferral).toMatchObject({ expectedReturnDate: deferral.expectedReturnDate, cascadedFromEctId: ect });

    const newReturn = isoDate(today.plusMonths(4));
    expect((await http('PATCH', `/participants/${ect}/deferral`, { key: keys.lead, body: { expectedReturnDate: newReturn } })).status).toBe(200);
    await eventually(() => participant(mentor), (view) => view.deferral?.expectedReturnDate === newReturn);

    expect((await http('POST', `/participants/${ect}/return`, { key: keys.lead, body: { returnDate: isoDate(today) } })).status).toBe(200);
    await eventually(() => participant(mentor), (view) => view.status === 'active');
    expect((await participant(ect)).status).toBe('active');
  });

  it('Defer: a return more than 12 months away needs the DPL and an exception reason', async () => {
    const { ect } = await pair('Long');
    const before = (await participant(ect)).revision;
    const longDeferral = { deferralDate: isoDate(today), expectedReturnDate: isoDate(today.plusMonths(12).plusDays(1)), reason: 'long-term-sickness' };

    const tooLate = await http('POST', `/ects/${ect}/deferral`, { key: keys.lead, body: longDeferral });
    expect(tooLate.status).toBe(422);
    expect(tooLate.body).toMatchObject({ code: 'RETURN_DATE_TOO_LATE' });
    const leadException = await http('POST', `/ects/${ect}/deferral`, { key: keys.lead, body: { ...longDeferral, exceptionReason: 'Extended treatment' } });
    expect(leadException.status).toBe(403);
    expect(leadException.body).toMatchObject({ code: 'EXCEPTION_NEEDS_DPL' });
    await expectNothingWritten(ect, before);

    const approved = await http('POST', `/ects/${ect}/deferral`, { key: keys.dpl, body: { ...longDeferral, exceptionReason: 'Extended treatment' } });
    expect(approved.status).toBe(200);
    expect((await participant(ect)).deferral).toMatchObject({ expectedReturnDate: longDeferral.expectedReturnDate });
  });

  it('Withdraw: a date in the future is refused; today’s withdrawal withdraws the mentor too (mentor cascade on withdrawal)', async () => {
    const { ect, mentor } = await pair('Withdraw');
    const before = (await participant(ect)).revision;
    const future = await http('POST', `/ects/${ect}/withdrawal`, { key: keys.lead, body: { withdrawalDate: isoDate(today.plusDays(1)), reason: 'left-teaching-profession' } });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({ code: 'WITHDRAWAL_DATE_IN_FUTURE', errors: [expect.objectContaining({ field: 'withdrawalDate' })] });
    const beforeRegistration = await http('POST', `/ects/${ect}/withdrawal`, { key: keys.lead, body: { withdrawalDate: isoDate(today.minusDays(1)), reason: 'left-teaching-profession' } });
    expect(beforeRegistration.status).toBe(422);
    expect(beforeRegistration.body.code).toBe('DATE_BEFORE_REGISTRATION');
    const tutorTries = await http('POST', `/ects/${ect}/withdrawal`, { key: keys.tutor, body: { withdrawalDate: isoDate(today), reason: 'left-teaching-profession' } });
    expect(tutorTries.status).toBe(403);
    await expectNothingWritten(ect, before);

    expect((await http('POST', `/ects/${ect}/withdrawal`, { key: keys.lead, body: { withdrawalDate: isoDate(today), reason: 'left-teaching-profession' } })).status).toBe(200);
    await eventually(() => participant(mentor), (view) => view.status === 'withdrawn');
    expect((await participant(mentor)).withdrawal).toMatchObject({ reason: 'mentor-no-longer-being-mentor' });
  });

  it('Reversal: the ECF Lead requests, the DPL reinstates, and Steplab access is pending until the back office grants it again', async () => {
    const ect = await register('ects', 'Reinstated');
    expect((await http('POST', `/participants/${ect}/steplab-access-form`, { key: keys.lead, body: {} })).status).toBe(200);
    expect((await http('POST', `/participants/${ect}/steplab-access`, { key: keys.system, body: {} })).status).toBe(200);
    expect((await http('POST', `/ects/${ect}/withdrawal`, { key: keys.lead, body: { withdrawalDate: isoDate(today), reason: 'moved-school' } })).status).toBe(200);
    expect(await participant(ect)).toMatchObject({ status: 'withdrawn', steplab: { status: 'revoked' } });

    const tooEarly = await http('POST', `/participants/${ect}/reinstatement`, { key: keys.dpl, body: {} });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.code).toBe('REVERSAL_NOT_REQUESTED');

    const requested = await http('POST', `/participants/${ect}/withdrawal-reversal-request`, { key: keys.lead, body: { reason: 'Withdrawn in error' } });
    expect(requested.status).toBe(200);
    const leadReinstates = await http('POST', `/participants/${ect}/reinstatement`, { key: keys.lead, body: {} });
    expect(leadReinstates.status).toBe(403);

    expect((await http('POST', `/participants/${ect}/reinstatement`, { key: keys.dpl, body: {} })).status).toBe(200);
    expect(await participant(ect)).toMatchObject({ status: 'active', withdrawal: null, steplab: { status: 'reinstatement-pending' } });

    expect((await http('POST', `/participants/${ect}/steplab-access`, { key: keys.system, body: {} })).status).toBe(200);
    expect((await participant(ect)).steplab.status).toBe('active');
  });

  it('School change: the ECT continues at the new school; the school left with nobody is alerted; an ECF Lead’s move out of their partnership is refused (a DPL makes it); a move into an uncovered region stops output payments', async () => {
    const SMALL_SCHOOL = '100009';
    const MIDLANDS_SCHOOL = '100010';
    expect(
      (await http('POST', '/schools', { key: keys.lead, body: { urn: SMALL_SCHOOL, name: 'Hillside Infants', region: 'north-east', deliveryPartnerId: 'dp-north', cohort: COHORT } })).status,
    ).toBe(201);
    expect(
      (await http('POST', '/schools', { key: keys.dpl, body: { urn: MIDLANDS_SCHOOL, name: 'Trent Vale Academy', region: 'east-midlands', deliveryPartnerId: 'dp-midlands', cohort: COHORT } })).status,
    ).toBe(201);
    const body = { firstName: 'Mover', lastName: 'Lifecycle', dateOfBirth: '1994-06-01', trn: String(++trnCounter), email: 'mover@example.org', schoolUrn: SMALL_SCHOOL, cohort: COHORT };
    const ect = (await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body })).body.participantId;

    const moved = await http('POST', `/participants/${ect}/school-change`, { key: keys.lead, body: { newSchoolUrn: SCHOOL, effectiveDate: isoDate(today) } });
    expect(moved.status).toBe(200);
    expect(await participant(ect)).toMatchObject({ schoolUrn: SCHOOL, outputPaymentsStopOn: null });
    expect((await http('GET', `/participants/${ect}`, { key: keys.lead })).status).toBe(200);
    const alerts = await eventually(
      () => http<{ items: { schoolUrn: string; kind: string; raisedOn: string; nextStep: string }[] }>('GET', `/alerts?schoolUrn=${SMALL_SCHOOL}`, { key: keys.lead }),
      // Until both projections have the move, the ECT may still show here as an ECT without a mentor (or a tutor).
      (response) => response.body.items.some((alert) => alert.kind === 'no-active-participants') && response.body.items.every((alert) => alert.kind === 'no-active-participants'),
    );
    expect(alerts.body.items).toEqual([expect.objectContaining({ schoolUrn: SMALL_SCHOOL, kind: 'no-active-participants', raisedOn: isoDate(today), nextStep: expect.stringMatching(/DPL/) })]);
    expect((await http<{ items: unknown[] }>('GET', `/alerts?schoolUrn=${SMALL_SCHOOL}`, { key: keys.tutor })).body.items).toEqual([]);

    // Seed 004, Other: "lead providers must be able to continue to provide the programme to that early career teacher
    // in a new school setting". A move the ECF Lead could not follow is the lead provider's: a DPL makes it.
    const revisionBefore = (await participant(ect)).revision;
    const outOfPartnership = [
      { newSchoolUrn: MIDLANDS_SCHOOL, effectiveDate: isoDate(today) },
      { newSchoolUrn: '399999', effectiveDate: isoDate(today), newSchoolRegion: 'south-west' },
    ];
    for (const move of outOfPartnership) {
      for (const route of [`/participants/${ect}/school-change?dryRun=true`, `/participants/${ect}/school-change`]) {
        const refused = await http('POST', route, { key: keys.lead, body: move });
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
        expect(refused.body).toMatchObject({
          code: 'MOVE_OUTSIDE_SCOPE',
          detail: expect.stringMatching(/A DPL can make this move/),
          nextStep: expect.stringMatching(/DPL/),
          errors: [expect.objectContaining({ field: 'newSchoolUrn', code: 'MOVE_OUTSIDE_SCOPE' })],
        });
      }
    }
    await expectNothingWritten(ect, revisionBefore);
    expect((await http('GET', `/participants/${ect}`, { key: keys.lead })).status).toBe(200);

    const uncovered = await http('POST', `/participants/${ect}/school-change`, { key: keys.dpl, body: outOfPartnership[1] });
    expect(uncovered.status).toBe(200);
    expect(await participant(ect)).toMatchObject({ schoolUrn: '399999', outputPaymentsStopOn: isoDate(today) });
    expect((await http('GET', `/participants/${ect}`, { key: keys.lead })).status).toBe(404);
  });

  it('School alerts (SPEC §4): a school with an active ECT and no validated induction tutor is alerted (a tutor awaiting DfE validation does not clear it); a school left with its tutor alone has no participants', async () => {
    const TUTORLESS_SCHOOL = '100011';
    expect(
      (await http('POST', '/schools', { key: keys.lead, body: { urn: TUTORLESS_SCHOOL, name: 'Moorside Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT } })).status,
    ).toBe(201);
    const person = (firstName: string) => ({ firstName, lastName: 'Alerts', dateOfBirth: '1990-02-01', email: `${firstName.toLowerCase()}@example.org`, schoolUrn: TUTORLESS_SCHOOL, cohort: COHORT });
    const tutor = (await http<{ participantId: string }>('POST', '/induction-tutors', { key: keys.lead, body: person('Tutor') })).body.participantId;
    // Registered after the tutor: once its alert is there, the tutor awaiting validation was on the roster and did not clear it.
    const ect = (await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body: { ...person('Untutored'), trn: String(++trnCounter) } })).body.participantId;
    type Alerts = { items: { schoolUrn: string; kind: string; raisedOn: string; nextStep: string }[] };
    const alertsOf = (kind: string) => http<Alerts>('GET', `/alerts?schoolUrn=${TUTORLESS_SCHOOL}&kind=${kind}`, { key: keys.lead });

    const withoutTutor = await eventually(() => alertsOf('no-induction-tutor'), (response) => response.body.items.length > 0);
    expect(withoutTutor.body.items).toEqual([
      expect.objectContaining({ schoolUrn: TUTORLESS_SCHOOL, kind: 'no-induction-tutor', raisedOn: isoDate(today), nextStep: expect.stringMatching(/validated induction tutor/) }),
    ]);

    expect((await http('POST', `/participants/${tutor}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);
    await eventually(() => alertsOf('no-induction-tutor'), (response) => response.body.items.length === 0);

    expect((await http('POST', `/ects/${ect}/withdrawal`, { key: keys.lead, body: { withdrawalDate: isoDate(today), reason: 'left-teaching-profession' } })).status).toBe(200);
    const nobodyInTraining = await eventually(() => alertsOf('no-active-participants'), (response) => response.body.items.length > 0);
    expect(nobodyInTraining.body.items).toEqual([expect.objectContaining({ schoolUrn: TUTORLESS_SCHOOL, raisedOn: isoDate(today), nextStep: expect.stringMatching(/DPL/) })]);
    expect((await participant(tutor)).status).toBe('active');
    expect((await alertsOf('no-induction-tutor')).body.items).toEqual([]);
  });

  it('lists participants by lifecycle status from the participant-summary projection', async () => {
    const withdrawn = await eventually(
      () => http<{ items: { status: string }[] }>('GET', `/participants?schoolUrn=${SCHOOL}&status=withdrawn`, { key: keys.dpl }),
      (response) => response.body.items.length >= 2,
    );
    expect(withdrawn.body.items.every((item) => item.status === 'withdrawn')).toBe(true);
  });
});
