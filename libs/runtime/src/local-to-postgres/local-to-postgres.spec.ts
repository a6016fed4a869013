import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertTestServerReachable, dropTestSchema, newTestSchemaName, queryTestSchema, testDatabaseUrl } from '@ecf/event-store/postgres/testing/test-database';
import { PostgresApiKeyStore } from '../api-keys/postgres-api-key-store';
import { SqliteApiKeyStore } from '../api-keys/sqlite-api-key-store';
import { dataFiles } from '../data-files';
import { PersonalDataVault } from '../personal-data/personal-data-vault';
import { assertLocalKeysMoved, LocalKeysNotMovedError, migrateLocalToPostgres } from './local-to-postgres';

const participant = (n: number) => `0b6f3c0e-1a2b-4c3d-8e4f-00000000000${n}`;
const details = (n: number) => ({ firstName: `P${n}`, lastName: 'Local', dateOfBirth: '1990-01-01', email: `p${n}@example.org` });
const T = '2026-11-23T10:00:00.000Z';

describe('ecf migrate-local-to-postgres: an embedded installation’s keys moved into PostgreSQL', () => {
  let dataDir: string;
  let schema: string;
  const target = () => ({ dataDir, databaseUrl: testDatabaseUrl(), schema });
  const tokens: string[] = [];
  const keyIds: string[] = [];
  const sealed: Record<string, unknown>[] = [];

  beforeAll(async () => {
    await assertTestServerReachable();
    dataDir = mkdtempSync(join(tmpdir(), 'ecf-local-'));
    schema = newTestSchemaName();
    // The embedded installation: three keys (one revoked), three participants (one erased).
    const keys = SqliteApiKeyStore.open(dataFiles(dataDir).apiKeys);
    for (const name of ['Lead', 'Feed', 'Old job']) {
      const { token, record } = await keys.create({ name, role: 'auditor' }, T);
      tokens.push(token);
      keyIds.push(record.keyId);
    }
    await keys.revoke(keyIds[2], '2026-11-23T11:00:00.000Z');
    await keys.close();
    const vault = PersonalDataVault.sqlite(dataFiles(dataDir).personalDataKeys);
    sealed.push(...(await vault.seal([0, 1, 2].map((n) => ({ subjectId: participant(n), value: details(n) })))));
    await vault.destroy(participant(2), '2026-11-23T12:00:00.000Z');
    await vault.close();
  });

  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropTestSchema(schema);
  });

  const openServer = async () => ({
    keys: await PostgresApiKeyStore.open({ connectionString: testDatabaseUrl(), schema, poolSize: 1 }),
    vault: await PersonalDataVault.postgres({ connectionString: testDatabaseUrl(), schema, poolSize: 1 }),
  });

  it('server mode refuses to open its key stores while DATA_DIR holds keys PostgreSQL lacks, and says what to run', async () => {
    await expect(assertLocalKeysMoved(target(), 'apiKeys')).rejects.toThrow(LocalKeysNotMovedError);
    await expect(assertLocalKeysMoved(target(), 'personalDataKeys')).rejects.toThrow(/3 to move.*ecf migrate-local-to-postgres/);
    // Without the files (a new host; DATA_DIR absent) there is nothing to check.
    await expect(assertLocalKeysMoved({ ...target(), dataDir: join(dataDir, 'absent') }, 'apiKeys')).resolves.toBeUndefined();
  });

  it('a dry run reports what it would move and writes nothing', async () => {
    const report = await migrateLocalToPostgres({ ...target(), dryRun: true });
    expect(report).toMatchObject({
      dryRun: true,
      apiKeys: { found: 3, moved: 3, alreadyThere: 0, carriedOver: 0, keptRevokedOrErased: 0, conflicts: [] },
      personalDataKeys: { found: 3, moved: 3, alreadyThere: 0, conflicts: [] },
    });
    expect(await queryTestSchema(schema, 'SELECT * FROM api_keys')).toEqual([]);
    expect(await queryTestSchema(schema, 'SELECT * FROM participant_keys')).toEqual([]);
  });

  it('moves every key, revocations and erasures included; the moved keys authenticate and open in PostgreSQL', async () => {
    const report = await migrateLocalToPostgres(target());
    expect(report.apiKeys).toMatchObject({ found: 3, moved: 3, conflicts: [] });
    expect(report.personalDataKeys).toMatchObject({ found: 3, moved: 3, conflicts: [] });
    expect(report.notMoved.join('\n')).toMatch(/events\.sqlite: the event log is not moved[\s\S]*read-models\.sqlite: read models are never moved/);

    const { keys, vault } = await openServer();
    try {
      expect(await keys.authenticate(tokens[0])).toMatchObject({ name: 'Lead' });
      expect(await keys.authenticate(tokens[2])).toBeNull();
      expect(await vault.open(sealed.map((value, n) => ({ subjectId: participant(n), value })))).toEqual([details(0), details(1), null]);
      await expect(vault.seal([{ subjectId: participant(2), value: details(2) }])).rejects.toThrow(/erased/);
    } finally {
      await keys.close();
      await vault.close();
    }
    await expect(assertLocalKeysMoved(target(), 'apiKeys')).resolves.toBeUndefined();
    await expect(assertLocalKeysMoved(target(), 'personalDataKeys')).resolves.toBeUndefined();
  });

  it('run again, it moves nothing', async () => {
    const report = await migrateLocalToPostgres(target());
    expect(report.apiKeys).toEqual({ found: 3, moved: 0, alreadyThere: 3, carriedOver: 0, keptRevokedOrErased: 0, conflicts: [] });
    expect(report.personalDataKeys).toEqual({ found: 3, moved: 0, alreadyThere: 3, carriedOver: 0, keptRevokedOrErased: 0, conflicts: [] });
  });

  it('a revocation or erasure made on either side stands on both; a key held on both sides with other contents is a conflict, left alone', async () => {
    // Locally after the move: key 1 revoked, participant 1 erased; in PostgreSQL: key 0 revoked, participant 0 erased.
    const local = SqliteApiKeyStore.open(dataFiles(dataDir).apiKeys);
    const localVault = PersonalDataVault.sqlite(dataFiles(dataDir).personalDataKeys);
    const { keys, vault } = await openServer();
    try {
      await local.revoke(keyIds[1], '2026-11-24T10:00:00.000Z');
      await localVault.destroy(participant(1), '2026-11-24T10:00:00.000Z');
      await keys.revoke(keyIds[0], '2026-11-24T10:00:00.000Z');
      await vault.destroy(participant(0), '2026-11-24T10:00:00.000Z');
      // A participant sealed on both sides separately: two keys, one of them wrong for their events.
      await localVault.seal([{ subjectId: participant(3), value: details(3) }]);
      await vault.seal([{ subjectId: participant(3), value: details(3) }]);

      await expect(assertLocalKeysMoved(target(), 'personalDataKeys')).rejects.toThrow(/1 revocations or erasures to carry over, 1 conflicts/);
      const report = await migrateLocalToPostgres(target());
      expect(report.apiKeys).toEqual({ found: 3, moved: 0, alreadyThere: 1, carriedOver: 1, keptRevokedOrErased: 1, conflicts: [] });
      expect(report.personalDataKeys).toEqual({ found: 4, moved: 0, alreadyThere: 1, carriedOver: 1, keptRevokedOrErased: 1, conflicts: [participant(3)] });

      expect(await keys.authenticate(tokens[1])).toBeNull();
      expect(await vault.isDestroyed(participant(1))).toBe(true);
      expect(await vault.isDestroyed(participant(0))).toBe(true);
      // The conflicting key was not overwritten: PostgreSQL's own sealing still opens.
      const mine = await vault.seal([{ subjectId: participant(3), value: details(3) }]);
      expect(await vault.open([{ subjectId: participant(3), value: mine[0] }])).toEqual([details(3)]);
    } finally {
      await local.close();
      await localVault.close();
      await keys.close();
      await vault.close();
    }
  });
});
