import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';

/**
 * Personal data is sealed with a per-participant key kept outside the log; `ecf forget` (UK GDPR
 * erasure) destroys the key: the details read as null everywhere, the history still replays and the
 * log still verifies.
 */
describe('Personal data sealed per participant, and erasure with ecf forget', () => {
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  const NAME = 'Zephyrine';
  const EMAIL = 'zephyrine.quillfeather@example.org';
  let ect: string;

  const logBytes = (): string =>
    ['events.sqlite', 'events.sqlite-wal']
      .map((file) => join(api.dataDir, file))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1'))
      .join('');

  beforeAll(async () => {
    api = await ApiProcess.start();
    http = httpClient(api.baseUrl);
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.system = await api.createKey('system');
    keys.auditor = await api.createKey('auditor');
    await http('POST', '/schools', { key: keys.lead, body: { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } });
    const body = { firstName: NAME, lastName: 'Quillfeather', dateOfBirth: '1993-07-21', trn: '8000001', email: EMAIL, schoolUrn: '100001', cohort: 2026 };
    ect = (await http<{ participantId: string }>('POST', '/ects', { key: keys.lead, body })).body.participantId;
    await http('POST', `/participants/${ect}/validation`, { key: keys.system, body: { outcome: 'validated', reasons: [] } });
    await http('POST', `/ects/${ect}/withdrawal`, { key: keys.lead, body: { withdrawalDate: isoDate(londonToday()), reason: 'left-teaching-profession' } });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('never writes names, date of birth or email into the log in clear', async () => {
    const db = new Database(join(api.dataDir, 'events.sqlite'), { readonly: true });
    const stored = db.prepare(`SELECT data FROM events WHERE type = 'ECTRegistered'`).get() as { data: string };
    db.close();
    expect(JSON.parse(stored.data).personal).toEqual({ sealed: expect.objectContaining({ alg: 'A256GCM', ciphertext: expect.any(String) }) });
    for (const secret of [NAME, 'Quillfeather', EMAIL, '1993-07-21']) expect(logBytes()).not.toContain(secret);
    // …while every reader with the right role sees them.
    expect((await http<{ personal: { firstName: string } }>('GET', `/participants/${ect}`, { key: keys.auditor })).body.personal.firstName).toBe(NAME);
  });

  it('ecf forget erases them everywhere; the history still replays and the log still verifies', async () => {
    const forgotten = await api.cliRun(['forget', '--participant', ect, '--reason', 'Erasure request ER-42', '--json']);
    expect(forgotten.exitCode).toBe(0);
    expect(JSON.parse(forgotten.stdout)).toMatchObject({ participantId: ect, alreadyErased: false });

    const view = (await http<Record<string, unknown>>('GET', `/participants/${ect}`, { key: keys.auditor })).body;
    expect(view).not.toHaveProperty('personal');
    expect(view).toMatchObject({ status: 'withdrawn', trn: '8000001', personalDataErasedOn: isoDate(londonToday()) });

    const history = (await http<{ events: { type: string; data: Record<string, unknown>; reason: string | null; actor: { id: string } }[] }>('GET', `/participants/${ect}/history`, { key: keys.auditor })).body.events;
    expect(history.map((event) => event.type)).toEqual(['ECTRegistered', 'DataValidationPassed', 'ParticipantWithdrawn', 'PersonalDataErased']);
    expect(history[0].data.personal).toBeNull();
    expect(history[3]).toMatchObject({ reason: 'Erasure request ER-42', actor: { id: 'cli:forget' } });

    await eventually(
      () => http<{ items: { participantId: string; firstName: string | null }[] }>('GET', '/participants?schoolUrn=100001', { key: keys.auditor }),
      (response) => response.body.items.some((item) => item.participantId === ect && item.firstName === null),
    );
    const feed = await http('GET', '/events?limit=1000', { key: keys.auditor });
    expect(JSON.stringify(feed.body)).not.toContain(NAME);

    const verify = await api.cliRun(['verify', '--json']);
    expect(verify.exitCode).toBe(0);
  });

  it('forgetting again changes nothing', async () => {
    const again = await api.cliRun(['forget', '--participant', ect, '--reason', 'Erasure request ER-42', '--json']);
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyErased: true });
    const history = (await http<{ events: unknown[] }>('GET', `/participants/${ect}/history`, { key: keys.auditor })).body.events;
    expect(history).toHaveLength(4);
  });

  it('refuses an unknown participant', async () => {
    const unknown = await api.cliRun(['forget', '--participant', '00000000-0000-4000-8000-000000000000', '--reason', 'x']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('No participant');
  });
});
