import { readFileSync } from 'node:fs';
import { get as httpGet, IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ChronoUnit, LocalDate } from '@js-joda/core';
import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';

/**
 * The programme views (SPEC §4, §4a) on the real API process: module-release schedule, payment
 * eligibility with its DfE declarations, Steplab access, coaching relationships, the payment reports
 * and the time-based alerts.
 *
 * The participants are registered on 12 October 2026 — on an API whose decision clock is moved back to
 * that day (a rehearsal setting) — so they are on the 2026 cohort's `ecf-standard-september` schedule
 * with content from 1 September 2026. Everything after that runs on the real clock, apart from the two
 * rules that need the clock moved on (Steplab's 24 hours, a pause over 6 weeks): the API is restarted on
 * the same data with DECISION_CLOCK_OFFSET_DAYS and put back afterwards.
 */
describe('Programme views over HTTP: release schedule, payment eligibility, Steplab access, coaching, reports and alerts', () => {
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  const today = londonToday();
  const COHORT = 2026;
  const SCHOOL = '100001';
  const MIDLANDS_SCHOOL = '200001';
  const REGISTERED_ON = LocalDate.of(2026, 10, 12);
  const CONTENT_START = LocalDate.of(2026, 9, 1);
  const WITHDRAWN_ON = '2026-11-02';
  let trnCounter = 7_100_000;

  interface ReleaseItem {
    code: string;
    kind: string;
    plannedDate: string;
    releaseDate: string | null;
    reason: string;
    state: string;
  }
  interface ReleaseScheduleBody {
    participantId: string;
    asOf: string;
    knownAt?: string;
    track: string | null;
    contentStartDate: string | null;
    items: ReleaseItem[];
  }
  interface Declaration {
    participantId: string;
    declarationType: string;
    declarationDate: string;
    courseIdentifier: string;
    evidenceHeld: string;
  }
  interface Milestone {
    declarationType: string;
    windowStart: string;
    windowEnd: string | null;
    paymentDate: string;
    eligible: boolean;
    reason: string;
    state: string;
    declaration: Declaration | null;
  }
  interface PaymentEligibilityBody {
    participantId: string;
    asOf: string;
    knownAt?: string;
    milestones: Milestone[];
  }
  interface SteplabAccessBody {
    participantId: string;
    at: string;
    state: string;
    formSubmittedAt: string | null;
    accessDueBy: string | null;
    grantedAt: string | null;
    breached: boolean;
  }
  interface CoachingRelationships {
    schoolUrn: string;
    cohort: number;
    items: { ectId: string; mentorId: string | null; interimMentor: boolean; visibleOnSteplab: boolean; blockers: string[] }[];
  }
  interface ReportItem {
    participantId: string;
    participantType: string;
    schoolUrn: string;
    cohort: number;
    deliveryPartnerId: string | null;
    declarationType: string;
    eligible: boolean;
    reason: string;
    state: string;
    declarationDate: string | null;
    courseIdentifier: string | null;
    evidenceHeld: string | null;
  }
  interface ReportPage {
    asOf: string;
    items: ReportItem[];
    next: string | null;
  }
  interface DeclarationsExport {
    declarations: { data: { type: string; attributes: Record<string, string> } }[];
  }
  interface Alerts {
    asOf: string;
    items: { kind: string; schoolUrn: string; participantId: string | null; raisedOn: string; nextStep: string }[];
  }

  /** The ECT track of config/curriculum.json: what every ECT's schedule is planned from. */
  const ectCurriculum = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'curriculum.json'), 'utf8')) as { ect: { code: string; kind: string; releaseWeek: number }[] }).ect;
  const plannedDateOf = (code: string): string => {
    const item = ectCurriculum.find((candidate) => candidate.code === code);
    if (!item) throw new Error(`${code} is not in the ECT curriculum`);
    return isoDate(CONTENT_START.plusWeeks(item.releaseWeek));
  };
  /** The London day of an instant: business dates (and alerts' days) are on England's calendar. */
  const londonDayOf = (instant: string): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(instant));
  /** An undisturbed plan read on `day`: released once its planned date has come, scheduled before. */
  const asPlannedOn = (day: string) => (item: ReleaseItem) => (item.plannedDate <= day ? 'released' : 'scheduled');

  const releaseSchedule = (id: string, query = '', key = keys.auditor) => http<ReleaseScheduleBody>('GET', `/participants/${id}/release-schedule${query}`, { key });
  const paymentEligibility = (id: string, query = '', key = keys.auditor) => http<PaymentEligibilityBody>('GET', `/participants/${id}/payment-eligibility${query}`, { key });
  const steplabAccess = (id: string) => http<SteplabAccessBody>('GET', `/participants/${id}/steplab-access`, { key: keys.lead });
  const summaryOf = async (id: string) =>
    (await http<{ items: { participantId: string; status: string; steplabStatus: string }[] }>('GET', `/participants?schoolUrn=${SCHOOL}&cohort=${COHORT}`, { key: keys.dpl })).body.items.find(
      (item) => item.participantId === id,
    );
  const coaching = () => http<CoachingRelationships>('GET', `/schools/${SCHOOL}/coaching-relationships?cohort=${COHORT}`, { key: keys.tutor });
  const alerts = (query: string) => http<Alerts>('GET', `/alerts${query}`, { key: keys.dpl });
  const milestone = (body: PaymentEligibilityBody, declarationType: string): Milestone | undefined => body.milestones.find((row) => row.declarationType === declarationType);
  /** A command that must succeed; the response body is in the failure message when it does not. */
  const command = async (method: string, path: string, key: string, body: unknown = {}, expectedStatus = 200) => {
    const response = await http(method, path, { key, body });
    expect({ method, path, status: response.status, body: response.body }).toMatchObject({ status: expectedStatus });
    return response;
  };

  async function register(type: 'ects' | 'mentors', firstName: string, schoolUrn = SCHOOL, key = keys.lead): Promise<string> {
    const trn = String(++trnCounter);
    const body = { firstName, lastName: 'Programme', dateOfBirth: '1993-03-14', trn, email: `${firstName.toLowerCase()}@example.org`, schoolUrn, cohort: COHORT };
    const registered = await command('POST', `/${type}`, key, body, 201);
    const id = (registered.body as { participantId: string }).participantId;
    await command('POST', `/participants/${id}/validation`, keys.system, { outcome: 'validated', reasons: [] });
    return id;
  }

  /** Stops the API and starts it again on the same data with the decision clock moved by `days` (0: the real clock). */
  async function restartWithClock(days: number): Promise<void> {
    api = await api.restart(days === 0 ? {} : { DECISION_CLOCK_OFFSET_DAYS: String(days) });
    http = httpClient(api.baseUrl);
  }

  /** Runs `check` on an API whose clock is `days` ahead, then puts the real clock back whatever happened. */
  async function withClockMovedOn(days: number, check: () => Promise<void>): Promise<void> {
    await restartWithClock(days);
    try {
      await check();
    } finally {
      await restartWithClock(0);
    }
  }

  const participants: Record<
    'newEct' | 'withdrawnEct' | 'lateEngagementEct' | 'engagedEct' | 'grantedEct' | 'overdueEct' | 'coachedEct' | 'coachingMentor' | 'pausedEct' | 'deferredEct' | 'midlandsEct',
    string
  > = {
    newEct: '', withdrawnEct: '', lateEngagementEct: '', engagedEct: '', grantedEct: '', overdueEct: '', coachedEct: '', coachingMentor: '', pausedEct: '', deferredEct: '', midlandsEct: '',
  };

  beforeAll(async () => {
    api = await ApiProcess.start({ DECISION_CLOCK_OFFSET_DAYS: String(ChronoUnit.DAYS.between(today, REGISTERED_ON)) });
    http = httpClient(api.baseUrl);
    keys.dpl = await api.createKey('dpl');
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.otherLead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-midlands');
    keys.tutor = await api.createKey('induction-tutor', '--school', SCHOOL);
    keys.system = await api.createKey('system');
    keys.auditor = await api.createKey('auditor');
    keys.reporting = await api.createKey('reporting');
    await command('POST', '/schools', keys.lead, { urn: SCHOOL, name: 'Oakfield Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT }, 201);
    await command('POST', '/schools', keys.otherLead, { urn: MIDLANDS_SCHOOL, name: 'Trent Vale Academy', region: 'east-midlands', deliveryPartnerId: 'dp-midlands', cohort: COHORT }, 201);
    for (const name of Object.keys(participants) as (keyof typeof participants)[]) {
      if (name === 'coachingMentor') participants[name] = await register('mentors', name);
      else if (name === 'midlandsEct') participants[name] = await register('ects', name, MIDLANDS_SCHOOL, keys.otherLead);
      else participants[name] = await register('ects', name);
    }
    await restartWithClock(0);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
  });

  it('Release schedule: a new ECT’s items are planned from the content start and read against today; outside scope is 404, a bad asOf 400', async () => {
    const { newEct } = participants;
    const schedule = await eventually(() => releaseSchedule(newEct, '', keys.lead), (response) => response.status === 200 && response.body.items.length > 0);
    expect(schedule.body).toMatchObject({ participantId: newEct, asOf: isoDate(today), track: 'ect', contentStartDate: isoDate(CONTENT_START) });
    expect(schedule.body.items.map((item) => item.code)).toEqual(ectCurriculum.map((item) => item.code));
    for (const item of schedule.body.items) {
      const state = asPlannedOn(isoDate(today))(item);
      expect(item).toEqual(
        expect.objectContaining({ code: item.code, plannedDate: plannedDateOf(item.code), releaseDate: item.plannedDate, reason: 'as-planned', state }),
      );
    }
    expect(schedule.body.items[0]).toMatchObject({ code: 'ect-y1-m01', plannedDate: '2026-09-01', state: 'released' });

    const outsideScope = await releaseSchedule(newEct, '', keys.otherLead);
    expect(outsideScope.status).toBe(404);
    expect(outsideScope.body).toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
    expect(JSON.stringify(outsideScope.body)).not.toContain('Oakfield');

    const badDate = await releaseSchedule(newEct, '?asOf=2026-02-30', keys.lead);
    expect(badDate.status).toBe(400);
    expect(badDate.headers.get('content-type')).toContain('application/problem+json');
    expect(badDate.body).toMatchObject({ code: 'INVALID_INPUT', errors: [expect.objectContaining({ field: 'asOf' })] });

    const beforeRegistration = await releaseSchedule(newEct, `?asOf=${isoDate(REGISTERED_ON.minusDays(1))}`, keys.lead);
    expect(beforeRegistration.status).toBe(404);
    expect(beforeRegistration.body).toMatchObject({ code: 'PARTICIPANT_NOT_FOUND' });
  });

  it('A back-dated withdrawal: knownAt shows what was believed before it was recorded; now and asOf after its date release nothing from it; asOf before it shows that day', async () => {
    const { withdrawnEct, lateEngagementEct } = participants;
    await command('POST', `/participants/${withdrawnEct}/engagements`, keys.system, { kind: 'coaching-session', occurredOn: '2026-10-14' });
    await command('POST', `/participants/${withdrawnEct}/engagements`, keys.system, { kind: 'self-study', occurredOn: '2026-11-09' });
    await command('POST', `/participants/${lateEngagementEct}/engagements`, keys.system, { kind: 'self-study', occurredOn: '2026-11-09' });
    await eventually(() => paymentEligibility(lateEngagementEct), (response) => milestone(response.body, 'started')?.eligible === true);
    await eventually(() => paymentEligibility(withdrawnEct), (response) => milestone(response.body, 'started')?.eligible === true);

    const knownBeforeWithdrawal = new Date().toISOString();
    for (const id of [withdrawnEct, lateEngagementEct]) {
      await command('POST', `/ects/${id}/withdrawal`, keys.lead, { withdrawalDate: WITHDRAWN_ON, reason: 'moved-school' });
    }
    const history = await http<{ events: { type: string; recordedAt: string }[] }>('GET', `/participants/${withdrawnEct}/history`, { key: keys.auditor });
    const withdrawal = history.body.events.find((event) => event.type === 'ParticipantWithdrawn');
    expect(withdrawal?.recordedAt).toBeDefined();
    expect((withdrawal?.recordedAt ?? '') > knownBeforeWithdrawal).toBe(true);

    // Now: nothing planned on or after the withdrawal date is released; what came before stays released.
    const now = await eventually(() => releaseSchedule(withdrawnEct), (response) => response.body.items.some((item) => item.state === 'not-released-withdrawn'));
    for (const item of now.body.items) {
      if (item.plannedDate >= WITHDRAWN_ON) expect(item).toMatchObject({ releaseDate: null, reason: 'not-released-withdrawn', state: 'not-released-withdrawn' });
      else expect(item).toMatchObject({ releaseDate: item.plannedDate, reason: 'as-planned', state: 'released' });
    }
    expect(now.body.items.find((item) => item.code === 'ect-y1-m04')).toMatchObject({ plannedDate: '2026-11-10', state: 'not-released-withdrawn' });

    // Recorded axis: before the withdrawal was recorded nobody knew of it, so the plan read on that day is undisturbed.
    const believed = await releaseSchedule(withdrawnEct, `?knownAt=${encodeURIComponent(knownBeforeWithdrawal)}`);
    expect(believed.status).toBe(200);
    expect(believed.body).toMatchObject({ knownAt: knownBeforeWithdrawal, asOf: londonDayOf(knownBeforeWithdrawal) });
    expect(believed.body.items.map((item) => item.state)).toEqual(believed.body.items.map(asPlannedOn(londonDayOf(knownBeforeWithdrawal))));
    expect(believed.body.items.find((item) => item.code === 'ect-y1-m04')).toMatchObject({ releaseDate: '2026-11-10', state: 'released' });

    // Effective axis: after the withdrawal date, as known now, the withdrawal holds back what it holds back now.
    const afterWithdrawalDate = await releaseSchedule(withdrawnEct, '?asOf=2026-11-16');
    expect(afterWithdrawalDate.status).toBe(200);
    expect(afterWithdrawalDate.body.asOf).toBe('2026-11-16');
    expect(afterWithdrawalDate.body.items.map((item) => item.state)).toEqual(
      now.body.items.map((item) => (item.plannedDate >= WITHDRAWN_ON ? 'not-released-withdrawn' : asPlannedOn('2026-11-16')(item))),
    );
    // …and on a day before it the ECT was not yet withdrawn: released up to that day, scheduled after.
    const beforeWithdrawalDate = await releaseSchedule(withdrawnEct, '?asOf=2026-10-20');
    expect(beforeWithdrawalDate.status).toBe(200);
    expect(beforeWithdrawalDate.body.items.map((item) => item.state)).toEqual(beforeWithdrawalDate.body.items.map(asPlannedOn('2026-10-20')));
    expect(beforeWithdrawalDate.body.items.find((item) => item.code === 'ect-y1-m03')).toMatchObject({ plannedDate: '2026-10-13', state: 'released' });
    expect(beforeWithdrawalDate.body.items.find((item) => item.code === 'ect-y1-m04')).toMatchObject({ state: 'scheduled' });

    // Payment: what was met before the withdrawal date still pays, declared on a day before it.
    const paid = await eventually(() => paymentEligibility(withdrawnEct), (response) => milestone(response.body, 'retained-1')?.reason === 'withdrawn-before-window');
    expect(milestone(paid.body, 'started')).toMatchObject({
      eligible: true,
      reason: 'engaged',
      state: 'eligible',
      declaration: { participantId: withdrawnEct, declarationType: 'started', declarationDate: '2026-10-14', courseIdentifier: 'ecf-induction', evidenceHeld: 'other' },
    });
    expect((milestone(paid.body, 'started')?.declaration?.declarationDate ?? '') < WITHDRAWN_ON).toBe(true);
    for (const later of paid.body.milestones.slice(1)) expect(later).toMatchObject({ eligible: false, reason: 'withdrawn-before-window', declaration: null });

    // An engagement dated after the withdrawal date does not qualify — though it did before the withdrawal was known.
    const unpaid = await eventually(() => paymentEligibility(lateEngagementEct), (response) => milestone(response.body, 'started')?.eligible === false);
    // Withdrawn inside the started window without a qualifying engagement: not eligible, not "awaiting engagement".
    expect(milestone(unpaid.body, 'started')).toMatchObject({ eligible: false, reason: 'withdrawn-before-engaging', state: 'not-eligible', declaration: null });
    const believedPaid = await paymentEligibility(lateEngagementEct, `?knownAt=${encodeURIComponent(knownBeforeWithdrawal)}`);
    expect(believedPaid.status).toBe(200);
    expect(believedPaid.body.knownAt).toBe(knownBeforeWithdrawal);
    expect(milestone(believedPaid.body, 'started')).toMatchObject({
      eligible: true,
      state: 'eligible',
      declaration: { declarationType: 'started', declarationDate: '2026-11-09', courseIdentifier: 'ecf-induction', evidenceHeld: 'self-study-material-completed' },
    });
  });

  it('Payment eligibility: an engagement in the started window makes it eligible with a declaration; the report lists it (JSON, CSV, pages) and the DfE export carries it', async () => {
    const { engagedEct } = participants;
    await command('POST', `/participants/${engagedEct}/engagements`, keys.system, { kind: 'module-completed', occurredOn: '2026-10-20' });
    const eligibility = await eventually(() => paymentEligibility(engagedEct, '', keys.lead), (response) => milestone(response.body, 'started')?.eligible === true);
    expect(eligibility.body.milestones.map((row) => row.declarationType)).toEqual(['started', 'retained-1', 'retained-2', 'retained-3', 'retained-4', 'completed']);
    const declaration = { participantId: engagedEct, declarationType: 'started', declarationDate: '2026-10-20', courseIdentifier: 'ecf-induction', evidenceHeld: 'self-study-material-completed' };
    expect(milestone(eligibility.body, 'started')).toEqual({
      declarationType: 'started', windowStart: '2026-07-01', windowEnd: null, paymentDate: '2026-11-30', eligible: true, reason: 'engaged', state: 'eligible', declaration,
    });
    for (const later of eligibility.body.milestones.slice(1)) expect(later).toMatchObject({ eligible: false, reason: 'no-engagement-while-active', declaration: null });

    // The report, filtered by window and delivery partner.
    const report = await eventually(
      () => http<ReportPage>('GET', '/reports/payment-eligibility?window=started&deliveryPartner=dp-north', { key: keys.reporting }),
      (response) => response.body.items?.some((item) => item.participantId === engagedEct && item.eligible),
    );
    expect(report.body.asOf).toBe(isoDate(today));
    expect(report.body.items.every((item) => item.declarationType === 'started' && item.deliveryPartnerId === 'dp-north')).toBe(true);
    expect(report.body.items.find((item) => item.participantId === engagedEct)).toEqual(
      expect.objectContaining({
        participantType: 'ect', schoolUrn: SCHOOL, cohort: COHORT, deliveryPartnerId: 'dp-north', eligible: true, reason: 'engaged', state: 'eligible',
        declarationDate: '2026-10-20', courseIdentifier: 'ecf-induction', evidenceHeld: 'self-study-material-completed',
      }),
    );
    const otherPartner = await http<ReportPage>('GET', '/reports/payment-eligibility?window=started&deliveryPartner=dp-midlands', { key: keys.reporting });
    expect(otherPartner.body.items.length).toBeGreaterThan(0);
    expect(otherPartner.body.items.every((item) => item.deliveryPartnerId === 'dp-midlands')).toBe(true);
    expect(otherPartner.body.items.map((item) => item.participantId)).not.toContain(engagedEct);

    // CSV: a header row, then the participant.
    const csv = await fetch(`${api.baseUrl}/reports/payment-eligibility?window=started&deliveryPartner=dp-north&format=csv`, { headers: { authorization: `Bearer ${keys.reporting}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('participantId,participantType,schoolUrn,cohort,deliveryPartnerId,declarationType,windowStart,windowEnd,paymentDate,eligible,reason,state,declarationDate,courseIdentifier,evidenceHeld');
    expect(lines).toHaveLength(report.body.items.length + 1);
    expect(lines.find((line) => line.startsWith(engagedEct))).toBe(
      `${engagedEct},ect,${SCHOOL},${COHORT},dp-north,started,2026-07-01,,2026-11-30,true,engaged,eligible,2026-10-20,ecf-induction,self-study-material-completed`,
    );

    // Pages of 4 with the `next` cursor walk every row once.
    const all = await http<ReportPage>('GET', `/reports/payment-eligibility?cohort=${COHORT}`, { key: keys.auditor });
    expect(all.body.next).toBeNull();
    const rowKey = (item: ReportItem) => `${item.participantId}~${item.declarationType}`;
    const walked: string[] = [];
    let pages = 0;
    for (let after: string | null = ''; after !== null; pages++) {
      const page: Awaited<ReturnType<typeof http<ReportPage>>> = await http<ReportPage>(
        'GET', `/reports/payment-eligibility?cohort=${COHORT}&limit=4${after ? `&after=${encodeURIComponent(after)}` : ''}`, { key: keys.auditor },
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      walked.push(...page.body.items.map(rowKey));
      after = page.body.next;
      expect(pages).toBeLessThan(100);
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked).toEqual(all.body.items.map(rowKey));
    expect(walked).toContain(`${engagedEct}~started`);

    // CSV: with a limit, one page and a Link to the next; without, every row streamed in one response.
    const csvOf = (query: string) => fetch(`${api.baseUrl}/reports/payment-eligibility?cohort=${COHORT}&format=csv${query}`, { headers: { authorization: `Bearer ${keys.auditor}` } });
    const csvPage = await csvOf('&limit=4');
    expect((await csvPage.text()).trim().split('\n')).toHaveLength(5);
    expect(csvPage.headers.get('link')).toMatch(/^<\?after=[^>]+>; rel="next"$/);
    const streamed = await csvOf('');
    expect(streamed.headers.get('content-type')).toContain('text/csv');
    expect(streamed.headers.get('content-disposition')).toMatch(/^attachment; filename="payment-eligibility-all-\d{4}-\d\d-\d\d\.csv"$/);
    expect(streamed.headers.get('link')).toBeNull();
    const streamedRows = (await streamed.text()).trim().split('\n').slice(1).map((line) => line.split(','));
    expect(streamedRows.map(([participantId, , , , , declarationType]) => `${participantId}~${declarationType}`)).toEqual(walked);

    // Compressed for a client that accepts gzip (fetch above asks for it and unpacks it): the same bytes once gunzipped.
    const rawCsv = (acceptEncoding: string) =>
      new Promise<{ response: IncomingMessage; bytes: Buffer }>((resolve, reject) => {
        const url = `${api.baseUrl}/reports/payment-eligibility?cohort=${COHORT}&format=csv`;
        httpGet(url, { headers: { authorization: `Bearer ${keys.auditor}`, 'accept-encoding': acceptEncoding } }, (response) => {
          const parts: Buffer[] = [];
          response.on('data', (part: Buffer) => parts.push(part));
          response.on('end', () => resolve({ response, bytes: Buffer.concat(parts) }));
        }).on('error', reject);
      });
    const plainCsv = await rawCsv('identity');
    const gzippedCsv = await rawCsv('gzip');
    expect(plainCsv.response.headers['content-encoding']).toBeUndefined();
    expect(gzippedCsv.response.headers['content-encoding']).toBe('gzip');
    for (const { response } of [plainCsv, gzippedCsv]) {
      expect(response.headers.vary).toContain('Accept-Encoding');
      expect(response.headers['content-type']).toContain('text/csv');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="payment-eligibility-all-\d{4}-\d\d-\d\d\.csv"$/);
    }
    expect(gunzipSync(gzippedCsv.bytes)).toEqual(plainCsv.bytes);
    expect(plainCsv.bytes.toString().trim().split('\n')).toHaveLength(walked.length + 1);

    // The DfE export: one request body per eligible milestone, RFC 3339 declaration dates.
    const exported = await http<DeclarationsExport>('GET', '/reports/declarations?window=started', { key: keys.auditor });
    expect(exported.status).toBe(200);
    expect(exported.body.declarations.length).toBeGreaterThan(0);
    for (const body of exported.body.declarations) {
      expect(body.data.type).toBe('participant-declaration');
      expect(body.data.attributes.declaration_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
      expect(Number.isNaN(Date.parse(body.data.attributes.declaration_date))).toBe(false);
    }
    expect(exported.body.declarations.find((body) => body.data.attributes.participant_id === engagedEct)).toEqual({
      data: {
        type: 'participant-declaration',
        attributes: {
          participant_id: engagedEct, declaration_type: 'started', declaration_date: '2026-10-20T12:00:00Z', course_identifier: 'ecf-induction', evidence_held: 'self-study-material-completed',
        },
      },
    });
  });

  it('Steplab access: the form is due within 24 hours; a grant makes it active, not breached; a form still waiting when the clock has moved on is breached and alerted', async () => {
    const { grantedEct, overdueEct } = participants;
    expect((await steplabAccess(grantedEct)).body).toMatchObject({ state: 'not-requested', formSubmittedAt: null, accessDueBy: null, breached: false });
    for (const id of [grantedEct, overdueEct]) await command('POST', `/participants/${id}/steplab-access-form`, keys.system);

    const submitted = await eventually(() => steplabAccess(grantedEct), (response) => response.body.state === 'form-submitted');
    expect(submitted.body.breached).toBe(false);
    expect(Date.parse(submitted.body.accessDueBy ?? '') - Date.parse(submitted.body.formSubmittedAt ?? '')).toBe(24 * 60 * 60 * 1000);

    await command('POST', `/participants/${grantedEct}/steplab-access`, keys.system);
    const granted = await eventually(() => steplabAccess(grantedEct), (response) => response.body.state === 'active');
    expect(granted.body).toMatchObject({ breached: false, formSubmittedAt: submitted.body.formSubmittedAt });
    expect(granted.body.grantedAt !== null && granted.body.grantedAt <= (granted.body.accessDueBy ?? '')).toBe(true);

    const waiting = await eventually(() => steplabAccess(overdueEct), (response) => response.body.state === 'form-submitted');
    expect(waiting.body.breached).toBe(false);
    await eventually(() => summaryOf(overdueEct), (summary) => summary?.steplabStatus === 'form-submitted');
    expect((await alerts('?kind=steplab-access-overdue')).body.items.map((item) => item.participantId)).not.toContain(overdueEct);

    await withClockMovedOn(2, async () => {
      const overdue = await steplabAccess(overdueEct);
      expect(overdue.body).toMatchObject({ state: 'form-submitted', grantedAt: null, breached: true });
      expect(overdue.body.at > (overdue.body.accessDueBy ?? '')).toBe(true);
      expect((await steplabAccess(grantedEct)).body).toMatchObject({ state: 'active', breached: false });
      const overdueAlerts = await alerts('?kind=steplab-access-overdue');
      expect(overdueAlerts.body.asOf).toBe(isoDate(today.plusDays(2)));
      expect(overdueAlerts.body.items.filter((item) => item.participantId === overdueEct)).toEqual([
        expect.objectContaining({ kind: 'steplab-access-overdue', schoolUrn: SCHOOL, raisedOn: londonDayOf(waiting.body.accessDueBy ?? ''), nextStep: expect.stringMatching(/grant/i) }),
      ]);
      expect(overdueAlerts.body.items.map((item) => item.participantId)).not.toContain(grantedEct);
    });
  }, 60_000);

  it('Coaching relationships: an ECT with no mentor is not matched; once matched the forms and access block it; with both forms in and access granted it is visible on Steplab', async () => {
    const { coachedEct, coachingMentor } = participants;
    const pairOf = (response: { body: CoachingRelationships }) => response.body.items.find((item) => item.ectId === coachedEct);

    const unmatched = await eventually(coaching, (response) => pairOf(response) !== undefined);
    expect(unmatched.body).toMatchObject({ schoolUrn: SCHOOL, cohort: COHORT });
    expect(pairOf(unmatched)).toEqual({ ectId: coachedEct, mentorId: null, interimMentor: false, visibleOnSteplab: false, blockers: ['not-matched', 'ect-form-not-submitted'] });

    await command('PUT', `/ects/${coachedEct}/mentor`, keys.tutor, { mentorId: coachingMentor });
    const matched = await eventually(coaching, (response) => pairOf(response)?.mentorId === coachingMentor);
    expect(pairOf(matched)).toMatchObject({ visibleOnSteplab: false, blockers: ['ect-form-not-submitted', 'mentor-form-not-submitted'] });

    for (const id of [coachedEct, coachingMentor]) await command('POST', `/participants/${id}/steplab-access-form`, keys.system);
    const formsIn = await eventually(coaching, (response) => !(pairOf(response)?.blockers ?? []).some((blocker) => blocker.endsWith('form-not-submitted')));
    expect(pairOf(formsIn)).toMatchObject({ visibleOnSteplab: false, blockers: ['ect-access-not-granted', 'mentor-access-not-granted'] });

    await command('POST', `/participants/${coachedEct}/steplab-access`, keys.system);
    const halfway = await eventually(coaching, (response) => !(pairOf(response)?.blockers ?? []).includes('ect-access-not-granted'));
    expect(pairOf(halfway)).toMatchObject({ visibleOnSteplab: false, blockers: ['mentor-access-not-granted'] });

    await command('POST', `/participants/${coachingMentor}/steplab-access`, keys.system);
    const visible = await eventually(coaching, (response) => pairOf(response)?.visibleOnSteplab === true);
    expect(pairOf(visible)).toEqual({ ectId: coachedEct, mentorId: coachingMentor, interimMentor: false, visibleOnSteplab: true, blockers: [] });

    const outsideScope = await http('GET', `/schools/${SCHOOL}/coaching-relationships?cohort=${COHORT}`, { key: keys.otherLead });
    expect(outsideScope.status).toBe(404);
  });

  it('Time-based alerts are computed when asked: a pause expected under 6 weeks raises nothing today and pause-over-6-weeks once the clock has moved on 43 days; an ECT without a mentor is listed, and a DPL filtering by another delivery partner does not see it', async () => {
    const { pausedEct, deferredEct, newEct, midlandsEct } = participants;
    await command('POST', `/ects/${pausedEct}/pause`, keys.tutor, { startDate: isoDate(today), expectedResumeDate: isoDate(today.plusWeeks(6).minusDays(1)), reason: 'Short illness' });
    await command('POST', `/ects/${deferredEct}/deferral`, keys.lead, { deferralDate: isoDate(today), expectedReturnDate: isoDate(today.plusDays(30)), reason: 'long-term-sickness' });
    await eventually(() => summaryOf(pausedEct), (summary) => summary?.status === 'paused');
    await eventually(() => summaryOf(deferredEct), (summary) => summary?.status === 'deferred');

    const todays = await alerts('');
    expect(todays.body.asOf).toBe(isoDate(today));
    const timeBased = (item: Alerts['items'][number]) => item.kind === 'pause-over-6-weeks' || item.kind === 'deferral-past-return-date';
    expect(todays.body.items.filter(timeBased)).toEqual([]);

    const withoutMentor = await alerts('?kind=ect-without-mentor');
    expect(withoutMentor.body.items.every((item) => item.kind === 'ect-without-mentor')).toBe(true);
    expect(withoutMentor.body.items.filter((item) => item.participantId === newEct)).toEqual([
      expect.objectContaining({ schoolUrn: SCHOOL, raisedOn: isoDate(REGISTERED_ON), nextStep: expect.stringMatching(/match/i) }),
    ]);
    expect(withoutMentor.body.items.map((item) => item.participantId)).toContain(midlandsEct);
    const otherPartner = await alerts('?kind=ect-without-mentor&deliveryPartner=dp-midlands');
    expect(otherPartner.body.items.map((item) => item.participantId)).toContain(midlandsEct);
    expect(otherPartner.body.items.filter((item) => item.schoolUrn === SCHOOL)).toEqual([]);
    const ownPartner = await alerts('?kind=ect-without-mentor&deliveryPartner=dp-north');
    expect(ownPartner.body.items.map((item) => item.participantId)).toEqual(expect.arrayContaining([newEct, pausedEct]));
    expect(ownPartner.body.items.map((item) => item.participantId)).not.toContain(midlandsEct);

    await withClockMovedOn(43, async () => {
      const later = await alerts(`?schoolUrn=${SCHOOL}`);
      expect(later.body.asOf).toBe(isoDate(today.plusDays(43)));
      expect(later.body.items.filter((item) => item.kind === 'pause-over-6-weeks')).toEqual([
        expect.objectContaining({ participantId: pausedEct, schoolUrn: SCHOOL, raisedOn: isoDate(today.plusDays(42)), nextStep: expect.stringMatching(/deferral/i) }),
      ]);
      expect(later.body.items.filter((item) => item.kind === 'deferral-past-return-date')).toEqual([
        expect.objectContaining({ participantId: deferredEct, raisedOn: isoDate(today.plusDays(31)) }),
      ]);
      const otherPartnerLater = await alerts('?kind=pause-over-6-weeks&deliveryPartner=dp-midlands');
      expect(otherPartnerLater.body.items).toEqual([]);
    });
  }, 90_000);
});
