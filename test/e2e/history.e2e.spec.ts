import { parse } from 'csv-parse/sync';
import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { httpClient } from '../support/http-client';

/**
 * The audit trail and the two time axes on the real API process. The participant is registered on an
 * API whose decision clock is 60 days behind (a rehearsal setting), then withdrawn, back-dated by 30
 * days, on a normal one: `asOf` and `knownAt` must then give different, correct answers.
 */
describe('Participant history and time travel over HTTP', () => {
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  const today = londonToday();
  const registeredOn = isoDate(today.minusDays(60));
  const withdrawnOn = isoDate(today.minusDays(30));
  let ect: string;
  let mentor: string;
  let knownBeforeWithdrawal: string;

  interface View {
    status: string;
    revision: number;
    withdrawal: { withdrawalDate: string } | null;
    asOf?: string;
    knownAt?: string;
    code?: string;
  }
  interface Entry {
    revision: number;
    type: string;
    effectiveDate: string | null;
    recordedAt: string;
    actor: { id: string; role: string };
    reason: string | null;
    causationId: string;
    correlationId: string;
    eventId: string;
    cascadedFromEctId: string | null;
    data: Record<string, unknown>;
  }

  beforeAll(async () => {
    api = await ApiProcess.start({ DECISION_CLOCK_OFFSET_DAYS: '-60' });
    http = httpClient(api.baseUrl);
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.system = await api.createKey('system');
    keys.auditor = await api.createKey('auditor');
    keys.reporting = await api.createKey('reporting');
    const cohort = today.minusDays(60).year();
    expect((await http('POST', '/schools', { key: keys.lead, body: { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort } })).status).toBe(201);
    const register = async (path: string, trn: string) => {
      const body = { firstName: 'Hana', lastName: 'Story', dateOfBirth: '1990-01-01', trn, email: `${trn}@example.org`, schoolUrn: '100001', cohort };
      const registered = await http<{ participantId: string }>('POST', path, { key: keys.lead, body });
      expect(registered.status).toBe(201);
      const id = registered.body.participantId;
      expect((await http('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);
      return id;
    };
    ect = await register('/ects', '6000001');
    mentor = await register('/mentors', '6000002');
    expect((await http('PUT', `/ects/${ect}/mentor`, { key: keys.lead, body: { mentorId: mentor } })).status).toBe(200);
    knownBeforeWithdrawal = new Date().toISOString();

    api = await api.restart();
    http = httpClient(api.baseUrl);
    const withdrawn = await http('POST', `/ects/${ect}/withdrawal`, { key: keys.lead, body: { withdrawalDate: withdrawnOn, reason: 'left-teaching-profession', retainMentor: false } });
    expect(withdrawn.status).toBe(200);
  });

  afterAll(async () => {
    await api?.stop();
  });

  const view = async (query: string) => http<View>('GET', `/participants/${ect}${query}`, { key: keys.auditor });

  // DfE's validation has no business date of its own: it counts from the day it was recorded (today),
  // so on the effective axis the ECT was registered 60 days ago and awaited validation until today.
  it('asOf (effective axis): before the back-dated withdrawal date the ECT was not withdrawn; after it, withdrawn', async () => {
    expect((await view(`?asOf=${isoDate(today.minusDays(45))}`)).body).toMatchObject({ status: 'awaiting-validation', withdrawal: null, asOf: isoDate(today.minusDays(45)) });
    expect((await view(`?asOf=${isoDate(today.minusDays(10))}`)).body).toMatchObject({ status: 'withdrawn', withdrawal: { withdrawalDate: withdrawnOn } });
  });

  it('knownAt (recorded axis): before the withdrawal was recorded the system believed the ECT not withdrawn, even for a day after its date', async () => {
    const believed = await view(`?asOf=${isoDate(today.minusDays(10))}&knownAt=${encodeURIComponent(knownBeforeWithdrawal)}`);
    expect(believed.status).toBe(200);
    expect(believed.body).toMatchObject({ status: 'awaiting-validation', withdrawal: null, knownAt: knownBeforeWithdrawal });
    expect((await view(`?knownAt=${encodeURIComponent(knownBeforeWithdrawal)}`)).body).toMatchObject({ status: 'active', withdrawal: null });
    expect(believed.headers.get('etag')).toBeNull();
    const now = await view('');
    expect(now.body.status).toBe('withdrawn');
    expect(now.headers.get('etag')).toBe(`"${now.body.revision}"`);
  });

  it('answers 404 for a day before registration, and 400 for a date that does not exist', async () => {
    const before = await view(`?asOf=${isoDate(today.minusDays(61))}`);
    expect(before.status).toBe(404);
    expect(before.body.code).toBe('PARTICIPANT_NOT_FOUND');
    const invalid = await view('?asOf=2026-02-30');
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'INVALID_INPUT', errors: [expect.objectContaining({ field: 'asOf' })] });
  });

  it('history: every event in order with effective date, recordedAt, actor, reason, command, correlation and causation', async () => {
    const history = await http<{ events: Entry[] }>('GET', `/participants/${ect}/history`, { key: keys.auditor });
    expect(history.status).toBe(200);
    const { events } = history.body;
    expect(events.map((event) => event.type)).toEqual(['ECTRegistered', 'DataValidationPassed', 'MentorMatched', 'ParticipantWithdrawn']);
    expect(events.map((event) => event.revision)).toEqual([0, 1, 2, 3]);
    expect(events[0]).toMatchObject({ effectiveDate: registeredOn, actor: { role: 'ecf-lead' }, data: { personal: { firstName: 'Hana' } } });
    expect(events[3]).toMatchObject({ effectiveDate: withdrawnOn, reason: 'left-teaching-profession', actor: { role: 'ecf-lead' } });
    expect(events[3].recordedAt > knownBeforeWithdrawal).toBe(true);
  });

  it('history: the mentor’s cascaded withdrawal links to the ECT’s withdrawal that caused it', async () => {
    let mentorEvents: Entry[] = [];
    for (let attempt = 0; attempt < 100 && !mentorEvents.some((event) => event.type === 'ParticipantWithdrawn'); attempt++) {
      mentorEvents = (await http<{ events: Entry[] }>('GET', `/participants/${mentor}/history`, { key: keys.auditor })).body.events;
      await new Promise((resolveTick) => setTimeout(resolveTick, 50));
    }
    const ectWithdrawal = (await http<{ events: Entry[] }>('GET', `/participants/${ect}/history`, { key: keys.auditor })).body.events[3];
    const cascaded = mentorEvents.find((event) => event.type === 'ParticipantWithdrawn');
    expect(cascaded).toMatchObject({
      causationId: ectWithdrawal.eventId,
      correlationId: ectWithdrawal.correlationId,
      cascadedFromEctId: ect,
      effectiveDate: withdrawnOn,
      actor: { id: 'policy:mentor-cascade', role: 'system' },
    });
  });

  it('history as a CSV timeline, and without personal data for the reporting role', async () => {
    const response = await fetch(`${api.baseUrl}/participants/${ect}/history?format=csv`, { headers: { authorization: `Bearer ${keys.auditor}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toBe('revision,recordedAt,effectiveDate,type,actorId,actorRole,reason,cascadedFromEctId,causationId,correlationId,details');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toContain('ParticipantWithdrawn');

    const reporting = await http<{ events: Entry[] }>('GET', `/participants/${ect}/history`, { key: keys.reporting });
    expect(reporting.status).toBe(200);
    expect(JSON.stringify(reporting.body)).not.toContain('Hana');
    expect(reporting.body.events[0].data).not.toHaveProperty('personal');
  });

  it('history as CSV: a reason typed as a spreadsheet formula comes out as text (OWASP CSV injection)', async () => {
    const body = { firstName: 'Ivy', lastName: 'Jection', dateOfBirth: '1991-01-01', trn: '6000003', email: '6000003@example.org', schoolUrn: '100001', cohort: today.minusDays(60).year() };
    const id = (await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body })).body.participantId;
    expect((await http('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);
    const formula = '=HYPERLINK("http://evil","click")';
    const paused = await http('POST', `/ects/${id}/pause`, { key: keys.lead, body: { startDate: isoDate(today), expectedResumeDate: isoDate(today.plusWeeks(2)), reason: formula } });
    expect(paused.status).toBe(200);

    const response = await fetch(`${api.baseUrl}/participants/${id}/history?format=csv`, { headers: { authorization: `Bearer ${keys.auditor}` } });
    expect(response.status).toBe(200);
    const csv = await response.text();
    const [header, ...rows] = parse(csv) as string[][];
    const pause = rows.find((row) => row[header.indexOf('type')] === 'ECTPaused');
    expect(pause?.[header.indexOf('reason')]).toBe(`'${formula}`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""click"")"`);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('history on the recorded axis leaves out what was not yet known', async () => {
    const then = await http<{ events: Entry[] }>('GET', `/participants/${ect}/history?knownAt=${encodeURIComponent(knownBeforeWithdrawal)}`, { key: keys.auditor });
    expect(then.body.events.map((event) => event.type)).toEqual(['ECTRegistered', 'DataValidationPassed', 'MentorMatched']);
  });

  it('ecf replay prints the state after each event, on either time axis', async () => {
    const all = await api.cliRun(['replay', '--participant', ect, '--json']);
    expect(all.exitCode).toBe(0);
    const steps = (JSON.parse(all.stdout) as { steps: { type: string; state: { status: string } }[] }).steps;
    expect(steps.map((step) => [step.type, step.state.status])).toEqual([
      ['ECTRegistered', 'awaiting-validation'],
      ['DataValidationPassed', 'active'],
      ['MentorMatched', 'active'],
      ['ParticipantWithdrawn', 'withdrawn'],
    ]);
    const known = await api.cliRun(['replay', '--participant', ect, '--known-at', knownBeforeWithdrawal, '--json']);
    expect((JSON.parse(known.stdout) as { steps: unknown[] }).steps).toHaveLength(3);
    const table = await api.cliRun(['replay', '--participant', ect, '--as-of', withdrawnOn]);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toContain('ParticipantWithdrawn');
    expect(table.stdout).toContain('left-teaching-profession');
    const bad = await api.cliRun(['replay', '--participant', ect, '--as-of', '2026-02-30']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain('real date');
  });
});
