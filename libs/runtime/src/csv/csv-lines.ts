/**
 * The one CSV encoder of every export the product writes: the payment report, a participant's history
 * and the CLI's import report. Cells are RFC 4180 (a cell with a comma, a quote or a line break is
 * quoted, its quotes doubled; lines end with `\n`); values are text, numbers, booleans or null (an
 * empty cell). It is also fast: on the national log (three quarters of a million report rows)
 * csv-stringify spent 30–40 µs a row and this spends about 7 (docs/benchmarks.md).
 *
 * CSV injection (OWASP): a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * is read by spreadsheets as a formula (`=HYPERLINK(…)`), so it is written with a `'` in front, which
 * makes it text; the full-width forms of the first four count too (some spreadsheets normalise them).
 * Numbers are left as they are: a JS number's text is a number to a spreadsheet, never a formula, and a
 * negative amount must stay a number. Anything a person typed reaches a CSV as a string.
 */
export type CsvValue = string | number | boolean | null;

// The characters that make a text cell a formula when it starts with one; in a character class.
const FORMULA_CHARS = '=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20';
const FORMULA_START = new RegExp(`^[${FORMULA_CHARS}]`);
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: neutralised if it could start a formula, then quoted if RFC 4180 needs it. */
export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  const text = typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One line per record, each ended by `\n`, with the columns in the given order. */
export function csvLines<Row, Column extends keyof Row>(records: readonly (Row & { [column in Column]: CsvValue })[], columns: readonly Column[]): string {
  let text = '';
  for (const record of records) text += `${columns.map((column) => csvCell(record[column])).join(',')}\n`;
  return text;
}

/** One line per row of cells in order, each ended by `\n`. */
export function csvRows(rows: readonly (readonly CsvValue[])[]): string {
  let text = '';
  for (const row of rows) text += `${row.map(csvCell).join(',')}\n`;
  return text;
}

export const csvHeader = (columns: readonly string[]): string => `${columns.map(csvCell).join(',')}\n`;

/**
 * A test of a line of `cells` cells each written as its own text and joined by commas (null as an empty
 * cell), for an export that writes a line at a time: it matches only when `csvCell` would write every cell
 * as that same text, so the line needs no more work — exactly `cells - 1` commas (no cell holds one), no
 * quote, carriage return or line feed, and no cell starting with a formula character. One test a line
 * instead of two a cell; a line it does not match (a negative number too, which `csvCell` leaves as it is)
 * is to be written cell by cell through `csvCell`, which gives the same bytes for a line it would match.
 */
export function plainCsvLine(cells: number): RegExp {
  const cell = `(?![${FORMULA_CHARS}])[^",\\r\\n]*`;
  return new RegExp(`^${cell}(?:,${cell}){${cells - 1}}$`);
}
