import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PersonalDataSeal } from '@ecf/event-store';

const ALG = 'A256GCM';

/**
 * One AES-256-GCM key per participant, in its own SQLite file beside (never inside) the log.
 * Destroying a participant's key is the erasure: their sealed details in the log become unreadable
 * noise while every hash and every other fact stays. The participant id is bound in as associated
 * data, so a sealed value copied onto another participant does not open.
 */
export class PersonalDataVault implements PersonalDataSeal {
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

  static open(filename: string): PersonalDataVault {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    const db = new Database(filename);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`CREATE TABLE IF NOT EXISTS participant_keys (
      participant_id TEXT PRIMARY KEY,
      key BLOB,
      created_at TEXT NOT NULL,
      destroyed_at TEXT)`);
    return new PersonalDataVault(db);
  }

  seal(participantId: string, personal: Record<string, unknown>): Record<string, unknown> {
    const key = this.keyFor(participantId);
    if (key === null) throw new Error(`The personal data of participant ${participantId} was erased; nothing personal can be stored for them again`);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(participantId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(personal), 'utf8'), cipher.final()]);
    return { sealed: { alg: ALG, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') } };
  }

  open(participantId: string, value: Record<string, unknown>): Record<string, unknown> | null {
    const key = this.selectKey.get(participantId)?.key ?? null;
    if (key === null) return null;
    const sealed = value.sealed as { alg: string; iv: string; tag: string; ciphertext: string };
    if (sealed.alg !== ALG) throw new Error(`Unknown personal-data seal ${sealed.alg}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(participantId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const clear = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(clear.toString('utf8')) as Record<string, unknown>;
  }

  /** Erasure: the key is gone for good (a later registration under the same id cannot bring it back). */
  destroy(participantId: string, now: string): void {
    this.destroyKey.run(participantId, now, now);
  }

  isDestroyed(participantId: string): boolean {
    const row = this.selectKey.get(participantId);
    return row !== undefined && row.key === null;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The participant's key, created on first use; null once destroyed. */
  private keyFor(participantId: string): Buffer | null {
    const existing = this.selectKey.get(participantId);
    if (existing) return existing.key;
    this.insertKey.run(participantId, randomBytes(32), new Date().toISOString());
    return this.selectKey.get(participantId)?.key ?? null;
  }
}
