import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { csvHeader, csvLines, CsvValue } from './csv-lines';

type Row = { id: string; n: number | null; ok: boolean; note: string | null };
const COLUMNS = ['id', 'n', 'ok', 'note'] as const;

describe('csvLines (the payment report’s CSV encoder)', () => {
  const awkward: Row[] = [
    { id: 'plain', n: 2025, ok: true, note: null },
    { id: 'comma, inside', n: null, ok: false, note: 'she said "no"' },
    { id: 'line\nbreak', n: 0, ok: true, note: 'carriage\r\nreturn' },
    { id: '', n: -1.5, ok: false, note: '""' },
  ];

  it('writes what csv-stringify writes, quoting only cells that need it', () => {
    const expected = stringify(awkward, { header: true, columns: [...COLUMNS], cast: { boolean: (value) => String(value) } });
    expect(csvHeader(COLUMNS) + csvLines(awkward, COLUMNS)).toBe(expected);
  });

  it('round-trips through csv-parse: every value comes back as its text, null as an empty cell', () => {
    const parsed = parse(csvHeader(COLUMNS) + csvLines(awkward, COLUMNS), { columns: true }) as Record<string, string>[];
    const asText = (value: CsvValue) => (value === null ? '' : String(value));
    expect(parsed).toEqual(awkward.map((row) => Object.fromEntries(COLUMNS.map((column) => [column, asText(row[column])]))));
  });
});
