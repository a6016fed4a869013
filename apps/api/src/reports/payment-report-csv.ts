import { paymentStateOn } from '@ecf/domain';
import { isWholeDeclaration, PaymentReportValues } from '@ecf/projections';
import { csvCell, csvHeader, plainCsvLine } from '@ecf/runtime';

const COLUMNS = [
  'participantId', 'participantType', 'schoolUrn', 'cohort', 'deliveryPartnerId', 'declarationType', 'windowStart', 'windowEnd', 'paymentDate',
  'eligible', 'reason', 'state', 'declarationDate', 'courseIdentifier', 'evidenceHeld',
] as const;
// Appended, never inserted: a job reading the columns by position keeps working.
const COLUMNS_WITH_NAMES = [...COLUMNS, 'firstName', 'lastName'] as const;

export type PaymentReportCsvColumn = (typeof COLUMNS_WITH_NAMES)[number];

/** The report's CSV columns in order; the names last, for roles that see personal data. */
export const paymentReportCsvColumns = (showPersonal: boolean): readonly PaymentReportCsvColumn[] => (showPersonal ? COLUMNS_WITH_NAMES : COLUMNS);

// A line whose cells need neither quotes nor a formula guard, tested once (most lines: ids, codes, dates).
const PLAIN_LINE = { named: plainCsvLine(COLUMNS_WITH_NAMES.length), unnamed: plainCsvLine(COLUMNS.length) };

/**
 * One row as its CSV line, in the order of `paymentReportCsvColumns`, with the values a page of the report
 * shows (a declaration's cells empty unless the row holds a whole one, the state read against today) and
 * every cell as `csvCell` writes it, as every export's cells are: the cells joined as they are when one test
 * of the line says `csvCell` would leave each as it is, otherwise each through `csvCell`.
 */
function csvLine(row: PaymentReportValues, today: string, showPersonal: boolean): string {
  const [
    participantId, , participantType, schoolUrn, cohort, deliveryPartnerId, declarationType, windowStart, windowEnd, engagementCountsUntil, paymentDate,
    stored, reason, declarationDate, courseIdentifier, evidenceHeld, firstName, lastName,
  ] = row;
  const eligible = Boolean(stored);
  const state = paymentStateOn({ eligible, reason, windowStart, engagementCountsUntil }, today);
  const whole = isWholeDeclaration(declarationDate, courseIdentifier, evidenceHeld);
  const plain =
    `${participantId ?? ''},${participantType ?? ''},${schoolUrn ?? ''},${cohort ?? ''},${deliveryPartnerId ?? ''},${declarationType ?? ''},`
    + `${windowStart ?? ''},${windowEnd ?? ''},${paymentDate ?? ''},${eligible},${reason ?? ''},${state},`
    + (whole ? `${declarationDate},${courseIdentifier},${evidenceHeld}` : ',,')
    + (showPersonal ? `,${firstName ?? ''},${lastName ?? ''}` : '');
  if ((showPersonal ? PLAIN_LINE.named : PLAIN_LINE.unnamed).test(plain)) return `${plain}\n`;
  const declaration = whole ? `${csvCell(declarationDate)},${csvCell(courseIdentifier)},${csvCell(evidenceHeld)}` : ',,';
  const line =
    `${csvCell(participantId)},${csvCell(participantType)},${csvCell(schoolUrn)},${csvCell(cohort)},${csvCell(deliveryPartnerId)},${csvCell(declarationType)},`
    + `${csvCell(windowStart)},${csvCell(windowEnd)},${csvCell(paymentDate)},${csvCell(eligible)},${csvCell(reason)},${csvCell(state)},${declaration}`;
  return showPersonal ? `${line},${csvCell(firstName)},${csvCell(lastName)}\n` : `${line}\n`;
}

/**
 * The whole report as CSV text, one piece per chunk of rows read: the header, then each chunk's lines,
 * written straight from the rows' values.
 */
export async function* paymentReportCsv(chunks: AsyncIterable<readonly PaymentReportValues[]>, today: string, showPersonal: boolean): AsyncGenerator<string> {
  yield csvHeader(paymentReportCsvColumns(showPersonal));
  for await (const rows of chunks) {
    let text = '';
    for (const row of rows) text += csvLine(row, today, showPersonal);
    yield text;
  }
}
