import { parse } from 'csv-parse/sync';
import { idempotencyKeyOf, ReportEntry } from './import-registrations';
import { EXIT_OK, EXIT_ROWS_REJECTED, exitCodeOf, summaryLine, toCsv } from './import-report';
import { Registration } from './read-registrations';

const entry = (outcome: ReportEntry['outcome'], extra: Partial<ReportEntry> = {}): ReportEntry => ({
  row: 2,
  name: 'Eve Tester',
  type: 'ect',
  outcome,
  participantId: outcome === 'rejected' ? null : '6f1c3b0e-2d8a-4a57-9c1e-3f0f7c2b9a10',
  ...extra,
});

describe('import report', () => {
  it('exits 0 when every row was accepted or already registered, 2 when any row or match was rejected', () => {
    expect(exitCodeOf([entry('registered'), entry('already-registered'), entry('matched'), entry('would-register')])).toBe(EXIT_OK);
    expect(exitCodeOf([entry('registered'), entry('rejected')])).toBe(EXIT_ROWS_REJECTED);
    expect(exitCodeOf([entry('registered'), entry('match-rejected')])).toBe(EXIT_ROWS_REJECTED);
  });

  it('counts outcomes and says when nothing was written', () => {
    expect(summaryLine([entry('registered'), entry('registered'), entry('rejected')], false)).toBe('2 registered, 1 rejected');
    expect(summaryLine([entry('would-register')], true)).toBe('1 would-register (dry run: nothing was written)');
  });

  it('writes CSV with the problem fields, keeping spreadsheet formulas from the input as text', () => {
    const csv = toCsv([
      entry('rejected', {
        name: '=HYPERLINK("http://example.org") Tester',
        code: 'INVALID_INPUT',
        errors: [{ field: 'trn', code: 'MATCHES', message: 'trn must be exactly 7 digits' }],
        detail: 'The request has invalid fields; nothing was written.',
      }),
    ]);
    const [record] = parse(csv, { columns: true }) as Record<string, string>[];
    expect(record).toMatchObject({ row: '2', outcome: 'rejected', code: 'INVALID_INPUT', errors: 'trn: trn must be exactly 7 digits', participant_id: '' });
    expect(record.name).toBe(`'=HYPERLINK("http://example.org") Tester`);
  });
});

describe('idempotencyKeyOf', () => {
  const registration: Registration = {
    type: 'ect',
    firstName: 'Eve',
    lastName: 'Tester',
    dateOfBirth: '1995-03-14',
    trn: '1000001',
    email: 'Eve@Example.org',
    schoolUrn: '100001',
    cohort: 2026,
    mentorTrn: null,
  };

  it('derives from who the row is, not from what else it says', () => {
    expect(idempotencyKeyOf(registration)).toBe('import:ect:1000001:2026');
    expect(idempotencyKeyOf({ ...registration, firstName: 'Evie' })).toBe('import:ect:1000001:2026');
    expect(idempotencyKeyOf({ ...registration, type: 'induction-tutor', trn: null })).toBe('import:induction-tutor:email:eve@example.org:2026');
  });

  it('hashes an identity the Idempotency-Key header cannot carry', () => {
    const key = idempotencyKeyOf({ ...registration, trn: null, email: 'zoë@example.org' });
    expect(key).toMatch(/^import:ect:sha256-[0-9a-f]{64}:2026$/);
  });
});
