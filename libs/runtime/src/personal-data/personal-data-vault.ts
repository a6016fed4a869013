import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { PersonalDataItem, PersonalDataSeal } from '@ecf/event-store';
import { KeyPoolOptions } from '../postgres/key-schema';
import { ParticipantKeys } from './participant-keys';
import { PostgresParticipantKeys } from './postgres-participant-keys';
import { SqliteParticipantKeys } from './sqlite-participant-keys';

const ALG = 'A256GCM';

interface Sealed {
  alg: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

const erased = (participantId: string) => new Error(`The personal data of participant ${participantId} was erased; nothing personal can be stored for them again`);

function sealWith(key: Buffer, participantId: string, personal: Record<string, unknown>): Record<string, unknown> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(participantId));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(personal), 'utf8'), cipher.final()]);
  const sealed: Sealed = { alg: ALG, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
  return { sealed };
}

function openWith(key: Buffer, participantId: string, value: Record<string, unknown>): Record<string, unknown> {
  const sealed = value.sealed as Sealed;
  if (sealed.alg !== ALG) throw new Error(`Unknown personal-data seal ${sealed.alg}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(participantId));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const clear = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  return JSON.parse(clear.toString('utf8')) as Record<string, unknown>;
}

/**
 * One AES-256-GCM key per participant, kept beside (never inside) the log: in a SQLite file under
 * DATA_DIR on the embedded store, in PostgreSQL in server mode. Destroying a participant's key is the
 * erasure: their sealed details in the log become unreadable noise while every hash and every other
 * fact stays. The participant id is bound in as associated data, so a sealed value copied onto
 * another participant does not open. Keys are looked up for each batch of events and never cached
 * (ADR 0013), so a destroyed key opens nothing anywhere from then on.
 */
export class PersonalDataVault implements PersonalDataSeal {
  constructor(private readonly keys: ParticipantKeys) {}

  /** The embedded vault: a SQLite file (`:memory:` for tests). */
  static sqlite(filename: string): PersonalDataVault {
    return new PersonalDataVault(SqliteParticipantKeys.open(filename));
  }

  /** Server mode's vault: the key schema of a PostgreSQL database, shared by every host. */
  static async postgres(options: KeyPoolOptions): Promise<PersonalDataVault> {
    return new PersonalDataVault(await PostgresParticipantKeys.open(options));
  }

  async seal(items: readonly PersonalDataItem[]): Promise<Record<string, unknown>[]> {
    const keys = await this.keys.keysToSeal(items.map((item) => item.subjectId));
    return items.map(({ subjectId, value }) => {
      const key = keys.get(subjectId) ?? null;
      if (key === null) throw erased(subjectId);
      return sealWith(key, subjectId, value);
    });
  }

  async open(items: readonly PersonalDataItem[]): Promise<(Record<string, unknown> | null)[]> {
    const keys = await this.keys.keysToOpen(items.map((item) => item.subjectId));
    return items.map(({ subjectId, value }) => {
      const key = keys.get(subjectId) ?? null;
      return key === null ? null : openWith(key, subjectId, value);
    });
  }

  /** Erasure: the key is gone for good (a later registration under the same id cannot bring it back). */
  destroy(participantId: string, now: string): Promise<void> {
    return this.keys.destroy(participantId, now);
  }

  isDestroyed(participantId: string): Promise<boolean> {
    return this.keys.isDestroyed(participantId);
  }

  close(): Promise<void> {
    return this.keys.close();
  }
}
