import { parseToken } from '@ecf/runtime';
import { ApiProcess } from '../support/api-process';
import { httpClient } from '../support/http-client';
import { SseReader } from '../support/sse';

/** How long after `ecf keys revoke` an open stream may still be open: the API checks every 2 s. */
const ENDS_WITHIN_MS = 5_000;

/**
 * An open `/events/stream` belongs to the key that opened it: revoking the key with the real CLI, on
 * the API's DATA_DIR, ends the stream within seconds and nothing recorded afterwards reaches it.
 */
describe('Event stream after its key is revoked', () => {
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  const readers: SseReader[] = [];
  let trn = 7_100_000;

  async function register(): Promise<void> {
    const body = { firstName: 'Revoked', lastName: 'Reader', dateOfBirth: '1990-01-01', trn: String(++trn), email: `${trn}@example.org`, schoolUrn: '100001', cohort: 2026 };
    expect((await http('POST', '/ects', { key: keys.lead, body })).status).toBe(201);
  }

  const head = async () => (await http<{ head: number }>('GET', '/events?limit=1', { key: keys.watcher })).body.head;

  async function openStream(key: string): Promise<SseReader> {
    const response = await fetch(`${api.baseUrl}/events/stream`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(200);
    const reader = new SseReader(response);
    readers.push(reader);
    return reader;
  }

  beforeAll(async () => {
    api = await ApiProcess.start();
    http = httpClient(api.baseUrl);
    keys.lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    keys.watcher = await api.createKey('reporting');
    await http('POST', '/schools', { key: keys.lead, body: { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } });
    await register();
  });

  afterAll(async () => {
    for (const reader of readers) await reader.cancel();
    await api?.stop();
  });

  it('ends the stream of a revoked key within seconds, writes it nothing recorded after, and keeps other keys’ streams open', async () => {
    const doomedKey = await api.createKey('reporting');
    const doomed = await openStream(doomedKey);
    const other = await openStream(keys.watcher);
    const caughtUp = await head();
    await doomed.until((events) => events.length === caughtUp);
    await other.until((events) => events.length === caughtUp);

    await api.cli('keys', 'revoke', parseToken(doomedKey)?.keyId as string);
    const revokedAt = Date.now();
    const headAtRevocation = await head();
    // Appended straight after the revocation: they reach the stream's subscription within milliseconds.
    await register();
    await register();

    await other.until((events) => events.length === headAtRevocation + 4);
    const endedAt = await doomed.ended(ENDS_WITHIN_MS);
    expect(endedAt).not.toBeNull();
    expect((endedAt as number) - revokedAt).toBeLessThan(ENDS_WITHIN_MS);
    expect(doomed.events.filter((event) => event.id > headAtRevocation)).toEqual([]);
    expect(doomed.comments).toContain('the API key is no longer valid');
    expect(other.endedAt).toBeNull();

    const reconnect = await fetch(`${api.baseUrl}/events/stream`, { headers: { authorization: `Bearer ${doomedKey}`, 'last-event-id': String(headAtRevocation) } });
    expect(reconnect.status).toBe(401);
  });

  it('ends a quiet stream too: no event has to arrive for the revocation to be seen', async () => {
    const doomedKey = await api.createKey('auditor');
    const doomed = await openStream(doomedKey);
    const caughtUp = await head();
    await doomed.until((events) => events.length === caughtUp);

    await api.cli('keys', 'revoke', parseToken(doomedKey)?.keyId as string);
    const revokedAt = Date.now();
    const endedAt = await doomed.ended(ENDS_WITHIN_MS);
    expect(endedAt).not.toBeNull();
    expect((endedAt as number) - revokedAt).toBeLessThan(ENDS_WITHIN_MS);
    expect(doomed.events).toHaveLength(caughtUp);
  });
});
