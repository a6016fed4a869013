import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiKeyRecord, ApiKeyRow, ApiKeyStore, StoredApiKey, toStoredApiKey } from './api-key-store';

export const SQLITE_API_KEYS_TABLE = `CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  school_urns TEXT NOT NULL,
  delivery_partner_id TEXT,
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
)`;

/** The embedded store's API keys: `DATA_DIR/api-keys.sqlite`, shared by the processes of one host. */
export class SqliteApiKeyStore extends ApiKeyStore {
  /** Prepared once: every request is authenticated with it. */
  private readonly selectKey: Database.Statement<[string], ApiKeyRow>;

  private constructor(private readonly db: Database.Database) {
    super();
    this.selectKey = db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE id = ?');
  }

  static open(filename: string): SqliteApiKeyStore {
    mkdirSync(dirname(filename), { recursive: true });
    const db = new Database(filename);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.exec(SQLITE_API_KEYS_TABLE);
    return new SqliteApiKeyStore(db);
  }

  // Asynchronous only to fit the port (the PostgreSQL store's are); each is one synchronous statement.
  async list(): Promise<ApiKeyRecord[]> {
    return this.db
      .prepare<[], ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')
      .all()
      .map((row) => toStoredApiKey(row).record);
  }

  async revoke(keyId: string, now: string): Promise<boolean> {
    return this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, keyId).changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  protected async lookUp(keyId: string): Promise<StoredApiKey | null> {
    const row = this.selectKey.get(keyId);
    return row ? toStoredApiKey(row) : null;
  }

  protected async insert(row: ApiKeyRow): Promise<void> {
    this.db
      .prepare('INSERT INTO api_keys (id, name, role, school_urns, delivery_partner_id, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.id, row.name, row.role, row.school_urns, row.delivery_partner_id, row.secret_hash, row.created_at, row.revoked_at);
  }
}
