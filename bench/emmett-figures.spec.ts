import { parsePeerFigures } from './emmett-figures';

const store = (clients: number, commandsPerSecond: number) => ({ clients, commandsPerSecond, p50Ms: 4.6, p99Ms: 12.9, engagementsStored: 2100 });
const report = {
  peer: 'Emmett CommandHandler',
  versions: { '@event-driven-io/emmett': '0.42.0', '@event-driven-io/emmett-sqlite': '0.42.4' },
  commands: 2000,
  sqlite: { ...store(1, 189.8), commandsRetriedAfterSqliteBusy: 3 },
  postgresql: store(16, 954),
};

describe("the Emmett peer's report", () => {
  it('is read from the last line, after whatever the library printed before it', () => {
    const stdout = `[Error: SQLITE_BUSY: cannot commit transaction - SQL statements in progress] {\n  errno: 5,\n}\n${JSON.stringify(report)}\n`;

    const figures = parsePeerFigures(stdout);

    expect(figures.sqlite.commandsPerSecond).toBe(189.8);
    expect(figures.sqlite.commandsRetriedAfterSqliteBusy).toBe(3);
    expect(figures.postgresql).toEqual(store(16, 954));
    expect(figures.versions['@event-driven-io/emmett-sqlite']).toBe('0.42.4');
  });

  it('is refused when the script died before printing it, quoting the end of its output', () => {
    expect(() => parsePeerFigures('Error: connect ECONNREFUSED 127.0.0.1:5432\n')).toThrow(/no JSON report[\s\S]*ECONNREFUSED/);
    expect(() => parsePeerFigures('')).toThrow(/no JSON report/);
  });

  it('is refused when a store is missing or a figure is not a number', () => {
    const { postgresql: _missing, ...sqliteOnly } = report;
    expect(() => parsePeerFigures(JSON.stringify(sqliteOnly))).toThrow(/no postgresql figures/);
    expect(() => parsePeerFigures(JSON.stringify({ ...report, sqlite: { ...report.sqlite, commandsPerSecond: null } }))).toThrow(/sqlite\.commandsPerSecond is not a number/);
    expect(() => parsePeerFigures(JSON.stringify({ ...report, versions: undefined }))).toThrow(/no versions/);
  });
});
