import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ApiProcess } from '../support/api-process';
import { eventually, httpClient } from '../support/http-client';

interface Entry {
  row: number;
  name: string;
  type: string;
  outcome: string;
  participantId: string | null;
  mentorId?: string;
  code?: string;
  errors?: { field: string; code: string; message: string }[];
  detail?: string;
}
interface Report {
  dryRun: boolean;
  summary: Record<string, number>;
  exitCode: number;
  rows: Entry[];
}

/** `ecf import` against the real API process on a temporary SQLite store: registrations and matches over HTTP. */
describe('ecf import: a registrations CSV through the API', () => {
  const SCHOOL = '100001';
  const COHORT = 2026;
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  let dir: string;
  let tutorKey: string;
  let otherTutorKey: string;

  const headPosition = async () => ((await http('GET', '/health')).body as { eventStore: { headPosition: number } }).eventStore.headPosition;
  const writeCsv = (name: string, lines: string[]) => {
    const file = join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  const runImport = async (file: string, extra: string[] = [], key = tutorKey) => {
    const result = await api.cliRun(['import', file, '--api', api.baseUrl, '--json', ...extra], { ECF_API_KEY: key });
    return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as Report) : undefined };
  };
  const of = (report: Report | undefined, outcome: string) => (report?.rows ?? []).filter((entry) => entry.outcome === outcome);

  // Mixed header styles, and the mentors listed after the ECTs they mentor: pass 2 pairs them regardless.
  const schoolFile = [
    'First_Name,lastName,date_of_birth,TRN,email,schoolUrn,type,cohort,mentor_trn',
    `Eve,Tester,1995-03-14,1000001,eve@example.org,${SCHOOL},ect,${COHORT},2000001`,
    `Ezra,Tester,1996-07-02,1000002,ezra@example.org,${SCHOOL},ect,${COHORT},2000002`,
    `Maya,Tester,1985-09-30,2000001,maya@example.org,${SCHOOL},mentor,${COHORT},`,
    `Milo,Tester,1984-01-22,2000002,milo@example.org,${SCHOOL},mentor,${COHORT},`,
    `Bad,Trn,1997-11-05,100003,bad@example.org,${SCHOOL},ect,${COHORT},`,
  ];

  beforeAll(async () => {
    api = await ApiProcess.start();
    http = httpClient(api.baseUrl);
    dir = mkdtempSync(join(tmpdir(), 'ecf-import-'));
    const dpl = await api.createKey('dpl');
    tutorKey = await api.createKey('induction-tutor', '--school', SCHOOL);
    otherTutorKey = await api.createKey('induction-tutor', '--school', SCHOOL);
    const school = await http('POST', '/schools', {
      key: dpl,
      body: { urn: SCHOOL, name: 'Oakfield Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT },
    });
    expect(school.status).toBe(201);
  });

  afterAll(async () => {
    await api?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file missing required columns before sending anything (exit 1)', async () => {
    const before = await headPosition();
    const file = writeCsv('missing.csv', ['first_name,last_name,email,type', `Eve,Tester,eve@example.org,ect`]);
    const result = await runImport(file);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('missing required columns: date_of_birth, trn, school_urn, cohort');
    expect(await headPosition()).toBe(before);
  });

  it('stops with exit 1 on a refused key or an unreachable API', async () => {
    const before = await headPosition();
    const file = writeCsv('school.csv', schoolFile);
    const badKey = await runImport(file, [], 'ecf_0000000000000000_notarealsecretnotarealsecretnotarealsecret');
    expect(badKey.exitCode).toBe(1);
    expect(badKey.stderr).toContain('401');
    const unreachable = await api.cliRun(['import', file, '--api', 'http://127.0.0.1:9', '--key', tutorKey]);
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr).toContain('did not answer');
    expect(await headPosition()).toBe(before);
  });

  it('registers the school’s ECTs and mentors, rejects the bad row and matches the pairs (exit 2)', async () => {
    const file = writeCsv('school.csv', schoolFile);
    const reportFile = join(dir, 'report.csv');
    const { exitCode, report, stderr } = await runImport(file, ['--report', reportFile]);
    expect(stderr).toBe('');
    expect(exitCode).toBe(2);
    expect(report?.summary).toEqual({ registered: 4, rejected: 1, matched: 2 });

    const rejected = of(report, 'rejected');
    expect(rejected).toEqual([
      expect.objectContaining({ row: 6, name: 'Bad Trn', type: 'ect', code: 'INVALID_INPUT', participantId: null, errors: [expect.objectContaining({ field: 'trn' })] }),
    ]);
    const idOf = (name: string) => of(report, 'registered').find((entry) => entry.name === name)?.participantId;
    const matched = of(report, 'matched').map((entry) => [entry.name, entry.participantId, entry.mentorId]);
    expect(matched).toEqual([
      ['Eve Tester', idOf('Eve Tester'), idOf('Maya Tester')],
      ['Ezra Tester', idOf('Ezra Tester'), idOf('Milo Tester')],
    ]);

    const eve = await http('GET', `/participants/${String(idOf('Eve Tester'))}`, { key: tutorKey });
    expect(eve.body).toMatchObject({ type: 'ect', trn: '1000001', mentor: { id: idOf('Maya Tester') } });

    const csv = parse(readFileSync(reportFile, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(7);
    expect(csv.find((record) => record.outcome === 'rejected')).toMatchObject({ row: '6', code: 'INVALID_INPUT', errors: expect.stringContaining('trn') });
  });

  it('finds a participant by TRN in the participant list', async () => {
    // The list reads the participant-summary projection, which may still be catching up.
    const { body } = await eventually(
      () => http<{ items: { trn: string; type: string }[] }>('GET', '/participants?trn=2000001', { key: tutorKey }),
      (response) => response.body.items.length > 0,
    );
    expect(body.items).toEqual([expect.objectContaining({ trn: '2000001', type: 'mentor' })]);
    expect((await http('GET', '/participants?trn=200000', { key: tutorKey })).status).toBe(400);
  });

  it('writes nothing when the same file is imported again, with the same key or another', async () => {
    const file = writeCsv('school.csv', schoolFile);
    const before = await headPosition();
    const first = await runImport(file);
    expect(first.exitCode).toBe(2);
    expect(first.report?.summary).toEqual({ 'already-registered': 4, rejected: 1, matched: 2 });
    expect(await headPosition()).toBe(before);

    // Another key's Idempotency-Keys are its own: the API answers TRN_ALREADY_REGISTERED, reported alike.
    const second = await runImport(file, [], otherTutorKey);
    expect(second.report?.summary).toEqual({ 'already-registered': 4, rejected: 1, matched: 2 });
    const ids = (report?: Report) => of(report, 'already-registered').map((entry) => entry.participantId);
    expect(ids(second.report)).toEqual(ids(first.report));
    expect(await headPosition()).toBe(before);
  });

  it('previews a new file with --dry-run and writes nothing (exit 0)', async () => {
    const file = writeCsv('new.csv', [
      'first_name,last_name,date_of_birth,trn,email,school_urn,type,cohort,mentor_trn',
      `Nia,Tester,1996-02-11,1000011,nia@example.org,${SCHOOL},ect,${COHORT},2000011`,
      `Noah,Tester,1983-12-01,2000011,noah@example.org,${SCHOOL},mentor,${COHORT},`,
      `Tamsin,Tester,1980-05-01,,tamsin@example.org,${SCHOOL},induction-tutor,${COHORT},`,
      `Nell,Tester,1997-08-19,1000012,nell@example.org,${SCHOOL},ect,${COHORT},2000001`,
    ]);
    const before = await headPosition();
    const { exitCode, report } = await runImport(file, ['--dry-run']);
    expect(exitCode).toBe(0);
    expect(report?.dryRun).toBe(true);
    expect(report?.summary).toEqual({ 'would-register': 4, 'would-match': 2 });
    expect(of(report, 'would-match').find((entry) => entry.name === 'Nell Tester')?.mentorId).toEqual(expect.any(String));
    expect(await headPosition()).toBe(before);
    const { body } = await http<{ items: unknown[] }>('GET', '/participants?trn=1000011', { key: tutorKey });
    expect(body.items).toEqual([]);
  });
});
