import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFiles, PersonalDataVault, PostgresApiKeyStore, SqliteApiKeyStore } from '@ecf/runtime';
import { PostgresTestDatabase } from '../../../../test/support/postgres-database';
import { migrateLocalToPostgresCommand } from './migrate-local-to-postgres.command';

const PARTICIPANT = '0b6f3c0e-1a2b-4c3d-8e4f-000000000001';

describe('ecf migrate-local-to-postgres', () => {
  let database: PostgresTestDatabase;
  let dataDir: string;
  let printed: string[];
  const run = (...args: string[]) => migrateLocalToPostgresCommand().parseAsync(['--data-dir', dataDir, '--database-url', database.url, ...args], { from: 'user' });

  beforeAll(async () => {
    // A database of its own: the command writes the fixed key schema (ecf_keys).
    database = await PostgresTestDatabase.create();
    dataDir = mkdtempSync(join(tmpdir(), 'ecf-move-'));
    const keys = SqliteApiKeyStore.open(dataFiles(dataDir).apiKeys);
    await keys.create({ name: 'Lead', role: 'auditor' }, '2026-11-23T10:00:00.000Z');
    await keys.create({ name: 'Feed', role: 'reporting' }, '2026-11-23T10:01:00.000Z');
    await keys.close();
    const vault = PersonalDataVault.sqlite(dataFiles(dataDir).personalDataKeys);
    await vault.seal([{ subjectId: PARTICIPANT, value: { firstName: 'Ada' } }]);
    await vault.close();
  });

  beforeEach(() => {
    printed = [];
    process.exitCode = undefined;
    jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  });

  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  afterAll(async () => {
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints what it moved and what stays behind', async () => {
    await run();
    const text = printed.join('\n');
    expect(text).toContain(`Moved keys from ${dataDir} to PostgreSQL (schema ecf_keys):`);
    expect(text).toMatch(/API keys\s+│ 2\s+│ 2\s+│ 0\s+│ 0\s+│ 0\s+│ 0/);
    expect(text).toMatch(/personal-data keys\s+│ 1\s+│ 1\s+│ 0/);
    expect(text).toMatch(/events\.sqlite: the event log is not moved/);
    expect(text).toContain('Server mode can now start with this DATA_DIR');
    expect(process.exitCode).toBeUndefined();
    const server = await PostgresApiKeyStore.open({ connectionString: database.url, poolSize: 1 });
    try {
      expect((await server.list()).map((key) => key.name)).toEqual(['Lead', 'Feed']);
    } finally {
      await server.close();
    }
  });

  it('run again, moves nothing and says so (JSON)', async () => {
    await run('--json');
    expect(JSON.parse(printed[0])).toMatchObject({
      dryRun: false,
      apiKeys: { found: 2, moved: 0, alreadyThere: 2, conflicts: [] },
      personalDataKeys: { found: 1, moved: 0, alreadyThere: 1, conflicts: [] },
    });
  });

  it('names a conflict, changes neither side, and exits 1', async () => {
    const server = await PersonalDataVault.postgres({ connectionString: database.url, poolSize: 1 });
    const other = '0b6f3c0e-1a2b-4c3d-8e4f-000000000002';
    await server.seal([{ subjectId: other, value: { firstName: 'Bo' } }]);
    await server.close();
    const local = PersonalDataVault.sqlite(dataFiles(dataDir).personalDataKeys);
    await local.seal([{ subjectId: other, value: { firstName: 'Bo' } }]);
    await local.close();
    await run('--dry-run');
    expect(printed.join('\n')).toContain(`Conflict: participant ${other} has another key in PostgreSQL; neither was changed`);
    expect(printed[0]).toMatch(/^Dry run, nothing written/);
    expect(process.exitCode).toBe(1);
  });
});
