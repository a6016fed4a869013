import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ParticipantKeys } from './participant-keys';

export const SQLITE_PARTICIPANT_KEYS_TABLE = `CREATE TABLE IF NOT EXISTS participant_keys (
  participant_id TEXT PRIMARY KEY,
  key BLOB,
  created_at TEXT NOT NULL,
  destroyed_at TEXT)`;

/** The embedded store's personal-data keys: `DATA_DIR/personal-data-keys.sqlite`. */
export class SqliteParticipantKeys implements ParticipantKeys {
  private readonly selectKey;
  private readonly insertKey;
  private readonly destroyKey;

  private constructor(private readonly db: Database.Database) {
    this.selectKey = db.prepare<[string], { key: Buffer | null }>('SELECT key FROM participant_keys WHERE participant_id = ?');
    this.insertKey = db.prepare<[string, Buffer, string]>('INSERT OR IGNORE INTO participant_keys (participant_id, key, created_at) VALUES (?, ?, ?)');
    this.destroyKey = db.prepare<[string, string, string]>(
      `INSERT INTO participant_keys (participant_id, key, created_at, destroyed_at) VALUES (?, NULL, ?, ?)
       ON CONFLICT (participant_id) DO UPDATE SET key = NULL, destroyed_at = COALESCE(destroyed_at, excluded.destroyed_at)`,
    );
  }

  static open(filename: string): SqliteParticipantKeys {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    const db = new Database(filename);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SQLITE_PARTICIPANT_KEYS_TABLE);
    return new SqliteParticipantKeys(db);
  }

  // Asynchronous only to fit the port; a key is one indexed read (or insert) on the local file.
  async keysToSeal(participantIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    const keys = new Map<string, Buffer | null>();
    for (const id of participantIds) {
      const existing = this.selectKey.get(id);
      if (existing) keys.set(id, existing.key);
      else {
        this.insertKey.run(id, randomBytes(32), new Date().toISOString());
        keys.set(id, this.selectKey.get(id)?.key ?? null);
      }
    }
    return keys;
  }

  async keysToOpen(participantIds: readonly string[]): Promise<Map<string, Buffer | null>> {
    return new Map(participantIds.map((id) => [id, this.selectKey.get(id)?.key ?? null]));
  }

  async destroy(participantId: string, now: string): Promise<void> {
    this.destroyKey.run(participantId, now, now);
  }

  async isDestroyed(participantId: string): Promise<boolean> {
    const row = this.selectKey.get(participantId);
    return row !== undefined && row.key === null;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
