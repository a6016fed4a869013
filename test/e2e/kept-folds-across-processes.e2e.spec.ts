import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { httpClient } from '../support/http-client';

/**
 * Each API process keeps the participants and schools it has folded and reads only the tail past them
 * (ADR 0016). Two API processes on one data directory: what one writes, the other's very next request
 * sees — a participant's new state, a move out of the caller's scope — and a key revoked from the CLI is
 * refused on the next request.
 */
describe('Folds kept per process never answer from stale data (two API processes, one log)', () => {
  let first: ApiProcess;
  let second: ApiProcess;
  let onFirst: ReturnType<typeof httpClient>;
  let onSecond: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  const COHORT = 2026;
  const today = isoDate(londonToday());

  beforeAll(async () => {
    first = await ApiProcess.start();
    second = await ApiProcess.start({ RUN_PROJECTIONS: 'false' }, first.dataDir);
    onFirst = httpClient(first.baseUrl);
    onSecond = httpClient(second.baseUrl);
    keys.lead = await first.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.dpl = await first.createKey('dpl');
    keys.system = await first.createKey('system');
    await onFirst('POST', '/schools', { key: keys.lead, body: { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT } });
  }, 60_000);

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  const register = async (trn: string): Promise<string> => {
    const body = { firstName: 'Kept', lastName: 'Fold', dateOfBirth: '1994-06-01', trn, email: `${trn}@example.org`, schoolUrn: '100001', cohort: COHORT };
    const registered = await onFirst<{ participantId: string }>('POST', '/ects', { key: keys.lead, body });
    expect(registered.status).toBe(201);
    return registered.body.participantId;
  };

  it('a command on one process is in the other’s next read of the participant (state and ETag)', async () => {
    const id = await register('8400001');
    const before = await onSecond<{ validation: { outcome: string }; revision: number }>('GET', `/participants/${id}`, { key: keys.lead });
    expect(before.body.validation.outcome).toBe('awaiting');

    expect((await onFirst('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);
    const after = await onSecond<{ validation: { outcome: string }; revision: number }>('GET', `/participants/${id}`, { key: keys.lead });
    expect(after.body.validation.outcome).toBe('validated');
    expect(after.body.revision).toBe(before.body.revision + 1);
    expect(after.headers.get('etag')).toBe(`"${after.body.revision}"`);
  });

  it('a move out of the caller’s scope on one process makes the other answer 404 at once, to reads and commands alike', async () => {
    const id = await register('8400002');
    // The second process keeps the participant's and the school's folds, and decides a command on them.
    expect((await onSecond('GET', `/participants/${id}`, { key: keys.lead })).status).toBe(200);
    expect((await onSecond('POST', `/participants/${id}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } })).status).toBe(200);

    const moved = await onFirst('POST', `/participants/${id}/school-change`, { key: keys.dpl, body: { newSchoolUrn: '399999', effectiveDate: today, newSchoolRegion: 'south-west' } });
    expect(moved.status).toBe(200);

    expect((await onSecond('GET', `/participants/${id}`, { key: keys.lead })).status).toBe(404);
    const moveBack = await onSecond('POST', `/participants/${id}/school-change`, { key: keys.lead, body: { newSchoolUrn: '100001', effectiveDate: today } });
    expect(moveBack.status).toBe(404);
    expect(moveBack.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a key revoked with the CLI is refused by both processes on the next request', async () => {
    const token = await first.createKey('auditor');
    const keyId = ((await onSecond<{ keyId: string }>('GET', '/me', { key: token })).body).keyId;
    expect((await onFirst('GET', '/me', { key: token })).status).toBe(200);
    await first.cli('keys', 'revoke', keyId);
    expect((await onFirst('GET', '/me', { key: token })).status).toBe(401);
    expect((await onSecond('GET', '/me', { key: token })).status).toBe(401);
  });
});
