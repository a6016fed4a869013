import { parseToken } from '@ecf/runtime';
import { ApiProcess } from '../support/api-process';

/** Security headers, CORS closed by default, and rate limiting per API key, on the real API process. */
describe('Security headers, CORS and rate limits', () => {
  let api: ApiProcess;
  let open: ApiProcess;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    api = await ApiProcess.start({ RATE_LIMIT_PER_MINUTE: '5' });
    keys.first = await api.createKey('auditor');
    keys.second = await api.createKey('auditor');
    open = await ApiProcess.start({ CORS_ORIGINS: 'https://console.example' });
  });

  afterAll(async () => {
    await api?.stop();
    await open?.stop();
  });

  const get = (base: ApiProcess, path: string, headers: Record<string, string> = {}) => fetch(`${base.baseUrl}${path}`, { headers });

  it('sends helmet’s security headers and no X-Powered-By', async () => {
    const response = await get(api, '/health');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('keeps CORS closed by default: no origin is allowed, preflight included', async () => {
    const simple = await get(api, '/health', { origin: 'https://elsewhere.example' });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${api.baseUrl}/participants`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the origins in CORS_ORIGINS', async () => {
    const allowed = await fetch(`${open.baseUrl}/participants`, {
      method: 'OPTIONS',
      headers: { origin: 'https://console.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example');
    const other = await get(open, '/health', { origin: 'https://elsewhere.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits each API key separately, answering 429 problem+json with Retry-After', async () => {
    const statuses: number[] = [];
    for (let request = 0; request < 6; request++) statuses.push((await get(api, '/participants', { authorization: `Bearer ${keys.first}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await get(api, '/participants', { authorization: `Bearer ${keys.first}` });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    const problem = (await limited.json()) as { detail: string };
    expect(problem).toMatchObject({ type: 'urn:ecf:problem:rate-limited', title: 'Too many requests', status: 429, code: 'RATE_LIMITED' });
    expect(problem.detail).toBe('More than 5 requests a minute from this API key.');
    expect((await get(api, '/participants', { authorization: `Bearer ${keys.second}` })).status).toBe(200);
  });

  it('never writes an API key or a participant’s personal details into the logs', async () => {
    const logged = await ApiProcess.start({ LOG_LEVEL: 'info' });
    try {
      const key = await logged.createKey('ecf-lead', '--delivery-partner', 'dp-north');
      const secret = parseToken(key)?.secret as string;
      expect(secret).toHaveLength(43);
      const request = (method: string, path: string, body?: unknown) =>
        fetch(`${logged.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      await request('POST', '/schools', { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 });
      const registered = await request('POST', '/ects', {
        firstName: 'Loglessa', lastName: 'Quietly', dateOfBirth: '1991-02-03', trn: '9300001', email: 'loglessa@example.org', schoolUrn: '100001', cohort: 2026,
      });
      expect(registered.status).toBe(201);
      await request('POST', '/ects', { firstName: 'Loglessa', lastName: '', dateOfBirth: '1991-02-30', trn: '1', email: 'x', schoolUrn: '100001', cohort: 2026 });
      await new Promise((resolveFlush) => setTimeout(resolveFlush, 200));
      const logs = logged.logs();
      expect(logs).toContain('"url":"/ects"');
      for (const secretThing of [secret, 'Loglessa', 'Quietly', 'loglessa@example.org', '1991-02-03']) expect(logs).not.toContain(secretThing);
    } finally {
      await logged.stop();
    }
  });
});
