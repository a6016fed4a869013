import Database from 'better-sqlite3';
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { handleCommand } from '@ecf/command-handling';
import { participantDecider, participantStreamId } from '@ecf/domain';
import { aggregateStream } from '@ecf/event-store';
import { dataFiles, openEventStore, projectRoot } from '@ecf/runtime';
import { seedParticipantId } from '../apps/cli/src/seed/seed-plan';
import { ServerProcess } from './http/server-process';
import { benchContext, benchEnvelope, BenchFigure, latencySummary, recordEngagement, registerEct, round, seconds, seededSample, timeEach } from './support';

const ROOT = projectRoot();
const CLI = join(ROOT, 'bin', 'ecf.js');
const API_ENTRY = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const run = promisify(execFile);

export interface NationalBenchOptions {
  readonly participants: number;
  readonly seed: number;
  /** Where the seeded log is kept between runs (seeding 150 000 participants takes tens of minutes). */
  readonly seedDir: string;
  /** Use the seeded directory as it is, even if its seed did not finish. */
  readonly asIs: boolean;
  readonly samples: number;
}

/** `ecf seed` into the kept directory: resumes where an earlier run stopped, and does nothing once complete. */
async function ensureSeeded({ participants, seed, seedDir, asIs }: NationalBenchOptions): Promise<void> {
  if (asIs && existsSync(dataFiles(seedDir).events)) return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'seed', '--participants', String(participants), '--seed', String(seed)], { env: { ...process.env, DATA_DIR: seedDir, EVENT_STORE: 'sqlite', READ_MODEL_STORE: 'sqlite' }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ecf seed exited with ${code}`))));
  });
}

/** The benchmarks work on a copy, so the kept log is never changed by them. */
function workingCopy(seedDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ecf-bench-national-'));
  const [from, to] = [dataFiles(seedDir), dataFiles(dir)];
  for (const file of ['events', 'personalDataKeys', 'readModels'] as const) {
    copyFileSync(from[file], to[file]);
    // A seed that was stopped leaves its last commits in the write-ahead log: they belong to the copy.
    if (existsSync(`${from[file]}-wal`)) copyFileSync(`${from[file]}-wal`, `${to[file]}-wal`);
  }
  return dir;
}

interface ChildFigures {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssMiB: number;
}

interface WriteFloor {
  readonly rows: number;
  readonly seconds: number;
  readonly tables: Record<string, number>;
}

async function child<T = ChildFigures>(mode: 'projections' | 'projections-postgres' | 'scan' | 'write-floor', dir: string): Promise<T> {
  const { stdout } = await run(process.execPath, [join(__dirname, 'rebuild-child.js'), mode, dir], { maxBuffer: 2 ** 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as T;
}

/**
 * 4. Every projection rebuilt from the whole log, in a process of its own, against a raw scan with JSON parsing.
 * Beside it, the floor under any rebuild of these read models: the raw scan plus inserting, once each, the rows
 * the rebuild left. Its ratio to the scan is the most a rebuild that reads the log once could reach.
 */
async function rebuild(dir: string): Promise<BenchFigure> {
  const scan = await child('scan', dir);
  const projections = await child('projections', dir);
  const floor = await child<WriteFloor>('write-floor', dir);
  const intoPostgres = await child('projections-postgres', dir);
  const floorEventsPerSecond = projections.events / (scan.seconds + floor.seconds);
  return {
    name: 'rebuild of all projections from the full log (SQLite event store and read models)',
    events: projections.events,
    eventsPerSecond: projections.eventsPerSecond,
    peakRssMiB: projections.peakRssMiB,
    baseline: { name: 'raw scan of the event table with JSON.parse of data and metadata', eventsPerSecond: scan.eventsPerSecond, peakRssMiB: scan.peakRssMiB },
    rateRatioToBaseline: round(projections.eventsPerSecond / scan.eventsPerSecond, 2),
    writeFloor: {
      name: 'the raw scan plus a raw insert of every read-model row the rebuild left, each once (same schema and indexes, 10 000 rows a transaction)',
      rows: floor.rows,
      rowsPerEvent: round(floor.rows / projections.events, 2),
      insertSeconds: round(floor.seconds, 2),
      eventsPerSecond: round(floorEventsPerSecond),
      rateRatioToBaseline: round(floorEventsPerSecond / scan.eventsPerSecond, 2),
      tables: floor.tables,
    },
    readModelsInPostgres: {
      name: 'the same rebuild into PostgreSQL read models (a schema of its own on DATABASE_URL), the log still in SQLite',
      eventsPerSecond: intoPostgres.eventsPerSecond,
      seconds: round(intoPostgres.seconds, 1),
      peakRssMiB: intoPostgres.peakRssMiB,
      rateRatioToBaseline: round(intoPostgres.eventsPerSecond / scan.eventsPerSecond, 2),
    },
    target: '≥ 0.5 × the raw scan rate, peak RSS under 512 MiB',
  };
}

/** 5a. Loading a participant (read the stream through the product store, fold): a 100-event stream and seeded ones. */
async function participantLoad(dir: string, options: NationalBenchOptions): Promise<BenchFigure> {
  const store = await openEventStore({ eventStore: 'sqlite', dataDir: dir, databaseUrl: null, esdbConnectionString: null });
  const long = randomUUID();
  await handleCommand(store, participantDecider, participantStreamId(long), () => registerEct(long, 7_000_000), benchEnvelope(), benchContext);
  for (let event = 1; event < 100; event++) await handleCommand(store, participantDecider, participantStreamId(long), () => recordEngagement(long), benchEnvelope(), benchContext);
  const repeat = <T>(value: T) => Array.from({ length: options.samples }, () => value);
  const load = (id: string) => aggregateStream(store, participantDecider, participantStreamId(id));
  await timeEach(repeat(long).slice(0, 100), load);
  const longStream = await timeEach(repeat(long), load);
  const seeded = seededSample(options.samples, options.participants, options.seed).map((n) => seedParticipantId(options.seed, options.participants, n));
  const seededStreams = await timeEach(seeded, load);
  const seededEvents = (await Promise.all(seeded.slice(0, 200).map(async (id) => (await load(id)).events.length))).reduce((a, b) => a + b, 0) / Math.min(200, seeded.length);
  await store.close();

  const raw = new Database(dataFiles(dir).events, { readonly: true });
  const select = raw.prepare('SELECT data, metadata FROM events WHERE stream_id = ? ORDER BY revision');
  const rawLoad = (id: string) => (select.all(participantStreamId(id)) as { data: string; metadata: string }[]).map((row) => [JSON.parse(row.data), JSON.parse(row.metadata)]);
  const rawLong = await timeEach(repeat(long), rawLoad);
  raw.close();
  return {
    name: 'participant load: read the stream through the product store (upcast, personal data opened) and fold',
    hundredEventStream: { ...latencySummary(longStream), target: 'p99 under 2 ms' },
    seededParticipants: { ...latencySummary(seededStreams), meanEvents: round(seededEvents) },
    baseline: { name: 'raw SELECT of the same 100 rows with JSON.parse', ...latencySummary(rawLong) },
  };
}

/** 5b and 6. Through the real API on the national log: history and as-of reads, and the whole payment report as CSV. */
async function apiReads(dir: string, options: NationalBenchOptions): Promise<BenchFigure[]> {
  const { stdout } = await run(process.execPath, [CLI, 'keys', 'create', '--role', 'auditor', '--name', 'bench', '--json'], { env: { ...process.env, DATA_DIR: dir } });
  const token = (JSON.parse(stdout) as { token: string }).token;
  const api = await ServerProcess.start(API_ENTRY, { DATA_DIR: dir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000' });
  try {
    // fetch asks for gzip by default and unpacks it: the plain figures ask for the plain body.
    const get = async (path: string, alsoExpected: number[] = []) => {
      const response = await fetch(`${api.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'identity' } });
      const body = await response.text();
      if (!response.ok && !alsoExpected.includes(response.status)) throw new Error(`GET ${path}: ${response.status} ${body.slice(0, 300)}`);
      return { response, body };
    };
    const ids = seededSample(options.samples, options.participants, options.seed + 1).map((n) => seedParticipantId(options.seed, options.participants, n));
    const existing: string[] = [];
    for (const id of ids) {
      const response = await fetch(`${api.baseUrl}/participants/${id}`, { headers: { Authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (response.ok) existing.push(id);
    }
    const history = await timeEach(existing, (id) => get(`/participants/${id}/history`));
    // Participants registered later are, correctly, not found as of that day: the replay is done all the same.
    const asOf = await timeEach(existing, (id) => get(`/participants/${id}?asOf=2025-12-31`, [404]));
    const current = await timeEach(existing, (id) => get(`/participants/${id}`));

    const streamedStarted = process.hrtime.bigint();
    const streamed = await get('/reports/payment-eligibility?format=csv');
    const streamedSeconds = seconds(streamedStarted);
    const gzipped = await gzippedReport(`${api.baseUrl}/reports/payment-eligibility?format=csv`, token);
    const pagedStarted = process.hrtime.bigint();
    let pagedRows = 0;
    let pages = 0;
    for (let path: string | null = '/reports/payment-eligibility?format=csv&limit=10000'; path !== null; pages++) {
      const { response, body } = await get(path);
      pagedRows += csvRows(body);
      const next = /<\?after=([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '');
      path = next ? `/reports/payment-eligibility?format=csv&limit=10000&after=${next[1]}` : null;
    }
    const pagedSeconds = seconds(pagedStarted);
    return [
      {
        name: 'participant reads over HTTP on the national log (auditor key, sequential)',
        participants: existing.length,
        current: latencySummary(current),
        history: latencySummary(history),
        asOf: { query: '?asOf=2025-12-31 (replayed from the stream)', ...latencySummary(asOf) },
      },
      {
        name: 'payment-eligibility report for every participant as one streamed CSV over HTTP',
        seconds: round(streamedSeconds, 2),
        rows: csvRows(streamed.body),
        microsecondsPerRow: round((streamedSeconds * 1e6) / csvRows(streamed.body)),
        megabytes: round(Buffer.byteLength(streamed.body) / 2 ** 20),
        target: 'under 10 s',
        gzip: {
          name: 'the same with Accept-Encoding: gzip, timed to the last compressed byte received (gunzipped after, to count the rows)',
          seconds: round(gzipped.seconds, 2),
          rows: gzipped.rows,
          microsecondsPerRow: round((gzipped.seconds * 1e6) / gzipped.rows),
          megabytesSent: round(gzipped.bytesSent / 2 ** 20),
          sameAsPlain: gzipped.text === streamed.body,
        },
        paged: { name: 'the same in pages of 10 000 rows following Link rel="next"', seconds: round(pagedSeconds, 2), rows: pagedRows, pages },
      },
    ];
  } finally {
    await api.stop();
  }
}

/** The streamed report asked for gzipped, read as it arrives (no unpacking while timed). */
async function gzippedReport(url: string, token: string): Promise<{ seconds: number; bytesSent: number; rows: number; text: string }> {
  const started = process.hrtime.bigint();
  const body = await new Promise<Buffer>((resolve, reject) => {
    httpGet(url, { headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip' } }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => (response.headers['content-encoding'] === 'gzip' ? resolve(Buffer.concat(parts)) : reject(new Error(`not gzipped: ${response.statusCode}`))));
    }).on('error', reject);
  });
  const elapsed = seconds(started);
  const text = gunzipSync(body).toString();
  return { seconds: elapsed, bytesSent: body.length, rows: csvRows(text), text };
}

const csvRows = (body: string): number => body.split('\n').filter((line) => line.length > 0).length - 1;

/** Figures 4, 5 and 6 on a seeded national-scale log. */
export async function nationalBenchmarks(options: NationalBenchOptions): Promise<BenchFigure[]> {
  const started = process.hrtime.bigint();
  await ensureSeeded(options);
  const dir = workingCopy(options.seedDir);
  try {
    const figures = [await rebuild(dir), await participantLoad(dir, options), ...(await apiReads(dir, options))];
    return figures.map((figure) => ({ ...figure, log: { participants: options.participants, seed: options.seed } }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`national benchmarks: ${round(seconds(started))} s\n`);
  }
}
