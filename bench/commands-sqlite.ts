import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { commandHandlerFor, handleParticipantCommand, PARTICIPANT_STATE_CACHE, StreamStateCache } from '@ecf/command-handling';
import { participantDecider, ParticipantState, participantStreamId } from '@ecf/domain';
import { EventStore, SqliteEventStore, SynchronousMode } from '@ecf/event-store';
import { PersonalDataVault, productEventStore } from '@ecf/runtime';
import { benchContext, benchEnvelope, BenchFigure, recordEngagement, registerEct, round, seconds, v8Size } from './support';

export interface CommandBenchOptions {
  readonly participants: number;
  readonly commandsPerParticipant: number;
}

/** The store exactly as the apps open it: personal data sealed per participant, upcasting on read. */
const productStore = async (dir: string, synchronous: SynchronousMode, name: string): Promise<EventStore> =>
  productEventStore(await SqliteEventStore.open({ filename: join(dir, `${name}-${synchronous}.sqlite`), synchronous }), PersonalDataVault.sqlite(join(dir, `keys-${name}-${synchronous}.sqlite`)));

/** The command path as it was before folded state was kept (ADR 0016): every command reads its whole stream. */
const handleUncached = commandHandlerFor(participantDecider, participantStreamId);

/** Sequential engagements on every participant, `rounds` times; seconds taken. */
async function engagements(store: EventStore, ids: readonly string[], rounds: number, cache?: StreamStateCache<ParticipantState>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) {
    for (const id of ids) {
      if (cache) await handleParticipantCommand(store, id, () => recordEngagement(id), benchEnvelope(), benchContext, { cache });
      else await handleUncached(store, id, () => recordEngagement(id), benchEnvelope(), benchContext);
    }
  }
  return seconds(started);
}

async function registered(store: EventStore, participants: number): Promise<string[]> {
  const ids = Array.from({ length: participants }, () => randomUUID());
  for (const [index, id] of ids.entries()) await handleParticipantCommand(store, id, () => registerEct(id, index), benchEnvelope(), benchContext);
  return ids;
}

/** Raw better-sqlite3: the same rows into a table of the same shape, same pragmas, one transaction per row, no reads, no hash. */
function rawOneRowCommits(dir: string, synchronous: SynchronousMode, ids: readonly string[], rounds: number): number {
  const raw = new Database(join(dir, `raw-${synchronous}.sqlite`));
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${synchronous}`);
  raw.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, schema_version INTEGER NOT NULL, recorded_at TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, revision))`);
  const insert = raw.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)');
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) {
    for (const id of ids) {
      const { commandId } = benchEnvelope();
      insert.run(participantStreamId(id), round + 1, randomUUID(), 'EngagementRecorded', JSON.stringify(recordEngagement(id).data), JSON.stringify({ commandId }), new Date().toISOString(), '');
    }
  }
  const elapsed = seconds(started);
  raw.close();
  return elapsed;
}

/**
 * The write floor of the product's append, for reading the ratio: the same raw one-row commits, but into
 * the product's own schema (the events table with its type and recorded-at indexes) and with the stream
 * head row moved in the same transaction, as every append does. What is left between this and the
 * product is the work around the write (deciding, hashing, the append's checks), not the pages written.
 */
function rawCommitsIntoProductSchema(dir: string, synchronous: SynchronousMode, ids: readonly string[], rounds: number): number {
  const raw = new Database(join(dir, `raw-schema-${synchronous}.sqlite`));
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${synchronous}`);
  raw.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, schema_version INTEGER NOT NULL, recorded_at TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, revision));
    CREATE TABLE streams (stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, last_hash TEXT NOT NULL);
    CREATE INDEX events_type_position ON events (type, position);
    CREATE INDEX events_recorded_at ON events (recorded_at);`);
  const insert = raw.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)');
  const moveHead = raw.prepare('INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?) ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash');
  const commit = raw.transaction((id: string, round: number) => {
    const { commandId } = benchEnvelope();
    insert.run(participantStreamId(id), round + 1, randomUUID(), 'EngagementRecorded', JSON.stringify(recordEngagement(id).data), JSON.stringify({ commandId }), new Date().toISOString(), '');
    moveHead.run(participantStreamId(id), round + 1, '');
  });
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) for (const id of ids) commit(id, round);
  const elapsed = seconds(started);
  raw.close();
  return elapsed;
}

/**
 * 1. The full in-process command path on SQLite, sequential: read the stream, open the sealed
 * registration, fold, decide (validation included), append with the expected revision and the hash
 * chain — against raw one-row commits at the same `synchronous` setting.
 */
export async function sqliteCommandBenchmark(dir: string, synchronous: SynchronousMode, { participants, commandsPerParticipant }: CommandBenchOptions): Promise<BenchFigure> {
  const total = participants * commandsPerParticipant;
  const uncachedStore = await productStore(dir, synchronous, 'uncached');
  const uncachedSeconds = await engagements(uncachedStore, await registered(uncachedStore, participants), commandsPerParticipant);
  await uncachedStore.close();

  const store = await productStore(dir, synchronous, 'events');
  const cache = new StreamStateCache<ParticipantState>(PARTICIPANT_STATE_CACHE);
  const ids = await registered(store, participants);
  const fullSeconds = await engagements(store, ids, commandsPerParticipant, cache);
  const bytesPerStream = Math.round(ids.reduce((sum, id) => sum + v8Size(cache.get(participantStreamId(id))), 0) / ids.length);
  await store.close();
  const rawSeconds = rawOneRowCommits(dir, synchronous, ids, commandsPerParticipant);
  const productSchemaSeconds = rawCommitsIntoProductSchema(dir, synchronous, ids, commandsPerParticipant);
  return {
    name: `command throughput, SQLite synchronous=${synchronous}, sequential (RecordEngagement through handleParticipantCommand)`,
    commands: total,
    commandsPerSecond: round(total / fullSeconds),
    baseline: { name: `raw better-sqlite3 one-row commits, WAL, synchronous=${synchronous}`, rowsPerSecond: round(total / rawSeconds) },
    rateRatioToBaseline: round(rawSeconds / fullSeconds, 2),
    target: '≥ 0.5 × the raw one-row-commit rate',
    withoutStateCache: { commandsPerSecond: round(total / uncachedSeconds), rateRatioToBaseline: round(rawSeconds / uncachedSeconds, 2) },
    writeFloor: {
      name: 'the same raw one-row commits into the product schema (type and recorded-at indexes) with the stream head moved in the same transaction',
      rowsPerSecond: round(total / productSchemaSeconds),
      rateRatioToBaseline: round(rawSeconds / productSchemaSeconds, 2),
      productRateRatioToFloor: round(productSchemaSeconds / fullSeconds, 2),
    },
    stateCache: {
      streams: cache.size,
      maxStreams: PARTICIPANT_STATE_CACHE.maxStreams,
      serializedBytesPerStream: bytesPerStream,
      boundMiB: round((bytesPerStream * PARTICIPANT_STATE_CACHE.maxStreams) / 2 ** 20),
    },
  };
}
