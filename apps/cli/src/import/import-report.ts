import Table from 'cli-table3';
import { csvHeader, csvLines } from '@ecf/runtime';
import type { Outcome, ReportEntry } from './import-registrations';

const OUTCOMES: readonly Outcome[] = ['registered', 'already-registered', 'would-register', 'rejected', 'matched', 'would-match', 'match-rejected'];
const FAILURES: readonly Outcome[] = ['rejected', 'match-rejected'];

export const EXIT_OK = 0;
export const EXIT_FATAL = 1;
export const EXIT_ROWS_REJECTED = 2;

export function exitCodeOf(entries: readonly ReportEntry[]): number {
  return entries.some((entry) => FAILURES.includes(entry.outcome)) ? EXIT_ROWS_REJECTED : EXIT_OK;
}

export function summaryOf(entries: readonly ReportEntry[]): Partial<Record<Outcome, number>> {
  const summary: Partial<Record<Outcome, number>> = {};
  for (const outcome of OUTCOMES) {
    const count = entries.filter((entry) => entry.outcome === outcome).length;
    if (count > 0) summary[outcome] = count;
  }
  return summary;
}

export function summaryLine(entries: readonly ReportEntry[], dryRun: boolean): string {
  const counts = Object.entries(summaryOf(entries)).map(([outcome, count]) => `${count} ${outcome}`);
  const line = counts.length > 0 ? counts.join(', ') : 'no rows';
  return dryRun ? `${line} (dry run: nothing was written)` : line;
}

const problemText = (entry: ReportEntry): string =>
  [entry.code, ...(entry.errors ?? []).map((error) => `${error.field}: ${error.message}`), entry.detail].filter(Boolean).join('; ');

/** Colours only for a terminal: escape codes would garble a report piped to a file. */
export function renderTable(entries: readonly ReportEntry[], colour: boolean): string {
  const table = new Table({
    head: ['row', 'name', 'type', 'outcome', 'participant', 'mentor', 'problem / detail'],
    wordWrap: true,
    colWidths: [null, null, null, null, null, null, 60],
    ...(colour ? {} : { style: { head: [], border: [] } }),
  });
  for (const entry of entries) {
    table.push([entry.row, entry.name, entry.type, entry.outcome, entry.participantId ?? '', entry.mentorId ?? '', problemText(entry)]);
  }
  return table.toString();
}

export function toJson(entries: readonly ReportEntry[], dryRun: boolean): string {
  return JSON.stringify({ dryRun, summary: summaryOf(entries), exitCode: exitCodeOf(entries), rows: entries }, null, 2);
}

const CSV_COLUMNS = ['row', 'name', 'type', 'outcome', 'participant_id', 'mentor_id', 'code', 'errors', 'detail'] as const;

/** Opened in a spreadsheet: names come from the input file, so a cell such as `=HYPERLINK(…)` must stay text (csv-lines). */
export function toCsv(entries: readonly ReportEntry[]): string {
  const records = entries.map((entry) => ({
    row: entry.row,
    name: entry.name,
    type: entry.type,
    outcome: entry.outcome,
    participant_id: entry.participantId ?? null,
    mentor_id: entry.mentorId ?? null,
    code: entry.code ?? null,
    errors: (entry.errors ?? []).map((error) => `${error.field}: ${error.message}`).join('; '),
    detail: entry.detail ?? null,
  }));
  return csvHeader(CSV_COLUMNS) + csvLines(records, CSV_COLUMNS);
}
