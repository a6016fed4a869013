import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const ROLES = ['induction-tutor', 'ecf-lead', 'dpl', 'system', 'auditor', 'reporting', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** What an authenticated caller may do and where. */
export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  /** Induction tutors: the schools they act for. */
  readonly schoolUrns: readonly string[];
  /** ECF Leads: the delivery partner they act for. */
  readonly deliveryPartnerId: string | null;
}

const TOKEN_PATTERN = /^ecf_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A bearer token is `ecf_<key id>_<secret>`; only a hash of the secret is stored. */
export function generateToken(): { keyId: string; secret: string; token: string } {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, token: `ecf_${keyId}_${secret}` };
}

export function parseToken(token: string): { keyId: string; secret: string } | null {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { keyId: match[1], secret: match[2] } : null;
}

/** The secret has 256 bits of entropy, so a plain SHA-256 is enough (no password stretching needed). */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function secretMatches(secret: string, storedHash: string): boolean {
  const candidate = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}
