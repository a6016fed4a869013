import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertTestServerReachable, dropTestSchema, newTestSchemaName, queryTestSchema, testDatabaseUrl } from '@ecf/event-store/postgres/testing/test-database';
import { parseToken } from './api-key';
import { ApiKeyStore } from './api-key-store';
import { PostgresApiKeyStore } from './postgres-api-key-store';
import { SqliteApiKeyStore } from './sqlite-api-key-store';

/** One kind of store: how to open it (twice over the same data: two processes, or two hosts) and read its rows raw. */
interface Kind {
  readonly name: string;
  setUp(): Promise<void>;
  open(): Promise<ApiKeyStore>;
  rawRows(): Promise<unknown[]>;
  tearDown(): Promise<void>;
}

const sqlite = (): Kind => {
  let dir = '';
  return {
    name: 'SQLite file (embedded)',
    setUp: async () => {
      dir = mkdtempSync(join(tmpdir(), 'ecf-keys-'));
    },
    open: async () => SqliteApiKeyStore.open(join(dir, 'api-keys.sqlite')),
    rawRows: async () => {
      const raw = new Database(join(dir, 'api-keys.sqlite'), { readonly: true });
      try {
        return raw.prepare('SELECT * FROM api_keys').all();
      } finally {
        raw.close();
      }
    },
    tearDown: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

const postgres = (): Kind => {
  let schema = '';
  return {
    name: 'PostgreSQL (server mode)',
    setUp: async () => {
      schema = newTestSchemaName();
    },
    open: () => PostgresApiKeyStore.open({ connectionString: testDatabaseUrl(), schema, poolSize: 2 }),
    rawRows: () => queryTestSchema(schema, 'SELECT * FROM api_keys'),
    tearDown: () => dropTestSchema(schema),
  };
};

describe.each([sqlite(), postgres()])('API keys (hashed at rest, shown once, revocable): $name', (kind) => {
  let store: ApiKeyStore;
  beforeAll(async () => {
    if (kind.name.startsWith('PostgreSQL')) await assertTestServerReachable();
  });
  beforeEach(async () => {
    await kind.setUp();
    store = await kind.open();
  });
  afterEach(async () => {
    await store.close();
    await kind.tearDown();
  });

  it('keeps only a hash of the secret in the store', async () => {
    const { token, record } = await store.create({ name: 'Lee Lead', role: 'ecf-lead', deliveryPartnerId: 'dp-north' }, '2026-11-23T10:00:00.000Z');
    const secret = parseToken(token)?.secret as string;
    expect(secret).toHaveLength(43);
    const rows = JSON.stringify(await kind.rawRows());
    expect(rows).not.toContain(secret);
    expect(rows).toContain(record.keyId);
  });

  it('authenticates the exact token only, with its role and scope', async () => {
    const { token, record } = await store.create({ name: 'Tariq', role: 'induction-tutor', schoolUrns: ['123456'] }, '2026-11-23T10:00:00.000Z');
    expect(await store.authenticate(token)).toMatchObject({ keyId: record.keyId, role: 'induction-tutor', schoolUrns: ['123456'] });
    const tampered = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    expect(await store.authenticate(tampered)).toBeNull();
    expect(await store.authenticate('not-a-key')).toBeNull();
  });

  it('refuses a revoked key, and revoking twice reports nothing to do', async () => {
    const { token, record } = await store.create({ name: 'Old job', role: 'reporting' }, '2026-11-23T10:00:00.000Z');
    expect(await store.revoke(record.keyId, '2026-11-23T11:00:00.000Z')).toBe(true);
    expect(await store.authenticate(token)).toBeNull();
    expect(await store.revoke(record.keyId, '2026-11-23T12:00:00.000Z')).toBe(false);
    expect(await store.find(record.keyId)).toMatchObject({ revokedAt: '2026-11-23T11:00:00.000Z', createdAt: '2026-11-23T10:00:00.000Z' });
  });

  it('tells a principal authenticated earlier that its key was revoked, or its role or scope changed since', async () => {
    const { token, record } = await store.create({ name: 'Feed job', role: 'reporting' }, '2026-11-23T10:00:00.000Z');
    const principal = (await store.authenticate(token))!;
    expect(await store.isCurrent(principal)).toBe(true);
    expect(await store.isCurrent({ ...principal, role: 'auditor' })).toBe(false);
    expect(await store.isCurrent({ ...principal, schoolUrns: ['123456'] })).toBe(false);
    expect(await store.isCurrent({ ...principal, deliveryPartnerId: 'dp-north' })).toBe(false);
    expect(await store.isCurrent({ ...principal, keyId: '0000000000000000' })).toBe(false);
    await store.revoke(record.keyId, '2026-11-23T11:00:00.000Z');
    expect(await store.isCurrent(principal)).toBe(false);
  });

  it('a key created through one connection authenticates through another, and a revocation there holds here at once (the CLI beside the API; another host)', async () => {
    const other = await kind.open();
    try {
      const { token, record } = await other.create({ name: 'Feed job', role: 'reporting' }, '2026-11-23T10:00:00.000Z');
      const principal = await store.authenticate(token);
      expect(principal).toMatchObject({ keyId: record.keyId });
      expect(await other.revoke(record.keyId, '2026-11-23T11:00:00.000Z')).toBe(true);
      expect(await store.isCurrent(principal!)).toBe(false);
      expect(await store.authenticate(token)).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('lists every key, revoked ones included, without their secrets', async () => {
    const first = await store.create({ name: 'A', role: 'auditor' }, '2026-11-23T10:00:00.000Z');
    const second = await store.create({ name: 'B', role: 'dpl' }, '2026-11-23T10:01:00.000Z');
    await store.revoke(first.record.keyId, '2026-11-23T11:00:00.000Z');
    const listed = await store.list();
    expect(listed.map((record) => [record.keyId, record.revokedAt])).toEqual([
      [first.record.keyId, '2026-11-23T11:00:00.000Z'],
      [second.record.keyId, null],
    ]);
    expect(JSON.stringify(listed)).not.toContain(parseToken(first.token)!.secret);
  });
});
