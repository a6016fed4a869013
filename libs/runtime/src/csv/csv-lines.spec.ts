import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { csvCell, csvHeader, csvLines, csvRows, CsvValue } from './csv-lines';

type Row = { id: string; n: number | null; ok: boolean; note: string | null };
const COLUMNS = ['id', 'n', 'ok', 'note'] as const;

describe('csvLines (the CSV encoder of every export)', () => {
  const awkward: Row[] = [
    { id: 'plain', n: 2025, ok: true, note: null },
    { id: 'comma, inside', n: null, ok: false, note: 'she said "no"' },
    { id: 'line\nbreak', n: 0, ok: true, note: 'carriage\r\nreturn' },
    { id: '', n: -1.5, ok: false, note: '""' },
    { id: '=HYPERLINK("http://evil","click")', n: -2, ok: true, note: '-1+1' },
    { id: '@SUM(A1)', n: 1, ok: false, note: '\t=1' },
  ];

  it('writes what csv-stringify writes with escape_formulas, quoting only cells that need it', () => {
    const expected = stringify(awkward, { header: true, columns: [...COLUMNS], escape_formulas: true, cast: { boolean: (value) => String(value) } });
    expect(csvHeader(COLUMNS) + csvLines(awkward, COLUMNS)).toBe(expected);
  });

  it('round-trips through csv-parse: every value comes back as its text (a formula behind a quote), null as an empty cell', () => {
    const parsed = parse(csvHeader(COLUMNS) + csvLines(awkward, COLUMNS), { columns: true }) as Record<string, string>[];
    const asText = (value: CsvValue) => (value === null ? '' : /^[=+\-@\t]/.test(String(value)) && typeof value === 'string' ? `'${value}` : String(value));
    expect(parsed).toEqual(awkward.map((row) => Object.fromEntries(COLUMNS.map((column) => [column, asText(row[column])]))));
  });

  it('csvRows writes rows of cells the same way', () => {
    expect(csvRows(awkward.map((row) => COLUMNS.map((column) => row[column])))).toBe(csvLines(awkward, COLUMNS));
  });
});

describe('csvCell: CSV injection (OWASP)', () => {
  it.each([
    ['=', '=1+1', `'=1+1`],
    ['+', '+1+1', `'+1+1`],
    ['-', '-1+1', `'-1+1`],
    ['@', '@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['tab', '\t=1', `'\t=1`],
    ['carriage return', '\r=1', `"'\r=1"`],
    ['full-width =', '\uFF1D1+1', `'\uFF1D1+1`],
    ['full-width +', '\uFF0B1', `'\uFF0B1`],
    ['full-width -', '\uFF0D1', `'\uFF0D1`],
    ['full-width @', '\uFF20SUM(A1)', `'\uFF20SUM(A1)`],
  ])('a text cell starting with %s gets a quote mark in front', (_name, value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('still quotes a neutralised cell per RFC 4180 when it holds a comma or a quote', () => {
    expect(csvCell('=HYPERLINK("http://evil","click")')).toBe(`"'=HYPERLINK(""http://evil"",""click"")"`);
  });

  it('leaves alone text that only contains those characters later, and numbers (a negative number stays a number)', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('2026-09-01')).toBe('2026-09-01');
    expect(csvCell(' =1')).toBe(' =1');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(false)).toBe('false');
    expect(csvCell(null)).toBe('');
  });
});
