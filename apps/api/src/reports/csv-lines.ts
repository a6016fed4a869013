/**
 * RFC 4180 lines for the payment report, the one export large enough for its encoder to matter: on the
 * national log (three quarters of a million rows) csv-stringify spent 30–40 µs a row and this spends
 * about 7 (docs/benchmarks.md). Smaller exports keep csv-stringify. Values are text, numbers,
 * booleans or null (an empty cell); a cell with a comma, a quote or a line break is quoted, its quotes doubled.
 */
export type CsvValue = string | number | boolean | null;

const NEEDS_QUOTES = /[",\r\n]/;

const cell = (value: CsvValue): string => {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** One line per record, each ended by `\n`, with the columns in the given order. */
export function csvLines<Row, Column extends keyof Row>(records: readonly (Row & { [column in Column]: CsvValue })[], columns: readonly Column[]): string {
  let text = '';
  for (const record of records) text += `${columns.map((column) => cell(record[column])).join(',')}\n`;
  return text;
}

export const csvHeader = (columns: readonly string[]): string => `${columns.map(cell).join(',')}\n`;
