import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { KeyPoolOptions, openKeyPool } from '../postgres/key-schema';
import { ParticipantKeys } from './participant-keys';

interface KeyRow {
  participant_id: string;
  key: Buffer | null;
}

/**
 * Server mode's personal-data keys: table `participant_keys` of the key schema, read on every use and
 * never cached, so `ecf forget` through any host leaves no host able to open the details once it
 * has committed.
 */
export class PostgresParticipantKeys implements ParticipantKeys {
  private constructor(private readonly pool: Pool) {}

  static async open(options: KeyPoolOptions): Promise<PostgresParticipantKeys> {
    return new PostgresParticipantKeys(await openKeyPool(options));
  }

  /**
   * One statement for the batch: inserts a fresh key for each participant without one and returns
   * every participant's key. ON CONFLICT DO UPDATE (a no-op update) rather than DO NOTHING so that a
   * row committed by another host meanwhile is returned too, and a destroyed key comes back as NULL.
   */
  async keysToSeal(participantIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    const ids = [...new Set(participantIds)].sort();
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<KeyRow>({
      name: 'ecf-participant-keys-to-seal',
      text: `INSERT INTO participant_keys (participant_id, key, created_at)
             SELECT fresh.participant_id, fresh.key, $3 FROM unnest($1::text[], $2::bytea[]) AS fresh (participant_id, key)
             ON CONFLICT (participant_id) DO UPDATE SET key = participant_keys.key
             RETURNING participant_id, key`,
      values: [ids, ids.map(() => randomBytes(32)), new Date().toISOString()],
    });
    return new Map(rows.map((row) => [row.participant_id, row.key]));
  }

  async keysToOpen(participantIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    const ids = [...new Set(participantIds)];
    const keys = new Map<string, Buffer | null>(ids.map((id) => [id, null]));
    if (ids.length === 0) return keys;
    const { rows } = await this.pool.query<KeyRow>({
      name: 'ecf-participant-keys-to-open',
      text: 'SELECT participant_id, key FROM participant_keys WHERE participant_id = ANY($1::text[])',
      values: [ids],
    });
    for (const row of rows) keys.set(row.participant_id, row.key);
    return keys;
  }

  async destroy(participantId: string, now: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO participant_keys (participant_id, key, created_at, destroyed_at) VALUES ($1, NULL, $2, $2)
       ON CONFLICT (participant_id) DO UPDATE SET key = NULL, destroyed_at = COALESCE(participant_keys.destroyed_at, excluded.destroyed_at)`,
      [participantId, now],
    );
  }

  async isDestroyed(participantId: string): Promise<boolean> {
    const { rows } = await this.pool.query<KeyRow>('SELECT participant_id, key FROM participant_keys WHERE participant_id = $1', [participantId]);
    return rows.length === 1 && rows[0].key === null;
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
