import { Pool } from 'pg';
import { KeyPoolOptions, openKeyPool } from '../postgres/key-schema';
import { ApiKeyRecord, ApiKeyRow, ApiKeyStore, StoredApiKey, toStoredApiKey } from './api-key-store';

/**
 * Server mode's API keys: table `api_keys` of the key schema, so a key created or revoked through any
 * host (or the CLI anywhere) holds on every host from its next request.
 */
export class PostgresApiKeyStore extends ApiKeyStore {
  private constructor(private readonly pool: Pool) {
    super();
  }

  static async open(options: KeyPoolOptions): Promise<PostgresApiKeyStore> {
    return new PostgresApiKeyStore(await openKeyPool(options));
  }

  async list(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query<ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at, id');
    return rows.map((row) => toStoredApiKey(row).record);
  }

  async revoke(keyId: string, now: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, keyId]);
    return rowCount === 1;
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  protected async lookUp(keyId: string): Promise<StoredApiKey | null> {
    // Named: prepared once per connection, as the SQLite store prepares its statement once.
    const { rows } = await this.pool.query<ApiKeyRow>({ name: 'ecf-api-key-by-id', text: 'SELECT * FROM api_keys WHERE id = $1', values: [keyId] });
    return rows.length === 0 ? null : toStoredApiKey(rows[0]);
  }

  protected async insert(row: ApiKeyRow): Promise<void> {
    await this.pool.query(
      'INSERT INTO api_keys (id, name, role, school_urns, delivery_partner_id, secret_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [row.id, row.name, row.role, row.school_urns, row.delivery_partner_id, row.secret_hash, row.created_at, row.revoked_at],
    );
  }
}
