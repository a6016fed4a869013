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

/** A key as stored: its record and the hash of its secret (never the secret). */
export interface StoredApiKey {
  readonly record: ApiKeyRecord;
  readonly secretHash: string;
}

/** The row both stores keep, column for column. */
export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  school_urns: string;
  delivery_partner_id: string | null;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export const toStoredApiKey = (row: ApiKeyRow): StoredApiKey => ({
  record: {
    keyId: row.id,
    name: row.name,
    role: row.role,
    schoolUrns: JSON.parse(row.school_urns) as string[],
    deliveryPartnerId: row.delivery_partner_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  },
  secretHash: row.secret_hash,
});

const sameScope = (a: Principal, b: Principal): boolean =>
  a.role === b.role &&
  a.deliveryPartnerId === b.deliveryPartnerId &&
  a.schoolUrns.length === b.schoolUrns.length &&
  a.schoolUrns.every((urn, index) => urn === b.schoolUrns[index]);

/**
 * API keys, stored hashed: a SQLite file under DATA_DIR on the embedded store, PostgreSQL (schema
 * `ecf_keys`) in server mode, where every host sees a key created or revoked on any of them at once.
 * No cache: every request looks its key up (one indexed read), so a revocation holds from the next
 * request on. Also the injection token of the API (an abstract class, so Nest can inject it).
 */
export abstract class ApiKeyStore {
  /** Creates a key and returns its token: the only time the token is ever available. */
  async create(key: NewApiKey, now: string): Promise<{ token: string; record: ApiKeyRecord }> {
    const { keyId, secret, token } = generateToken();
    await this.insert({
      id: keyId,
      name: key.name,
      role: key.role,
      school_urns: JSON.stringify(key.schoolUrns ?? []),
      delivery_partner_id: key.deliveryPartnerId ?? null,
      secret_hash: hashSecret(secret),
      created_at: now,
      revoked_at: null,
    });
    return { token, record: (await this.find(keyId)) as ApiKeyRecord };
  }

  /** The principal for a bearer token, or null for an unknown, malformed or revoked one. */
  async authenticate(token: string): Promise<Principal | null> {
    const parsed = parseToken(token);
    if (!parsed) return null;
    const stored = await this.lookUp(parsed.keyId);
    if (!stored || stored.record.revokedAt !== null || !secretMatches(parsed.secret, stored.secretHash)) return null;
    const { createdAt: _created, revokedAt: _revoked, ...principal } = stored.record;
    return principal;
  }

  /**
   * Whether a principal authenticated earlier still holds: its key exists, is not revoked, and has the
   * same role and scope. Long-lived responses (the event stream) ask this while they run, so a revoked
   * key stops receiving within moments; the lookup is the one `authenticate` uses.
   */
  async isCurrent(principal: Principal): Promise<boolean> {
    const stored = await this.lookUp(principal.keyId);
    return stored !== null && stored.record.revokedAt === null && sameScope(stored.record, principal);
  }

  async find(keyId: string): Promise<ApiKeyRecord | null> {
    return (await this.lookUp(keyId))?.record ?? null;
  }

  abstract list(): Promise<ApiKeyRecord[]>;

  /** True when the key was active and is now revoked; false when there was nothing to revoke. */
  abstract revoke(keyId: string, now: string): Promise<boolean>;

  abstract close(): Promise<void>;

  /** One key by id, hash included; null when unknown. */
  protected abstract lookUp(keyId: string): Promise<StoredApiKey | null>;

  protected abstract insert(row: ApiKeyRow): Promise<void>;
}
