import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openStorageAdapter, StoreConfig } from '@ecf/runtime';
import { PostgresTestDatabase } from '../support/postgres-database';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'ecf.js');
const PARTICIPANTS = 150;
const SEED = 11;

type StoreKind = 'sqlite' | 'postgres';

/** One store for a seed run: a data directory, and on PostgreSQL a database of its own. */
async function storeFor(kind: StoreKind): Promise<{ env: Record<string, string>; config: StoreConfig; dispose: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecf-seed-'));
  const database = kind === 'postgres' ? await PostgresTestDatabase.create() : null;
  const env = { DATA_DIR: dataDir, EVENT_STORE: kind, READ_MODEL_STORE: kind, ...(database ? { DATABASE_URL: database.url } : {}) };
  return {
    env,
    config: { eventStore: kind, dataDir, databaseUrl: database?.url ?? null, esdbConnectionString: null },
    dispose: async () => {
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const seed = (env: Record<string, string>, ...args: string[]) =>
  promisify(execFile)(process.execPath, [CLI, 'seed', ...args], { env: { ...process.env, ...env }, cwd: ROOT, maxBuffer: 16 * 2 ** 20 });

/** Every stream's events as (type, command) pairs: what a seed decided, whatever the interleaving of streams in `$all`. */
async function streamsOf(config: StoreConfig): Promise<Map<string, string[]>> {
  const store = await openStorageAdapter(config);
  try {
    const streams = new Map<string, string[]>();
    for (let after = 0; ; ) {
      const batch = await store.readAll({ after, maxCount: 2000 });
      if (batch.length === 0) return streams;
      for (const event of batch) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), `${event.revision}:${event.type}:${event.metadata.commandId}`]);
      after = batch[batch.length - 1].position;
    }
  } finally {
    await store.close();
  }
}

const killWhenProgressPasses = (child: ChildProcess, progressFile: string, actions: number): Promise<number> =>
  new Promise((resolveKill, reject) => {
    const timer = setInterval(() => {
      if (!existsSync(progressFile)) return;
      const { nextAction } = JSON.parse(readFileSync(progressFile, 'utf8')) as { nextAction: number };
      if (nextAction < actions) return;
      clearInterval(timer);
      child.kill('SIGKILL');
      resolveKill(nextAction);
    }, 20);
    child.on('exit', () => {
      clearInterval(timer);
      reject(new Error('the seed finished before it could be interrupted'));
    });
  });

describe.each<StoreKind>(['sqlite', 'postgres'])('ecf seed on %s', (kind) => {
  const disposals: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const dispose of disposals) await dispose();
  });

  it('drives the command path deterministically, and a seed killed part-way resumes to the same history', async () => {
    const whole = await storeFor(kind);
    const interrupted = await storeFor(kind);
    disposals.push(whole.dispose, interrupted.dispose);

    const { stdout } = await seed(whole.env, '--participants', String(PARTICIPANTS), '--seed', String(SEED), '--json');
    const summary = JSON.parse(stdout) as { actions: number; written: number; replayed: number; rejected: Record<string, number>; schools: number; headPosition: number };
    expect(summary.schools).toBe(5);
    expect(summary.replayed).toBe(0);
    const rejectedCount = Object.values(summary.rejected).reduce((sum, count) => sum + count, 0);
    expect(summary.written + rejectedCount).toBe(summary.actions);
    // A realistic history is mostly accepted: refusals are the odd late record after a cascaded withdrawal.
    expect(rejectedCount).toBeLessThan(summary.actions * 0.02);

    const child = spawn(process.execPath, [CLI, 'seed', '--participants', String(PARTICIPANTS), '--seed', String(SEED)], { env: { ...process.env, ...interrupted.env }, cwd: ROOT });
    const killedAt = await killWhenProgressPasses(child, join(interrupted.env.DATA_DIR, 'seed-progress.json'), Math.floor(summary.actions / 2));
    expect(killedAt).toBeLessThan(summary.actions);
    const resumed = JSON.parse((await seed(interrupted.env, '--participants', String(PARTICIPANTS), '--seed', String(SEED), '--json')).stdout) as typeof summary;
    expect(resumed.rejected).toEqual(summary.rejected);

    const [expected, actual] = [await streamsOf(whole.config), await streamsOf(interrupted.config)];
    expect(actual.size).toBe(expected.size);
    for (const [stream, events] of expected) expect({ stream, events: actual.get(stream) }).toEqual({ stream, events });
    const types = new Set([...expected.values()].flat().map((event) => event.split(':')[1]));
    for (const type of ['SchoolPartnershipRegistered', 'TrnClaimed', 'ECTRegistered', 'MentorRegistered', 'InductionTutorRegistered', 'MentorMatched', 'EngagementRecorded', 'ModuleAccessRecorded', 'ParticipantDeferred', 'ParticipantWithdrawn']) {
      expect(types).toContain(type);
    }

    const verify = await promisify(execFile)(process.execPath, [CLI, 'verify', '--json'], { env: { ...process.env, ...interrupted.env }, cwd: ROOT, maxBuffer: 64 * 2 ** 20 });
    expect(JSON.parse(verify.stdout)).toMatchObject({ findings: [], eventsChecked: [...actual.values()].flat().length });
  }, 240_000);

  it('refuses to resume with different options', async () => {
    const store = await storeFor(kind);
    disposals.push(store.dispose);
    await seed(store.env, '--participants', '20', '--seed', '1');
    await expect(seed(store.env, '--participants', '30', '--seed', '1')).rejects.toMatchObject({ stderr: expect.stringContaining('seeded with --participants 20 --seed 1') });
  }, 120_000);
});
