import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';
import { ProjectorProcess } from '../support/projector-process';
import { STORE_KINDS, StoreTarget } from '../support/store-target';

/**
 * The mentor cascade is a durable policy: killed (SIGKILL, a real child process) between reading the
 * ECT's deferral and issuing the mentor's, or just after issuing it but before its checkpoint moved,
 * the restarted projector finishes the job with exactly one cascaded deferral. On each store the log
 * and the policy's facts can live in.
 */
const FAULT_POINTS = ['policy-before-command', 'policy-after-command'];
const CASES = STORE_KINDS.flatMap((kind) => FAULT_POINTS.map((faultPoint) => [kind, faultPoint] as const));

describe.each(CASES)('Policy worker killed (%s) at %s', (kind, faultPoint) => {
  let target: StoreTarget;
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const projectors: ProjectorProcess[] = [];
  const keys: Record<string, string> = {};
  const SCHOOL = '100001';
  const today = isoDate(londonToday());

  beforeAll(async () => {
    target = await StoreTarget.create(kind);
    api = await ApiProcess.start({ ...target.env, RUN_PROJECTIONS: 'false' }, target.dataDir);
    http = httpClient(api.baseUrl);
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.system = await api.createKey('system');
  });

  afterAll(async () => {
    for (const projector of projectors) await projector.stop();
    await api?.stop();
    await target?.dispose();
  });

  const policyPosition = async (): Promise<number> => {
    const [row] = await target.readModels<{ position: number }>(`SELECT position FROM consumer_checkpoints WHERE name = 'policy:mentor-cascade'`);
    return row?.position ?? 0;
  };

  async function registerValidated(path: string, firstName: string, trn: string): Promise<string> {
    const body = { firstName, lastName: 'Crash', dateOfBirth: '1990-01-01', trn, email: `${firstName}@example.org`, schoolUrn: SCHOOL, cohort: 2026 };
    const id = (await http<{ participantId: string }>('POST', path, { key: keys.lead, body })).body.participantId;
    expect((await http('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);
    return id;
  }

  it('restarts and leaves exactly one cascaded deferral on the mentor’s stream', async () => {
    expect(
      (await http('POST', '/schools', { key: keys.lead, body: { urn: SCHOOL, name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } })).status,
    ).toBe(201);
    const ect = await registerValidated('/ects', 'ect', '4000001');
    const mentor = await registerValidated('/mentors', 'mentor', '4000002');
    expect((await http('PUT', `/ects/${ect}/mentor`, { key: keys.lead, body: { mentorId: mentor } })).status).toBe(200);
    const deferral = await http<{ position: number }>('POST', `/ects/${ect}/deferral`, {
      key: keys.lead,
      body: { deferralDate: today, expectedReturnDate: isoDate(londonToday().plusMonths(3)), reason: 'bereavement' },
    });
    expect(deferral.status).toBe(200);

    const doomed = ProjectorProcess.start(target.dataDir, { ...target.env, ECF_FAULT_INJECTION: faultPoint });
    projectors.push(doomed);
    expect(await doomed.exit()).toEqual({ code: null, signal: 'SIGKILL' });
    // The crash happened inside the window: the policy's checkpoint has not passed the ECT's deferral.
    expect(await policyPosition()).toBeLessThan(deferral.body.position);

    const restarted = ProjectorProcess.start(target.dataDir, target.env);
    projectors.push(restarted);
    await eventually(policyPosition, (position) => position >= deferral.body.position, 20_000);
    await eventually(async () => (await policyPosition()) >= (await target.head()), Boolean, 20_000);

    // The domain would also refuse a second deferral, so prove the retry was recognised by its command id, not refused.
    // Its log reaches us through a pipe, possibly after the checkpoint moved: wait for the line.
    const logs = await eventually(async () => restarted.logs(), (output) => /policy command (issued|rejected)/.test(output));
    expect(logs).not.toContain('policy command rejected');
    expect(logs).toMatch(faultPoint === 'policy-after-command' ? /"replayed":true/ : /"replayed":false/);

    const cascaded = await target.events<{ metadata: string }>(`SELECT metadata FROM events WHERE stream_id = ? AND type = 'ParticipantDeferred'`, `participant-${mentor}`);
    expect(cascaded).toHaveLength(1);
    const [ectDeferral] = await target.events<{ event_id: string }>(`SELECT event_id FROM events WHERE stream_id = ? AND type = 'ParticipantDeferred'`, `participant-${ect}`);
    expect(JSON.parse(cascaded[0].metadata)).toMatchObject({ causationId: ectDeferral.event_id, actor: { id: 'policy:mentor-cascade' } });
    expect(((await http<{ status: string }>('GET', `/participants/${mentor}`, { key: keys.lead })).body).status).toBe('deferred');
  });
});
