import { parse } from 'csv-parse/sync';
import type { PaymentReportRow } from '@ecf/projections';
import { paymentReportCsv } from './reports.controller';

async function* chunksOf(...chunks: PaymentReportRow[][]): AsyncGenerator<PaymentReportRow[]> {
  yield* chunks;
}

async function textOf(pieces: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
}

describe('the payment report as CSV', () => {
  // No text a caller types reaches these columns today (ids, URNs, configured partners, fixed codes);
  // should one ever, it is a formula that must stay text in a spreadsheet.
  const row = {
    participantId: '6f1c3b0e-2d8a-4a57-9c1e-3f0f7c2b9a10',
    participantType: 'ect',
    schoolUrn: '@SUM(A1:A9)',
    cohort: 2026,
    deliveryPartnerId: '=HYPERLINK("http://evil","click")',
    declarationType: 'started',
    windowStart: '2026-09-01',
    windowEnd: '2026-11-30',
    engagementCountsUntil: '2026-11-30',
    paymentDate: '2026-12-31',
    eligible: true,
    reason: 'engaged',
    declaration: { participantId: '6f1c3b0e-2d8a-4a57-9c1e-3f0f7c2b9a10', declarationType: 'started', declarationDate: '2026-10-14', courseIdentifier: '-ecf-induction', evidenceHeld: '+training-event-attended' },
  } as unknown as PaymentReportRow;

  it('writes every cell that could start a formula as text', async () => {
    const [record] = parse(await textOf(paymentReportCsv(chunksOf([row]), '2026-12-01')), { columns: true }) as Record<string, string>[];
    expect(record).toMatchObject({
      schoolUrn: "'@SUM(A1:A9)",
      deliveryPartnerId: `'=HYPERLINK("http://evil","click")`,
      courseIdentifier: "'-ecf-induction",
      evidenceHeld: "'+training-event-attended",
      cohort: '2026',
      eligible: 'true',
      declarationDate: '2026-10-14',
    });
  });
});
