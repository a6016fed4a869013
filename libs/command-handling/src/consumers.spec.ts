import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ParticipantEvent, participantStreamId } from '@ecf/domain';
import {
  ctx,
  CURRICULUM,
  dataValidationPassed,
  ectRegistered,
  MENTOR_ID,
  mentorMatched,
  mentorRegistered,
  OTHER_ECT_ID,
  participantDeferred,
  PAYMENT_SCHEDULES,
} from '@ecf/domain/testing';
import { SqliteEventStore } from '@ecf/event-store';
import {
  Checkpoints,
  CONSUMER_LEASES_TABLE,
  generationTable,
  PostgresReadModelDatabase,
  productProjections,
  ReadModelDatabase,
  SqliteReadModelDatabase,
  SqlSession,
  SqlValue,
} from '@ecf/projections';
import { READ_MODEL_KINDS, ReadModelKind, TEST_DATABASE_URL } from '@ecf/projections/testing/read-model-databases';
import { Consumers, PRODUCT_CONSUMER_NAMES } from './consumers';
import { mentorCascadePolicy } from './policies/mentor-cascade.policy';

const calendar = { curriculum: CURRICULUM, paymentSchedules: PAYMENT_SCHEDULES };
const TTL_MS = 1000;

/**
 * A process's read-model connections that can be frozen, as SIGSTOP freezes a process: while frozen,
 * nothing it asks of the database starts (its heartbeat's renewal, its next batch), and everything it
 * asked meanwhile runs when it thaws, against whatever the database holds by then.
 */
class FreezableDatabase implements ReadModelDatabase {
  private frozen: Promise<void> | null = null;
  private thawGate: () => void = () => undefined;
  /** Write transactions still to fail, as when the server ends the connection under them. */
  failingTransactions = 0;

  constructor(private readonly db: ReadModelDatabase) {}

  get dialect() {
    return this.db.dialect;
  }

  freeze(): void {
    this.frozen = new Promise((resolve) => (this.thawGate = resolve));
  }

  thaw(): void {
    this.frozen = null;
    this.thawGate();
  }

  private async whenThawed(): Promise<void> {
    while (this.frozen) await this.frozen;
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    await this.whenThawed();
    return this.db.run(sql, params);
  }
  async get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    await this.whenThawed();
    return this.db.get<Row>(sql, params);
  }
  async all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    await this.whenThawed();
    return this.db.all<Row>(sql, params);
  }
  async allValues<Values extends readonly SqlValue[]>(sql: string, params?: readonly SqlValue[]): Promise<Values[]> {
    await this.whenThawed();
    return this.db.allValues<Values>(sql, params);
  }
  async exec(ddl: string): Promise<void> {
    await this.whenThawed();
    return this.db.exec(ddl);
  }
  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    await this.whenThawed();
    if (this.failingTransactions > 0) {
      this.failingTransactions -= 1;
      throw new Error('Connection terminated unexpectedly');
    }
    return this.db.transaction(work);
  }
  close(): Promise<void> {
    return this.db.close();
  }
}

interface Logged {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly details: object;
}

/** One projector process: its own connections to the shared log and read models, its own consumers. */
interface Process {
  readonly store: SqliteEventStore;
  readonly db: FreezableDatabase;
  readonly consumers: Consumers;
  readonly logs: Logged[];
}

let dir: string;
let pgSchemas: string[] = [];
const opened: Process[] = [];

async function openReadModels(kind: ReadModelKind, name: string): Promise<ReadModelDatabase> {
  if (kind === 'sqlite') return SqliteReadModelDatabase.open(join(dir, `${name}.sqlite`));
  const schema = `test_lease_${name}_${dir.slice(-6).replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
  if (!pgSchemas.includes(schema)) pgSchemas.push(schema);
  return PostgresReadModelDatabase.open({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
}

async function startProcess(kind: ReadModelKind, owner: string, readModels = 'shared'): Promise<Process> {
  const logs: Logged[] = [];
  const store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
  const db = new FreezableDatabase(await openReadModels(kind, readModels));
  const log = (level: Logged['level']) => (details: object, message: string) => logs.push({ level, details, message });
  const consumers = new Consumers(store, db, () => ctx, calendar, {
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    lease: { ttlMs: TTL_MS, owner },
  });
  const process: Process = { store, db, consumers, logs };
  opened.push(process);
  await consumers.start();
  return process;
}

async function stopProcess(process: Process): Promise<void> {
  opened.splice(opened.indexOf(process), 1);
  process.db.thaw();
  await process.consumers.stop();
  await process.store.close();
  await process.db.close();
}

let commandCounter = 0;
async function append(store: SqliteEventStore, events: ParticipantEvent[]): Promise<void> {
  for (const event of events) {
    const commandId = randomUUID();
    await store.appendToStream(
      participantStreamId(event.data.participantId),
      [{ eventId: commandId, type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { commandId, correlationId: commandId, causationId: commandId, actor: { id: `test-${++commandCounter}`, role: 'ecf-lead' }, schemaVersion: 1 } }],
      { expectedRevision: 'any' },
    );
  }
}

/** Every row of every consumer's live tables and the policy's facts, as text, in a stable order. */
async function readModelContents(db: ReadModelDatabase): Promise<Record<string, string[]>> {
  const checkpoints = new Checkpoints(db);
  const contents: Record<string, string[]> = {};
  const tables: string[] = [...mentorCascadePolicy.tables];
  for (const projection of productProjections(calendar)) {
    const live = await checkpoints.of(projection.name, 'live');
    tables.push(...projection.tables.map((logical) => generationTable(live!.generation)(logical)));
  }
  for (const table of tables) contents[table.replace(/_g\d+$/, '')] = (await db.all<object>(`SELECT * FROM ${table}`)).map((row) => JSON.stringify(row)).sort();
  return contents;
}

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> => {
  const began = Date.now();
  while (!(await condition())) {
    if (Date.now() - began > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - began;
};

const mentorDeferrals = async (store: SqliteEventStore) => (await store.readStream(participantStreamId(MENTOR_ID))).filter((event) => event.type === 'ParticipantDeferred');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecf-consumers-'));
  pgSchemas = [];
});

afterEach(async () => {
  for (const process of [...opened]) await stopProcess(process);
  if (pgSchemas.length > 0) {
    const admin = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    for (const schema of pgSchemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe.each(READ_MODEL_KINDS)('Consumers in several projector processes, read models on %s (one owner per consumer, a standby takes over)', (kind) => {
  it('runs every consumer in the first process only; the second stands by and still waits for the owner to catch up', async () => {
    const p1 = await startProcess(kind, 'p1');
    const p2 = await startProcess(kind, 'p2');
    expect(p1.consumers.running).toEqual(PRODUCT_CONSUMER_NAMES);
    expect(p2.consumers.running).toEqual([]);

    await append(p1.store, [ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID), mentorMatched(), participantDeferred()]);
    await p2.consumers.waitUntilCaughtUp();
    expect(await mentorDeferrals(p1.store)).toHaveLength(1);
    expect((await p2.consumers.leaseRows()).map((lease) => lease.owner)).toEqual(PRODUCT_CONSUMER_NAMES.map(() => 'p1'));
    expect([...p1.logs, ...p2.logs].filter((log) => log.level !== 'info')).toEqual([]);
  });

  it('a clean stop releases the leases: the standby takes every consumer over at its next heartbeat and carries on from the checkpoints', async () => {
    const p1 = await startProcess(kind, 'p1');
    const p2 = await startProcess(kind, 'p2');
    await append(p1.store, [ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID), mentorMatched()]);
    await p1.consumers.waitUntilCaughtUp();

    await stopProcess(p1);
    const takeoverMs = await until(() => p2.consumers.running.length === PRODUCT_CONSUMER_NAMES.length, 3 * TTL_MS);
    expect(takeoverMs).toBeLessThan(TTL_MS);
    await append(p2.store, [participantDeferred()]);
    await p2.consumers.waitUntilCaughtUp();
    await p2.consumers.waitUntilCaughtUp();
    expect(await mentorDeferrals(p2.store)).toHaveLength(1);
    expect((await p2.consumers.statuses()).map((status) => [status.name, status.status])).toEqual(PRODUCT_CONSUMER_NAMES.map((name) => [name, 'running']).sort());
  });

  it('an owner frozen past its lease is replaced; when it thaws, its pending writes are refused, it stands by, and nothing is applied twice', async () => {
    const p1 = await startProcess(kind, 'p1');
    const p2 = await startProcess(kind, 'p2');
    await append(p1.store, [ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID), mentorMatched()]);
    await p1.consumers.waitUntilCaughtUp();

    // Frozen with events still to handle: its subscriptions read them and wait to write.
    p1.db.freeze();
    await append(p1.store, [participantDeferred(), ectRegistered({ participantId: OTHER_ECT_ID, trn: '2223334' })]);
    const takeoverMs = await until(() => p2.consumers.running.length === PRODUCT_CONSUMER_NAMES.length, 4 * TTL_MS);
    expect(takeoverMs).toBeGreaterThanOrEqual(TTL_MS / 2);
    await p2.consumers.waitUntilCaughtUp();
    await p2.consumers.waitUntilCaughtUp();

    p1.db.thaw();
    await until(() => p1.consumers.running.length === 0, 3 * TTL_MS);
    const leases = await p2.consumers.leaseRows();
    expect(leases.map((lease) => [lease.owner, lease.epoch])).toEqual(PRODUCT_CONSUMER_NAMES.map(() => ['p2', 2]));
    expect(p1.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'consumer lease lost to another process; stopped here, standing by' }));
    expect(p1.logs.filter((log) => log.level === 'error')).toEqual([]);

    // The cascade was issued once, and the read models equal a build from scratch by a third process.
    expect(await mentorDeferrals(p2.store)).toHaveLength(1);
    const fresh = await startProcess(kind, 'fresh', 'fresh');
    await fresh.consumers.waitUntilCaughtUp();
    expect(await readModelContents(p2.db)).toEqual(await readModelContents(fresh.db));
    expect((await p2.consumers.statuses()).every((status) => status.status === 'running')).toBe(true);
  });

  it('a consumer stopped by a failed transaction is started again from its checkpoint at the next heartbeat, keeping its lease', async () => {
    const p1 = await startProcess(kind, 'p1');
    await append(p1.store, [ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID), mentorMatched()]);
    await p1.consumers.waitUntilCaughtUp();

    p1.db.failingTransactions = 1;
    await append(p1.store, [participantDeferred()]);
    await until(async () => (await p1.consumers.statuses()).some((status) => status.status === 'failed'), 3 * TTL_MS);
    await until(async () => (await p1.consumers.statuses()).every((status) => status.status === 'running'), 3 * TTL_MS);
    await p1.consumers.waitUntilCaughtUp();
    await p1.consumers.waitUntilCaughtUp();

    expect(await mentorDeferrals(p1.store)).toHaveLength(1);
    expect(p1.consumers.running).toEqual(PRODUCT_CONSUMER_NAMES);
    expect(p1.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'consumer had stopped on an error; starting it again from its checkpoint' }));
    const fresh = await startProcess(kind, 'fresh', 'fresh');
    await fresh.consumers.waitUntilCaughtUp();
    expect(await readModelContents(p1.db)).toEqual(await readModelContents(fresh.db));
  });

  it('a process restarted after its owner died on this host takes the leases at once on SQLite, and after they expire on PostgreSQL', async () => {
    const p1 = await startProcess(kind, 'p1');
    await append(p1.store, [ectRegistered(), dataValidationPassed()]);
    await p1.consumers.waitUntilCaughtUp();
    // A process of this host that no longer exists: the lease rows name it as owner, unexpired.
    const deadPid = 2 ** 22 + 7;
    const deadOwner = `${hostname()}:${deadPid}:dead0000`;
    await stopProcess(p1);
    const db = await openReadModels(kind, 'shared');
    await db.run(`UPDATE ${CONSUMER_LEASES_TABLE} SET owner = ?, expires_at = ?`, [deadOwner, Date.now() + 600_000]);
    await db.close();

    const restarted = await startProcess(kind, 'restarted');
    expect(restarted.consumers.running).toEqual(kind === 'sqlite' ? PRODUCT_CONSUMER_NAMES : []);
  });
});
