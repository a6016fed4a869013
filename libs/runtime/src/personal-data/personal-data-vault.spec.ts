import { PersonalDataVault } from './personal-data-vault';

const ALICE = '0b6f3c0e-1a2b-4c3d-8e4f-000000000001';
const BOB = '0b6f3c0e-1a2b-4c3d-8e4f-000000000002';
const details = { firstName: 'Alice', lastName: 'Example', dateOfBirth: '1990-01-01', email: 'alice@example.org' };

describe('PersonalDataVault (a key per participant, AES-256-GCM)', () => {
  let vault: PersonalDataVault;
  beforeEach(() => (vault = PersonalDataVault.open(':memory:')));
  afterEach(() => vault.close());

  it('seals without the clear text and opens back to the same details', () => {
    const sealed = vault.seal(ALICE, details);
    expect(JSON.stringify(sealed)).not.toContain('Alice');
    expect(vault.open(ALICE, sealed)).toEqual(details);
  });

  it('uses a fresh IV each time', () => expect(vault.seal(ALICE, details)).not.toEqual(vault.seal(ALICE, details)));

  it('does not open one participant’s details as another’s (the id is bound in)', () => {
    const sealed = vault.seal(ALICE, details);
    vault.seal(BOB, details);
    expect(() => vault.open(BOB, sealed)).toThrow();
  });

  it('detects a tampered ciphertext', () => {
    const sealed = vault.seal(ALICE, details) as { sealed: { ciphertext: string } };
    const bytes = Buffer.from(sealed.sealed.ciphertext, 'base64');
    bytes[0] ^= 1;
    expect(() => vault.open(ALICE, { sealed: { ...sealed.sealed, ciphertext: bytes.toString('base64') } })).toThrow();
  });

  it('erasure: once the key is destroyed the details read as null, and nothing personal can be sealed for them again', () => {
    const sealed = vault.seal(ALICE, details);
    vault.destroy(ALICE, '2026-11-23T10:00:00.000Z');
    expect(vault.open(ALICE, sealed)).toBeNull();
    expect(vault.isDestroyed(ALICE)).toBe(true);
    expect(() => vault.seal(ALICE, details)).toThrow(/erased/);
  });
});
