import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateToken, hashSecret, parseToken, Principal, Role, secretMatches } from './api-key';

export interface ApiKeyRecord extends Principal {
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface NewApiKey {
  readonly name: string;
  readonly role: Role;
  readonly schoolUrns?: readonly string[];
  readonly deliveryPartnerId?: string | null;
}

interface Row {
  id: string;
  name: string;
  role: Role;
  school_urns: string;
  delivery_partner_id: string | null;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
}

const toRecord = (row: Row): ApiKeyRecord => ({
  keyId: row.id,
  name: row.name,
  role: row.role,
  schoolUrns: JSON.parse(row.school_urns) as string[],
  deliveryPartnerId: row.delivery_partner_id,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** API keys live in their own SQLite file beside the event store; secrets are stored hashed. */
export class ApiKeyStore {
  /** Prepared once: every request is authenticated with it. */
  private readonly selectKey: Database.Statement<[string], Row>;

  private constructor(private readonly db: Database.Database) {
    this.selectKey = db.prepare<[string], Row>('SELECT * FROM api_keys WHERE id = ?');
  }

  static open(filename: string): ApiKeyStore {
    mkdirSync(dirname(filename), { recursive: true });
    const db = new Database(filename);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      school_urns TEXT NOT NULL,
      delivery_partner_id TEXT,
      secret_hash TEXT NOT NULL,
      created_at TEXT NOT NULL,
      revoked_at TEXT
    )`);
    return new ApiKeyStore(db);
  }

  /** Creates a key and returns its token: the only time the token is ever available. */
  create(key: NewApiKey, now: string): { token: string; record: ApiKeyRecord } {
    const { keyId, secret, token } = generateToken();
    this.db
      .prepare('INSERT INTO api_keys (id, name, role, school_urns, delivery_partner_id, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(keyId, key.name, key.role, JSON.stringify(key.schoolUrns ?? []), key.deliveryPartnerId ?? null, hashSecret(secret), now);
    return { token, record: this.find(keyId) as ApiKeyRecord };
  }

  /** The principal for a bearer token, or null for an unknown, malformed or revoked one. */
  authenticate(token: string): Principal | null {
    const parsed = parseToken(token);
    if (!parsed) return null;
    const row = this.selectKey.get(parsed.keyId);
    if (!row || row.revoked_at !== null || !secretMatches(parsed.secret, row.secret_hash)) return null;
    const { createdAt: _created, revokedAt: _revoked, ...principal } = toRecord(row);
    return principal;
  }

  /**
   * Whether a principal authenticated earlier still holds: its key exists, is not revoked, and has the
   * same role and scope. Long-lived responses (the event stream) ask this while they run, so a revoked
   * key stops receiving within moments; the lookup is the prepared one `authenticate` uses.
   */
  isCurrent(principal: Principal): boolean {
    const row = this.selectKey.get(principal.keyId);
    if (!row || row.revoked_at !== null) return false;
    const current = toRecord(row);
    return (
      current.role === principal.role &&
      current.deliveryPartnerId === principal.deliveryPartnerId &&
      current.schoolUrns.length === principal.schoolUrns.length &&
      current.schoolUrns.every((urn, index) => urn === principal.schoolUrns[index])
    );
  }

  list(): ApiKeyRecord[] {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as Row[]).map(toRecord);
  }

  find(keyId: string): ApiKeyRecord | null {
    const row = this.selectKey.get(keyId);
    return row ? toRecord(row) : null;
  }

  revoke(keyId: string, now: string): boolean {
    return this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, keyId).changes === 1;
  }

  close(): void {
    this.db.close();
  }
}
