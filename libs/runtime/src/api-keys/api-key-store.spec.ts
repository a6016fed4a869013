import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseToken } from './api-key';
import { ApiKeyStore } from './api-key-store';

describe('API keys (hashed at rest, shown once, revocable)', () => {
  let dir: string;
  let store: ApiKeyStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-keys-'));
    store = ApiKeyStore.open(join(dir, 'api-keys.sqlite'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps only a hash of the secret in the file', () => {
    const { token, record } = store.create({ name: 'Lee Lead', role: 'ecf-lead', deliveryPartnerId: 'dp-north' }, '2026-11-23T10:00:00.000Z');
    const secret = parseToken(token)?.secret as string;
    expect(secret).toHaveLength(43);
    const raw = new Database(join(dir, 'api-keys.sqlite'), { readonly: true });
    const rows = JSON.stringify(raw.prepare('SELECT * FROM api_keys').all());
    raw.close();
    expect(rows).not.toContain(secret);
    expect(rows).toContain(record.keyId);
  });

  it('authenticates the exact token only, with its role and scope', () => {
    const { token, record } = store.create({ name: 'Tariq', role: 'induction-tutor', schoolUrns: ['123456'] }, '2026-11-23T10:00:00.000Z');
    expect(store.authenticate(token)).toMatchObject({ keyId: record.keyId, role: 'induction-tutor', schoolUrns: ['123456'] });
    const tampered = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    expect(store.authenticate(tampered)).toBeNull();
    expect(store.authenticate('not-a-key')).toBeNull();
  });

  it('refuses a revoked key, and revoking twice reports nothing to do', () => {
    const { token, record } = store.create({ name: 'Old job', role: 'reporting' }, '2026-11-23T10:00:00.000Z');
    expect(store.revoke(record.keyId, '2026-11-23T11:00:00.000Z')).toBe(true);
    expect(store.authenticate(token)).toBeNull();
    expect(store.revoke(record.keyId, '2026-11-23T12:00:00.000Z')).toBe(false);
  });

  it('tells a principal authenticated earlier that its key was revoked, or its role or scope changed since', () => {
    const { token, record } = store.create({ name: 'Feed job', role: 'reporting' }, '2026-11-23T10:00:00.000Z');
    const principal = store.authenticate(token)!;
    expect(store.isCurrent(principal)).toBe(true);
    expect(store.isCurrent({ ...principal, role: 'auditor' })).toBe(false);
    expect(store.isCurrent({ ...principal, schoolUrns: ['123456'] })).toBe(false);
    expect(store.isCurrent({ ...principal, deliveryPartnerId: 'dp-north' })).toBe(false);
    expect(store.isCurrent({ ...principal, keyId: '0000000000000000' })).toBe(false);
    store.revoke(record.keyId, '2026-11-23T11:00:00.000Z');
    expect(store.isCurrent(principal)).toBe(false);
  });

  it('sees a revocation made through another connection to the same file (the CLI beside the API)', () => {
    const { token, record } = store.create({ name: 'Feed job', role: 'reporting' }, '2026-11-23T10:00:00.000Z');
    const principal = store.authenticate(token)!;
    const cli = ApiKeyStore.open(join(dir, 'api-keys.sqlite'));
    try {
      expect(cli.revoke(record.keyId, '2026-11-23T11:00:00.000Z')).toBe(true);
    } finally {
      cli.close();
    }
    expect(store.isCurrent(principal)).toBe(false);
  });
});
