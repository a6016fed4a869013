import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { handleParticipant, recordEngagement, register, validate } from './participant.mjs';

/**
 * `node emmett-peer.mjs [--commands 2000] [--participants 200] [--clients 16]`: the project's
 * one-event command (RecordEngagement on a registered, validated participant) through Emmett's
 * CommandHandler — read the stream, evolve, decide, append with the expected version — N times
 * sequentially on its SQLite store (a real file, WAL) and N times from 16 concurrent clients on its
 * PostgreSQL store (a fresh database on DATABASE_URL's server, created and dropped here).
 * Prints one JSON line of figures on stdout.
 */
const { values } = parseArgs({
  options: {
    commands: { type: 'string', default: '2000' },
    participants: { type: 'string', default: '200' },
    clients: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '100' },
    stores: { type: 'string', default: 'sqlite,postgresql' },
  },
});
const COMMANDS = Number(values.commands);
const PARTICIPANTS = Number(values.participants);
const CLIENTS = Number(values.clients);
const WARMUP = Number(values.warmup);
const STORES = values.stores.split(',');
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TODAY = new Date().toISOString().slice(0, 10);

const round = (value, digits = 1) => Number(value.toFixed(digits));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const versionOf = (name) => JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

/**
 * emmett-sqlite 0.42.4 on sqlite3 5.1.7 now and then fails a COMMIT with "SQLITE_BUSY: cannot commit
 * transaction - SQL statements in progress" (a RETURNING statement not yet finalised on the same
 * connection) even with one client. The transaction is rolled back, so the whole command is retried
 * through CommandHandler's own retry option, and each retry is counted in the figures.
 */
function sqliteBusyRetry() {
  const counter = { retries: 0 };
  const options = {
    retries: 10,
    minTimeout: 1,
    factor: 1,
    shouldRetryError: (error) => {
      if (error?.code !== 'SQLITE_BUSY') return false;
      counter.retries += 1;
      return true;
    },
  };
  return { counter, handleOptions: { retry: options } };
}

/** Registers and validates every participant through the same command handler (not measured). */
async function registerParticipants(store, clients, handleOptions) {
  const ids = Array.from({ length: PARTICIPANTS }, () => randomUUID());
  await inClients(ids.length, clients, async (index) => {
    await handleParticipant(store, ids[index], register(ids[index], index), handleOptions);
    await handleParticipant(store, ids[index], validate(ids[index]), handleOptions);
  });
  return ids;
}

/** Runs `count` jobs on `clients` concurrent loops; each loop takes the job indices ≡ its number (mod clients). */
async function inClients(count, clients, job) {
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let index = client; index < count; index += clients) await job(index, client);
    }),
  );
}

/**
 * `count` engagements from `clients` concurrent clients, each on participants of its own (as the
 * project's own benchmarks do), so no two commands race for one stream and none needs a retry.
 */
async function recordEngagements(store, ids, count, clients, handleOptions) {
  const owned = Array.from({ length: clients }, (_, client) => ids.filter((_, index) => index % clients === client));
  const sent = new Array(clients).fill(0);
  const latenciesMs = [];
  const started = process.hrtime.bigint();
  await inClients(count, clients, async (_, client) => {
    const participantId = owned[client][sent[client]++ % owned[client].length];
    const commandStarted = process.hrtime.bigint();
    await handleParticipant(store, participantId, recordEngagement({ participantId, kind: 'self-study', occurredOn: TODAY, today: TODAY }), handleOptions);
    latenciesMs.push(Number(process.hrtime.bigint() - commandStarted) / 1e6);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latenciesMs.sort((a, b) => a - b);
  return { commandsPerSecond: round(count / seconds), p50Ms: round(percentile(latenciesMs, 50), 2), p99Ms: round(percentile(latenciesMs, 99), 2), seconds: round(seconds, 2) };
}

/** Every acknowledged command must be in the log: counts the engagements read back through the store. */
async function storedEngagements(store, ids) {
  let count = 0;
  for (const id of ids) {
    const { events } = await store.readStream(`participant-${id}`);
    count += events.filter((event) => event.type === 'EngagementRecorded').length;
  }
  return count;
}

async function measure(store, clients, handleOptions = undefined) {
  const ids = await registerParticipants(store, clients, handleOptions);
  await recordEngagements(store, ids, WARMUP, clients, handleOptions);
  const figures = await recordEngagements(store, ids, COMMANDS, clients, handleOptions);
  const stored = await storedEngagements(store, ids);
  if (stored !== WARMUP + COMMANDS) throw new Error(`${WARMUP + COMMANDS} engagements acknowledged, ${stored} stored`);
  return { clients, ...figures, engagementsStored: stored };
}

function sqliteSynchronous(fileName) {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(fileName);
    db.get('PRAGMA synchronous', (error, row) => {
      db.close();
      if (error) reject(error);
      else resolve({ 0: 'OFF', 1: 'NORMAL', 2: 'FULL', 3: 'EXTRA' }[row.synchronous]);
    });
  });
}

async function onSqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'emmett-peer-'));
  try {
    const fileName = join(dir, 'events.sqlite');
    const busy = sqliteBusyRetry();
    // As Emmett's SQLite store is meant to be used: a file name; it opens a connection per operation.
    const figures = await measure(getSQLiteEventStore({ fileName }), 1, busy.handleOptions);
    return {
      ...figures,
      commandsRetriedAfterSqliteBusy: busy.counter.retries,
      file: 'temporary file, journal_mode=WAL (set by Emmett)',
      synchronous: await sqliteSynchronous(fileName),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withAdmin(work) {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function onPostgres() {
  const database = `emmett_peer_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const settings = await withAdmin(async (client) => {
    await client.query(`CREATE DATABASE ${database}`);
    const rows = (await client.query("SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'synchronous_commit', 'fsync')")).rows;
    return Object.fromEntries(rows.map((row) => [row.name, row.setting]));
  });
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  // One pooled connection per client, as 16 clients of the server would have.
  const pool = new pg.Pool({ connectionString: url.toString(), max: CLIENTS });
  const store = getPostgreSQLEventStore(url.toString(), { connectionOptions: { pool } });
  try {
    // Schema first, as Emmett's docs allow: left to the first command, 16 clients would each hold a
    // pooled connection in a session while the migration waits for one more.
    await store.schema.migrate();
    return { ...(await measure(store, CLIENTS)), server: settings };
  } finally {
    await store.close();
    await pool.end();
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

const report = {
  peer: 'Emmett CommandHandler',
  versions: {
    '@event-driven-io/emmett': versionOf('@event-driven-io/emmett'),
    '@event-driven-io/emmett-sqlite': versionOf('@event-driven-io/emmett-sqlite'),
    '@event-driven-io/emmett-postgresql': versionOf('@event-driven-io/emmett-postgresql'),
    sqlite3: versionOf('sqlite3'),
    pg: versionOf('pg'),
    node: process.version,
  },
  command: 'RecordEngagement on a registered, validated participant: aggregate stream, decide, append one event with the expected version',
  commands: COMMANDS,
  warmupCommands: WARMUP,
  participants: PARTICIPANTS,
  ...(STORES.includes('sqlite') ? { sqlite: await onSqlite() } : {}),
  ...(STORES.includes('postgresql') ? { postgresql: await onPostgres() } : {}),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
