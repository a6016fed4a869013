import { randomBytes } from 'node:crypto';
import { ApiProcess } from '../support/api-process';

/** A token of the right shape that no key has: each one different, as a guesser would send them. */
const bogusToken = () => `ecf_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`;

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
}

/**
 * Failed authentications are limited per client address (AUTH_FAILURE_LIMIT_PER_MINUTE, 20 by default),
 * on the real API process. Every request here comes from 127.0.0.1, so the test also shows the design:
 * only failures are counted and refused, and a valid key from the same address is still served.
 */
describe('Failed authentications limited per client address', () => {
  let api: ApiProcess;
  let proxied: ApiProcess;
  let validKey: string;

  beforeAll(async () => {
    api = await ApiProcess.start();
    validKey = await api.createKey('auditor');
    proxied = await ApiProcess.start({ TRUST_PROXY: 'loopback', AUTH_FAILURE_LIMIT_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await api?.stop();
    await proxied?.stop();
  });

  const get = (base: ApiProcess, path: string, headers: Record<string, string>) => fetch(`${base.baseUrl}${path}`, { headers });

  it('answers 20 failures from an address with 401, then 429 problem+json with Retry-After, while a valid key there is still served and never counted', async () => {
    const failures: number[] = [];
    const successes: number[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      if (attempt % 4 === 0) successes.push((await get(api, '/participants', { authorization: `Bearer ${validKey}` })).status);
      // Without TRUST_PROXY the forwarded address is not believed: every attempt counts against 127.0.0.1.
      const failed = await get(api, '/participants', { authorization: `Bearer ${bogusToken()}`, 'x-forwarded-for': `198.51.100.${attempt + 1}` });
      failures.push(failed.status);
    }
    expect(failures).toEqual([...Array<number>(20).fill(401), ...Array<number>(20).fill(429)]);
    expect(successes).toEqual(Array<number>(10).fill(200));

    const limited = await get(api, '/participants', { authorization: `Bearer ${bogusToken()}` });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    const problem = (await limited.json()) as Problem;
    expect(problem).toMatchObject({ type: 'urn:ecf:problem:rate-limited', title: 'Too many requests', status: 429, code: 'RATE_LIMITED' });
    expect(problem.detail).toMatch(/failed authentications from this address/);
    expect(problem.detail).not.toMatch(/Throttler/);

    // No key at all is a failed authentication too; a valid key on any route is still let through.
    expect((await get(api, '/participants', {})).status).toBe(429);
    expect((await get(api, '/me', { authorization: `Bearer ${validKey}` })).status).toBe(200);
  });

  it('counts each client behind a proxy named in TRUST_PROXY by its forwarded address', async () => {
    const from = async (client: string) => (await get(proxied, '/participants', { authorization: `Bearer ${bogusToken()}`, 'x-forwarded-for': client })).status;
    const first: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) first.push(await from('203.0.113.1'));
    expect(first).toEqual([401, 401, 401, 429]);
    expect(await from('203.0.113.2')).toBe(401);
  });
});
