/** One store's figures as the peer script prints them. */
export interface PeerStoreFigures {
  readonly clients: number;
  readonly commandsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly engagementsStored: number;
  readonly [detail: string]: unknown;
}

export interface PeerFigures {
  readonly versions: Record<string, string>;
  readonly commands: number;
  readonly sqlite: PeerStoreFigures;
  readonly postgresql: PeerStoreFigures;
  readonly [detail: string]: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function storeFigures(report: Record<string, unknown>, store: 'sqlite' | 'postgresql'): PeerStoreFigures {
  const figures = report[store];
  if (!isRecord(figures)) throw new Error(`The peer's report has no ${store} figures`);
  for (const field of ['clients', 'commandsPerSecond', 'p50Ms', 'p99Ms', 'engagementsStored']) {
    const value = figures[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`The peer's ${store}.${field} is not a number: ${JSON.stringify(value)}`);
  }
  return figures as PeerStoreFigures;
}

/**
 * The peer script's report is its last line of output: the library under test prints its own
 * errors to stdout (a retried SQLITE_BUSY, for one), so earlier lines are not ours to parse.
 */
export function parsePeerFigures(stdout: string): PeerFigures {
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  let report: unknown;
  try {
    report = JSON.parse(last);
  } catch {
    throw new Error(`The peer printed no JSON report; its output ended with:\n${stdout.slice(-2000)}`);
  }
  if (!isRecord(report) || !isRecord(report.versions)) throw new Error("The peer's report names no versions");
  if (typeof report.commands !== 'number') throw new Error("The peer's report does not say how many commands it ran");
  return { ...report, versions: report.versions as Record<string, string>, commands: report.commands, sqlite: storeFigures(report, 'sqlite'), postgresql: storeFigures(report, 'postgresql') };
}
