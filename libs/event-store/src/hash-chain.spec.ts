import { newEvent } from './conformance/fixtures';
import { RecordedEvent } from './event-store.port';
import { canonicalJson, computeEventHash, GENESIS_HASH, verifyStreamChain } from './hash-chain';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('normalises values exactly as a JSON round trip does', () => {
    const value = { at: new Date('2025-01-02T03:04:05.000Z'), gone: undefined, list: [undefined, Number.NaN] };
    expect(canonicalJson(value)).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('computeEventHash', () => {
  const content = { streamId: 's-1', revision: 0, eventId: 'e-1', type: 'T', data: { a: 1, b: 2 }, metadata: newEvent().metadata, recordedAt: '2025-01-01T00:00:00.000Z' };

  it('is a sha256 hex that ignores key order but not content or the previous hash', () => {
    const hash = computeEventHash(GENESIS_HASH, content);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(computeEventHash(GENESIS_HASH, { ...content, data: { b: 2, a: 1 } })).toBe(hash);
    expect(computeEventHash(GENESIS_HASH, { ...content, data: { a: 1, b: 3 } })).not.toBe(hash);
    expect(computeEventHash('f'.repeat(64), content)).not.toBe(hash);
  });
});

describe('verifyStreamChain', () => {
  const chain = (count: number): RecordedEvent[] => {
    const events: RecordedEvent[] = [];
    let previous = GENESIS_HASH;
    for (let revision = 0; revision < count; revision++) {
      const base = { ...newEvent('T', { revision }), streamId: 's-1', revision, position: revision + 10, recordedAt: '2025-01-01T00:00:00.000Z' };
      const hash = computeEventHash(previous, base);
      events.push({ ...base, hash });
      previous = hash;
    }
    return events;
  };

  it('accepts an empty stream and an intact chain', () => {
    expect(verifyStreamChain([])).toEqual({ valid: true });
    expect(verifyStreamChain(chain(3))).toEqual({ valid: true });
  });

  it('names the revision of a replaced hash (the chain cannot be patched in one place)', () => {
    const events = chain(3);
    const forged = { ...events[1], data: { revision: 7 } };
    const repaired = { ...forged, hash: computeEventHash(events[0].hash, forged) };
    expect(verifyStreamChain([events[0], repaired, events[2]])).toMatchObject({ valid: false, revision: 2 });
  });

  it('rejects a slice that does not start at revision 0 and events of another stream', () => {
    const events = chain(3);
    expect(verifyStreamChain(events.slice(1))).toMatchObject({ valid: false, revision: 1 });
    expect(verifyStreamChain([events[0], { ...events[1], streamId: 's-2' }])).toMatchObject({ valid: false, revision: 1, reason: expect.stringContaining('s-2') });
  });
});
