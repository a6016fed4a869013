import { parse } from 'csv-parse/sync';
import type { PaymentReportValues } from '@ecf/projections';
import { paymentReportCsv } from './payment-report-csv';

async function* chunksOf(...chunks: PaymentReportValues[][]): AsyncGenerator<PaymentReportValues[]> {
  yield* chunks;
}

async function textOf(pieces: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
}

const PARTICIPANT = '6f1c3b0e-2d8a-4a57-9c1e-3f0f7c2b9a10';
const valuesOf = (row: { schoolUrn: string; deliveryPartnerId: string; courseIdentifier: string; evidenceHeld: string; firstName: string | null; lastName: string | null }) =>
  [
    PARTICIPANT, 0, 'ect', row.schoolUrn, 2026, row.deliveryPartnerId, 'started', '2026-09-01', '2026-11-30', '2026-11-30', '2026-12-31',
    1, 'engaged', '2026-10-14', row.courseIdentifier, row.evidenceHeld, row.firstName, row.lastName,
  ] as unknown as PaymentReportValues;

describe('the payment report as CSV', () => {
  // No text a caller types reaches these columns today (ids, URNs, configured partners, fixed codes);
  // should one ever, it is a formula that must stay text in a spreadsheet.
  const row = valuesOf({
    schoolUrn: '@SUM(A1:A9)',
    deliveryPartnerId: '=HYPERLINK("http://evil","click")',
    courseIdentifier: '-ecf-induction',
    evidenceHeld: '+training-event-attended',
    firstName: null,
    lastName: null,
  });

  it('writes every cell that could start a formula as text', async () => {
    const [record] = parse(await textOf(paymentReportCsv(chunksOf([row]), '2026-12-01', false)), { columns: true }) as Record<string, string>[];
    expect(record).toMatchObject({
      schoolUrn: "'@SUM(A1:A9)",
      deliveryPartnerId: `'=HYPERLINK("http://evil","click")`,
      courseIdentifier: "'-ecf-induction",
      evidenceHeld: "'+training-event-attended",
      cohort: '2026',
      eligible: 'true',
      state: 'eligible',
      declarationDate: '2026-10-14',
    });
  });

  const named = valuesOf({ schoolUrn: '100001', deliveryPartnerId: 'dp-north', courseIdentifier: 'ecf-induction', evidenceHeld: 'training-event-attended', firstName: 'Amira', lastName: 'Khan' });
  const columnsOf = async (showPersonal: boolean) => {
    const [header, ...records] = parse(await textOf(paymentReportCsv(chunksOf([named]), '2026-12-01', showPersonal))) as string[][];
    return { header, record: records[0] };
  };

  it('adds the names as the last two columns for roles that see personal data, leaving every earlier column where it was', async () => {
    const withNames = await columnsOf(true);
    const without = await columnsOf(false);
    expect(withNames.header).toEqual([...without.header, 'firstName', 'lastName']);
    expect(withNames.record.slice(-2)).toEqual(['Amira', 'Khan']);
  });

  it('leaves the names out for roles that may not see personal data', async () => {
    const { header, record } = await columnsOf(false);
    expect(header).not.toContain('firstName');
    expect(record).not.toContain('Amira');
  });
});
