import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { csvCell, csvHeader, csvLines, csvRows, CsvValue, plainCsvLine } from './csv-lines';

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

describe('plainCsvLine: one test a line for lines that need no quoting nor formula guard', () => {
  const asText = (cells: readonly CsvValue[]) => cells.map((cell) => (cell === null ? '' : String(cell))).join(',');
  const PLAIN: CsvValue[] = ['6f1c3b0e-2d8a-4a57-9c1e-3f0f7c2b9a10', 'ect', '100001', 2026, null, 'retained-1', '2026-01-05', null, '2026-04-30', true, 'engaged', 'eligible', '', "O'Brien", 'Zoë Anne'];

  it('matches a line of plain ids, codes, dates, numbers, booleans, names and empty cells, which is then what csvCell writes', () => {
    expect(plainCsvLine(PLAIN.length).test(asText(PLAIN))).toBe(true);
    expect(asText(PLAIN)).toBe(PLAIN.map(csvCell).join(','));
  });

  it.each([
    ['a comma inside a cell', 'Smith, Jo'],
    ['a quote', 'O"Brien'],
    ['a line feed', 'Anne\nMarie'],
    ['a carriage return', 'Anne\rMarie'],
    ['= first', '=1+2'],
    ['+ first', '+44'],
    ['- first', '-x'],
    ['@ first', '@home'],
    ['a tab first', '\tx'],
    ['full-width = first', '\uFF1Dx'],
    ['full-width + first', '\uFF0Bx'],
    ['full-width - first', '\uFF0Dx'],
    ['full-width @ first', '\uFF20x'],
    ['a negative number (left as it is by csvCell, written cell by cell all the same)', -1],
  ])('does not match a line with %s, in the first, a middle or the last cell', (_name, cell) => {
    for (const at of [0, 7, PLAIN.length - 1]) {
      const cells = PLAIN.map((value, index) => (index === at ? cell : value));
      expect(plainCsvLine(cells.length).test(asText(cells))).toBe(false);
    }
  });

  it('does not match a line of more or fewer cells than it was made for', () => {
    expect(plainCsvLine(PLAIN.length + 1).test(asText(PLAIN))).toBe(false);
    expect(plainCsvLine(PLAIN.length - 1).test(asText(PLAIN))).toBe(false);
  });

  it('matches only lines that csvCell writes as they are: generated cells of every awkward character', () => {
    const awkward = fc.string({ unit: fc.constantFrom(',', '"', '\n', '\r', '\t', '=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', "'", ' ', 'a', '1', 'é'), maxLength: 4 });
    const cell: fc.Arbitrary<CsvValue> = fc.oneof(awkward, fc.constant(null), fc.integer({ min: -5, max: 5 }), fc.boolean(), fc.constantFrom('ect', '2026-01-05', ''));
    let matched = 0;
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 5 }), (cells) => {
        const text = asText(cells);
        if (plainCsvLine(cells.length).test(text)) {
          matched += 1;
          expect(text).toBe(cells.map(csvCell).join(','));
        } else {
          expect(cells.map(csvCell).join(',') === text && cells.every((value) => typeof value !== 'number' || value >= 0)).toBe(false);
        }
      }),
      { numRuns: 5000, seed: 20261203 },
    );
    expect(matched).toBeGreaterThan(100);
  });
});
