import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { DecisionContext, participantDecider, participantStreamId, RecordEngagement, RegisterECT } from '@ecf/domain';
import { CommandEnvelope, EventStore, handleCommand, SqliteEventStore } from '@ecf/event-store';
import { Consumers, openReadModelDatabase } from '@ecf/projections';
import { loadProgrammeCalendar, loadProgrammeData, PersonalDataVault, productEventStore, projectRoot } from '@ecf/runtime';

/**
 * `npm run bench`: each figure beside a raw baseline measured in the same process on the same data,
 * printed as one JSON document and written to bench/results/. Sizes: BENCH_PARTICIPANTS (default 200)
 * × BENCH_COMMANDS_PER_PARTICIPANT (default 10).
 */
const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 200);
const COMMANDS_PER_PARTICIPANT = Number(process.env.BENCH_COMMANDS_PER_PARTICIPANT ?? 10);
const SCHOOL_URN = '100001';
const COHORT = 2026;

const PROGRAMME_FILE = join(projectRoot(), 'config', 'programme.json');
const programme = loadProgrammeData(PROGRAMME_FILE);
const calendar = loadProgrammeCalendar(PROGRAMME_FILE, programme);
const context: () => DecisionContext = () => ({ now: '2026-11-02T10:00:00.000Z', today: '2026-11-02', programme });

const envelope = (): CommandEnvelope => {
  const id = randomUUID();
  return { commandId: id, correlationId: id, causationId: id, actor: { id: 'bench', role: 'system' } };
};

const seconds = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e9;
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

async function registerParticipants(store: EventStore): Promise<string[]> {
  const ids = Array.from({ length: PARTICIPANTS }, () => randomUUID());
  for (const [index, participantId] of ids.entries()) {
    const command: RegisterECT = {
      type: 'RegisterECT',
      data: {
        participantId, firstName: 'Bench', lastName: `Teacher ${index}`, dateOfBirth: '1995-01-01', trn: String(2_000_000 + index),
        email: `bench${index}@example.org`, schoolUrn: SCHOOL_URN, cohort: COHORT, school: { urn: SCHOOL_URN, partnerships: { [COHORT]: 'dp-north' } },
      },
    };
    await handleCommand(store, participantDecider, participantStreamId(participantId), () => command, envelope(), context);
  }
  return ids;
}

/** The store exactly as the apps open it: SQLite, personal data sealed per participant, upcasting on read. */
const productStore = async (dir: string): Promise<EventStore> =>
  productEventStore(await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') }), PersonalDataVault.open(join(dir, 'personal-data-keys.sqlite')));

/** 1. The full in-process command path (load + decide + validate + append + hash) against raw inserts of the same rows. */
async function commandThroughput(dir: string): Promise<Record<string, unknown>> {
  const store = await productStore(dir);
  const ids = await registerParticipants(store);
  const total = PARTICIPANTS * COMMANDS_PER_PARTICIPANT;
  const engagement = (participantId: string): RecordEngagement => ({
    type: 'RecordEngagement',
    data: { participantId, kind: 'self-study', occurredOn: '2026-11-01', reference: null },
  });

  const started = process.hrtime.bigint();
  for (let round = 0; round < COMMANDS_PER_PARTICIPANT; round++) {
    for (const id of ids) await handleCommand(store, participantDecider, participantStreamId(id), () => engagement(id), envelope(), context);
  }
  const fullSeconds = seconds(started);
  await store.close();

  // Baseline: the same rows into a table of the same shape, same pragmas, one transaction per row, no reads, no hash chain.
  const raw = new Database(join(dir, 'raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, schema_version INTEGER NOT NULL, recorded_at TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, revision))`);
  const insert = raw.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)');
  const rawStarted = process.hrtime.bigint();
  for (let round = 0; round < COMMANDS_PER_PARTICIPANT; round++) {
    for (const id of ids) {
      const { commandId } = envelope();
      insert.run(participantStreamId(id), round + 1, randomUUID(), 'EngagementRecorded', JSON.stringify(engagement(id).data), JSON.stringify({ commandId }), new Date().toISOString(), '');
    }
  }
  const rawSeconds = seconds(rawStarted);
  raw.close();

  return {
    name: 'command throughput, SQLite, sequential (RecordEngagement through handleCommand)',
    commands: total,
    commandsPerSecond: round(total / fullSeconds),
    baseline: { name: 'raw better-sqlite3 insert of the same rows, one transaction each', rowsPerSecond: round(total / rawSeconds) },
    timeRatioToBaseline: round(fullSeconds / rawSeconds, 2),
  };
}

/** 4. Rebuild of every projection and policy from the log, against a raw scan of the event table with JSON parsing. */
async function rebuild(dir: string): Promise<Record<string, unknown>> {
  const store = await productStore(dir);
  const head = await store.headPosition();
  const db = await openReadModelDatabase({ kind: 'sqlite', filename: join(dir, 'read-models.sqlite') });
  const consumers = new Consumers(store, db, context, calendar);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const started = process.hrtime.bigint();
  await consumers.start();
  await consumers.waitUntilCaughtUp(head);
  const rebuildSeconds = seconds(started);
  clearInterval(sampler);
  await consumers.stop();
  await db.close();
  await store.close();

  const raw = new Database(join(dir, 'events.sqlite'), { readonly: true });
  const scanStarted = process.hrtime.bigint();
  let checksum = 0;
  for (const row of raw.prepare('SELECT data, metadata FROM events ORDER BY position').iterate() as Iterable<{ data: string; metadata: string }>) {
    checksum += Object.keys(JSON.parse(row.data)).length + Object.keys(JSON.parse(row.metadata)).length;
  }
  const scanSeconds = seconds(scanStarted);
  raw.close();

  return {
    name: 'rebuild of all projections and policies from the log (SQLite read models)',
    events: head,
    eventsPerSecond: round(head / rebuildSeconds),
    peakRssMiB: round(peakRss / 2 ** 20),
    baseline: { name: 'raw scan of the event table with JSON parsing', eventsPerSecond: round(head / scanSeconds), checksum },
    timeRatioToBaseline: round(rebuildSeconds / scanSeconds, 2),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ecf-bench-'));
  try {
    const results = [await commandThroughput(dir), await rebuild(dir)];
    const report = {
      ranAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 2 ** 30) },
      sizes: { participants: PARTICIPANTS, commandsPerParticipant: COMMANDS_PER_PARTICIPANT },
      results,
    };
    const json = JSON.stringify(report, null, 2);
    const outDir = resolve(projectRoot(), 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `${report.ranAt.replace(/[:.]/g, '-')}-${createHash('sha1').update(json).digest('hex').slice(0, 6)}.json`);
    writeFileSync(file, `${json}\n`);
    process.stdout.write(`${json}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
