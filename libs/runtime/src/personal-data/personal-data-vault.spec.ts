import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertTestServerReachable, dropTestSchema, newTestSchemaName, queryTestSchema, testDatabaseUrl } from '@ecf/event-store/postgres/testing/test-database';
import { PersonalDataVault } from './personal-data-vault';

const ALICE = '0b6f3c0e-1a2b-4c3d-8e4f-000000000001';
const BOB = '0b6f3c0e-1a2b-4c3d-8e4f-000000000002';
const details = { firstName: 'Alice', lastName: 'Example', dateOfBirth: '1990-01-01', email: 'alice@example.org' };

const one = async (vault: PersonalDataVault, subjectId: string, value: Record<string, unknown>) => (await vault.seal([{ subjectId, value }]))[0];
const opened = async (vault: PersonalDataVault, subjectId: string, value: Record<string, unknown>) => (await vault.open([{ subjectId, value }]))[0];

/** One kind of key store: how to open a vault on it (twice over the same keys: two processes, or two hosts). */
interface Kind {
  readonly name: string;
  setUp(): Promise<void>;
  open(): Promise<PersonalDataVault>;
  tearDown(): Promise<void>;
}

const sqlite = (): Kind => {
  let dir = '';
  return {
    name: 'SQLite file (embedded)',
    setUp: async () => {
      dir = mkdtempSync(join(tmpdir(), 'ecf-vault-'));
    },
    open: async () => PersonalDataVault.sqlite(join(dir, 'personal-data-keys.sqlite')),
    tearDown: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

let schema = '';
const postgres = (): Kind => ({
  name: 'PostgreSQL (server mode)',
  setUp: async () => {
    schema = newTestSchemaName();
  },
  open: () => PersonalDataVault.postgres({ connectionString: testDatabaseUrl(), schema, poolSize: 2 }),
  tearDown: () => dropTestSchema(schema),
});

describe.each([sqlite(), postgres()])('PersonalDataVault (a key per participant, AES-256-GCM): $name', (kind) => {
  let vault: PersonalDataVault;
  beforeAll(async () => {
    if (kind.name.startsWith('PostgreSQL')) await assertTestServerReachable();
  });
  beforeEach(async () => {
    await kind.setUp();
    vault = await kind.open();
  });
  afterEach(async () => {
    await vault.close();
    await kind.tearDown();
  });

  it('seals without the clear text and opens back to the same details', async () => {
    const sealed = await one(vault, ALICE, details);
    expect(JSON.stringify(sealed)).not.toContain('Alice');
    expect(await opened(vault, ALICE, sealed)).toEqual(details);
  });

  it('uses a fresh IV each time', async () => expect(await one(vault, ALICE, details)).not.toEqual(await one(vault, ALICE, details)));

  it('does not open one participant’s details as another’s (the id is bound in)', async () => {
    const sealed = await one(vault, ALICE, details);
    await one(vault, BOB, details);
    await expect(opened(vault, BOB, sealed)).rejects.toThrow();
  });

  it('detects a tampered ciphertext', async () => {
    const sealed = (await one(vault, ALICE, details)) as { sealed: { ciphertext: string } };
    const bytes = Buffer.from(sealed.sealed.ciphertext, 'base64');
    bytes[0] ^= 1;
    await expect(opened(vault, ALICE, { sealed: { ...sealed.sealed, ciphertext: bytes.toString('base64') } })).rejects.toThrow();
  });

  it('seals and opens a batch of several participants, in order, with one key each', async () => {
    const bob = { ...details, firstName: 'Bob' };
    const sealed = await vault.seal([
      { subjectId: ALICE, value: details },
      { subjectId: BOB, value: bob },
      { subjectId: ALICE, value: details },
    ]);
    expect(await vault.open(sealed.map((value, index) => ({ subjectId: [ALICE, BOB, ALICE][index], value })))).toEqual([details, bob, details]);
  });

  it('erasure: once the key is destroyed the details read as null, and nothing personal can be sealed for them again', async () => {
    const sealed = await one(vault, ALICE, details);
    await vault.destroy(ALICE, '2026-11-23T10:00:00.000Z');
    expect(await opened(vault, ALICE, sealed)).toBeNull();
    expect(await vault.isDestroyed(ALICE)).toBe(true);
    await expect(one(vault, ALICE, details)).rejects.toThrow(/erased/);
    await vault.destroy(ALICE, '2026-11-24T10:00:00.000Z');
    expect(await vault.isDestroyed(ALICE)).toBe(true);
  });

  it('erasure through another connection (another process, another host) holds here from the next read: no key is cached', async () => {
    const other = await kind.open();
    try {
      const sealed = await one(other, ALICE, details);
      expect(await opened(vault, ALICE, sealed)).toEqual(details);
      await other.destroy(ALICE, '2026-11-23T10:00:00.000Z');
      expect(await opened(vault, ALICE, sealed)).toBeNull();
      await expect(one(vault, ALICE, details)).rejects.toThrow(/erased/);
    } finally {
      await other.close();
    }
  });

  it('two connections sealing a new participant at once end up with one key that opens both', async () => {
    const other = await kind.open();
    try {
      const [here, there] = await Promise.all([one(vault, BOB, details), one(other, BOB, details)]);
      expect(await opened(other, BOB, here)).toEqual(details);
      expect(await opened(vault, BOB, there)).toEqual(details);
    } finally {
      await other.close();
    }
  });
});

describe('PersonalDataVault on PostgreSQL: what is stored', () => {
  let vault: PersonalDataVault;
  beforeAll(async () => {
    await assertTestServerReachable();
    schema = newTestSchemaName();
    vault = await PersonalDataVault.postgres({ connectionString: testDatabaseUrl(), schema, poolSize: 2 });
  });
  afterAll(async () => {
    await vault.close();
    await dropTestSchema(schema);
  });

  it('keeps the keys in the key schema, by versioned migrations, and a destroyed key as a row without a key', async () => {
    await one(vault, ALICE, details);
    await vault.destroy(BOB, '2026-11-23T10:00:00.000Z');
    const rows = await queryTestSchema<{ participant_id: string; length: number | null; destroyed_at: string | null }>(
      schema,
      'SELECT participant_id, octet_length(key) AS length, destroyed_at FROM participant_keys ORDER BY participant_id',
    );
    expect(rows).toEqual([
      { participant_id: ALICE, length: 32, destroyed_at: null },
      { participant_id: BOB, length: null, destroyed_at: '2026-11-23T10:00:00.000Z' },
    ]);
    expect(await queryTestSchema(schema, 'SELECT version, name FROM schema_migrations ORDER BY version')).toEqual([
      { version: 1, name: 'api-keys' },
      { version: 2, name: 'personal-data-keys' },
    ]);
  });
});
