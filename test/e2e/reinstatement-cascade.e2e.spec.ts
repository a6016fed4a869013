import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';

/**
 * Reinstating an ECT whose withdrawal withdrew their mentor (issue 18, rule 2), on the real API process with the
 * mentor-cascade policy in-process. Seed 004, Withdraw: "If the ECT has been withdrawn, then the mentor also needs
 * to be withdrawn." and "The ECF Lead will need to inform their delivery partner lead (DPL) if they want to reverse
 * a withdrawal."
 */
describe('Reinstating an ECT and the mentor withdrawn with them, over HTTP (seed 004)', () => {
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  const SCHOOL = '100021';
  const COHORT = 2026;
  const today = londonToday();
  let trnCounter = 3_100_000;

  interface Participant {
    status: string;
    revision: number;
    withdrawal: { reason: string; reversalRequested: boolean; cascadedFromEctId: string | null } | null;
  }
  interface DryRun {
    events: { type: string; data: Record<string, unknown> }[];
    cascades: { type: string; data: Record<string, unknown> }[];
  }
  interface Alert {
    kind: string;
    participantId: string | null;
    relatedParticipantId: string | null;
    raisedOn: string;
    nextStep: string;
  }
  interface History {
    events: { type: string; eventId: string; causationId: string; cascadedFromEctId: string | null; actor: { id: string } }[];
  }

  const participant = async (id: string) => (await http<Participant>('GET', `/participants/${id}`, { key: keys.dpl })).body;
  const history = async (id: string) => (await http<History>('GET', `/participants/${id}/history`, { key: keys.dpl })).body.events;
  const mentorAlerts = async () =>
    (await http<{ items: Alert[] }>('GET', `/alerts?schoolUrn=${SCHOOL}&kind=mentor-withdrawn-with-reinstated-ect`, { key: keys.lead })).body.items;

  async function register(type: 'ects' | 'mentors', firstName: string): Promise<string> {
    const body = { firstName, lastName: 'Pair', dateOfBirth: '1993-03-01', trn: String(++trnCounter), email: `${firstName.toLowerCase()}@example.org`, schoolUrn: SCHOOL, cohort: COHORT };
    const registered = await http<{ participantId: string }>('POST', `/${type}`, { key: keys.tutor, body });
    expect(registered.status).toBe(201);
    const id = registered.body.participantId;
    expect((await http('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);
    return id;
  }

  /** An ECT and their mentor, both withdrawn (the mentor by the cascade), with the ECT's reversal requested by the ECF Lead. */
  async function withdrawnPairWithReversalRequested(name: string): Promise<{ ect: string; mentor: string }> {
    const ect = await register('ects', `${name}Ect`);
    const mentor = await register('mentors', `${name}Mentor`);
    expect((await http('PUT', `/ects/${ect}/mentor`, { key: keys.tutor, body: { mentorId: mentor } })).status).toBe(200);
    expect((await http('POST', `/ects/${ect}/withdrawal`, { key: keys.lead, body: { withdrawalDate: isoDate(today), reason: 'moved-school' } })).status).toBe(200);
    const withdrawn = await eventually(() => participant(mentor), (view) => view.status === 'withdrawn');
    expect(withdrawn.withdrawal).toMatchObject({ reason: 'mentor-no-longer-being-mentor', cascadedFromEctId: ect });

    const preview = await http<DryRun>('POST', `/participants/${ect}/withdrawal-reversal-request?dryRun=true`, { key: keys.lead, body: { reason: 'Withdrawn in error' } });
    expect(preview.status).toBe(200);
    expect(preview.body.cascades).toEqual([{ type: 'RequestWithdrawalReversal', data: expect.objectContaining({ participantId: mentor, cascadedFromEctId: ect }) }]);
    expect((await participant(mentor)).withdrawal?.reversalRequested).toBe(false);

    expect((await http('POST', `/participants/${ect}/withdrawal-reversal-request`, { key: keys.lead, body: { reason: 'Withdrawn in error' } })).status).toBe(200);
    await eventually(() => participant(mentor), (view) => view.withdrawal?.reversalRequested === true);
    return { ect, mentor };
  }

  beforeAll(async () => {
    api = await ApiProcess.start();
    http = httpClient(api.baseUrl);
    keys.dpl = await api.createKey('dpl');
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.tutor = await api.createKey('induction-tutor', '--school', SCHOOL);
    keys.system = await api.createKey('system');
    const school = await http('POST', '/schools', { key: keys.lead, body: { urn: SCHOOL, name: 'Brookside Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT } });
    expect(school.status).toBe(201);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('an ECT reinstated alone leaves the mentor withdrawn, and the back office is alerted with the next step until a DPL reinstates the mentor', async () => {
    const { ect, mentor } = await withdrawnPairWithReversalRequested('Alone');
    expect((await http('POST', `/participants/${ect}/reinstatement`, { key: keys.dpl, body: {} })).status).toBe(200);

    const [alert] = await eventually(mentorAlerts, (alerts) => alerts.some((item) => item.participantId === mentor));
    expect(alert).toEqual(expect.objectContaining({ participantId: mentor, relatedParticipantId: ect, raisedOn: isoDate(today) }));
    expect(alert.nextStep).toContain(`Mentor ${mentor} was withdrawn because ECT ${ect} was withdrawn; ${ect} has been reinstated: a DPL can reinstate ${mentor}`);
    expect((await participant(mentor)).status).toBe('withdrawn');

    // The ECF Lead's request for the ECT was recorded for the mentor too, so the DPL's reinstatement needs nothing more.
    expect((await http('POST', `/participants/${mentor}/reinstatement`, { key: keys.dpl, body: {} })).status).toBe(200);
    expect((await participant(mentor)).status).toBe('active');
    await eventually(mentorAlerts, (alerts) => alerts.every((item) => item.participantId !== mentor));
  });

  it('a DPL reinstates the pair in one step with includeCascadedMentor: the dry run lists the mentor, and the mentor’s reinstatement is caused by the ECT’s', async () => {
    const { ect, mentor } = await withdrawnPairWithReversalRequested('Together');

    const preview = await http<DryRun>('POST', `/participants/${ect}/reinstatement?dryRun=true`, { key: keys.dpl, body: { includeCascadedMentor: true } });
    expect(preview.status).toBe(200);
    expect(preview.body.events).toEqual([expect.objectContaining({ type: 'ParticipantReinstated', data: expect.objectContaining({ includeCascadedMentor: true }) })]);
    expect(preview.body.cascades).toEqual([{ type: 'ReinstateParticipant', data: { participantId: mentor, cascadedFromEctId: ect } }]);
    expect((await participant(ect)).status).toBe('withdrawn');

    expect((await http('POST', `/participants/${ect}/reinstatement`, { key: keys.dpl, body: { includeCascadedMentor: true } })).status).toBe(200);
    await eventually(() => participant(mentor), (view) => view.status === 'active');
    const ectReinstated = (await history(ect)).find((event) => event.type === 'ParticipantReinstated');
    const mentorReinstated = (await history(mentor)).find((event) => event.type === 'ParticipantReinstated');
    expect(mentorReinstated).toMatchObject({ causationId: ectReinstated?.eventId, cascadedFromEctId: ect, actor: { id: 'policy:mentor-cascade' } });
    expect((await mentorAlerts()).filter((item) => item.participantId === mentor)).toEqual([]);
  });

  it('includeCascadedMentor is refused on a mentor’s reinstatement and when it is not a boolean, with field errors, writing nothing', async () => {
    const { mentor } = await withdrawnPairWithReversalRequested('Refused');
    const before = (await participant(mentor)).revision;
    const onMentor = await http('POST', `/participants/${mentor}/reinstatement`, { key: keys.dpl, body: { includeCascadedMentor: true } });
    expect(onMentor.status).toBe(400);
    expect(onMentor.headers.get('content-type')).toContain('application/problem+json');
    expect(onMentor.body).toMatchObject({ code: 'INVALID_INPUT', errors: [expect.objectContaining({ field: 'includeCascadedMentor', code: 'NOT_APPLICABLE' })] });
    const notBoolean = await http('POST', `/participants/${mentor}/reinstatement`, { key: keys.dpl, body: { includeCascadedMentor: 'yes' } });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body).toMatchObject({ code: 'INVALID_INPUT', errors: [expect.objectContaining({ field: 'includeCascadedMentor' })] });
    expect((await participant(mentor)).revision).toBe(before);
  });
});
