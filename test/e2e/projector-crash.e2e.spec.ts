import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';
import { ProjectorProcess } from '../support/projector-process';
import { readSqliteFile } from '../support/sqlite-file';

import { PRODUCT_PROJECTION_NAMES } from '@ecf/projections';

/** Every projection plus the mentor-cascade policy. */
const CONSUMERS = PRODUCT_PROJECTION_NAMES.length + 1;

/**
 * The projector (a real child process) SIGKILLed at random moments while it builds its read models
 * from a log of thousands of events and while commands keep arriving, restarted each time: the read
 * models end up equal to a clean build of the same log.
 */
describe('Projector killed at random points of a build and of live processing', () => {
  let api: ApiProcess;
  const cleanDirs: string[] = [];

  afterAll(async () => {
    await api?.stop();
    for (const dir of cleanDirs) rmSync(dir, { recursive: true, force: true });
  });

  const checkpoints = (dataDir: string): { name: string; position: number }[] => {
    const file = join(dataDir, 'read-models.sqlite');
    if (!existsSync(file)) return [];
    const db = new Database(file, { readonly: true });
    try {
      const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'consumer_checkpoints'`).get() !== undefined;
      return hasTable ? (db.prepare(`SELECT name, position FROM consumer_checkpoints WHERE role = 'live'`).all() as { name: string; position: number }[]) : [];
    } finally {
      db.close();
    }
  };
  const head = (dataDir: string): number =>
    readSqliteFile(dataDir, 'events.sqlite', (db) => (db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events').get() as { head: number }).head);
  const caughtUp = (dataDir: string) => {
    const target = head(dataDir);
    const all = checkpoints(dataDir);
    return all.length === CONSUMERS && all.every((checkpoint) => checkpoint.position === target);
  };
  const dump = (dataDir: string): Record<string, unknown[]> =>
    readSqliteFile(dataDir, 'read-models.sqlite', (db) => {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'consumer_checkpoints' ORDER BY name`).pluck().all() as string[];
      return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3`).all()]));
    });

  it('ends with read models equal to a clean build', async () => {
    api = await ApiProcess.start({ RUN_PROJECTIONS: 'false', RATE_LIMIT_PER_MINUTE: '1000000' });
    const http = httpClient(api.baseUrl);
    const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    const system = await api.createKey('system');
    for (const urn of ['100001', '100002', '100003']) {
      await http('POST', '/schools', { key: lead, body: { urn, name: `School ${urn}`, region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } });
    }
    let trn = 9_400_000;
    const registerSome = async (count: number) => {
      const ids: string[] = [];
      await Promise.all(
        Array.from({ length: 4 }, async (_, worker) => {
          for (let index = worker; index < count; index += 4) {
            trn += 1;
            const body = { firstName: 'Pro', lastName: 'Jector', dateOfBirth: '1990-01-01', trn: String(trn), email: `${trn}@example.org`, schoolUrn: `10000${(index % 3) + 1}`, cohort: 2026 };
            const id = (await http<{ participantId: string }>('POST', index % 5 === 0 ? '/mentors' : '/ects', { key: lead, body })).body.participantId;
            await http('POST', `/participants/${id}/validation`, { key: system, body: { outcome: 'validated', reasons: [] } });
            if (index % 7 === 0) await http('POST', `/ects/${id}/withdrawal`, { key: lead, body: { withdrawalDate: isoDate(londonToday()), reason: 'moved-school' } });
            ids.push(id);
          }
        }),
      );
      return ids;
    };
    await registerSome(1400);
    expect(head(api.dataDir)).toBeGreaterThan(4000);

    // Kill the projector at random moments while it builds from scratch and while commands keep coming.
    let kills = 0;
    const positionsAtKill: { checkpoints: number[]; head: number }[] = [];
    const live = registerSome(120);
    let reached = 0;
    for (let round = 0; round < 6; round++) {
      const projector = ProjectorProcess.start(api.dataDir, { LOG_LEVEL: 'warn' });
      // Wait until this run has committed something, then kill it a random few milliseconds later.
      await eventually(async () => Math.min(...checkpoints(api.dataDir).map((checkpoint) => checkpoint.position), Number.MAX_SAFE_INTEGER), (least) => least > reached && least !== Number.MAX_SAFE_INTEGER, 30_000, 2);
      await new Promise((resolveLater) => setTimeout(resolveLater, Math.floor(Math.random() * 20)));
      await projector.kill();
      reached = Math.min(...checkpoints(api.dataDir).map((checkpoint) => checkpoint.position));
      kills += 1;
      positionsAtKill.push({ checkpoints: checkpoints(api.dataDir).map((checkpoint) => checkpoint.position), head: head(api.dataDir) });
    }
    await live;
    const survivor = ProjectorProcess.start(api.dataDir, { LOG_LEVEL: 'warn' });
    await eventually(async () => caughtUp(api.dataDir), Boolean, 60_000);
    await survivor.stop();

    // A clean build of the same log in a fresh directory.
    const clean = mkdtempSync(join(tmpdir(), 'ecf-clean-'));
    cleanDirs.push(clean);
    for (const file of ['events.sqlite', 'personal-data-keys.sqlite']) {
      const source = new Database(join(api.dataDir, file), { readonly: true });
      source.exec(`VACUUM INTO '${join(clean, file)}'`);
      source.close();
    }
    const builder = ProjectorProcess.start(clean, { LOG_LEVEL: 'warn' });
    await eventually(async () => caughtUp(clean), Boolean, 60_000);
    await builder.stop();

    expect(kills).toBe(6);
    // Most kills landed in the middle of the work: some consumer had committed part of the log, not all of it.
    expect(positionsAtKill.filter(({ checkpoints: at, head: then }) => at.some((position) => position > 0 && position < then)).length).toBeGreaterThanOrEqual(3);
    process.stdout.write(`projector kills (checkpoints vs head): ${JSON.stringify(positionsAtKill)}\n`);
    expect(dump(api.dataDir)).toEqual(dump(clean));
    expect(head(clean)).toBe(head(api.dataDir));
  }, 180_000);
});
