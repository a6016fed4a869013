import { ApiProcess } from '../support/api-process';
import { eventually, httpClient } from '../support/http-client';

const ROLES = ['induction-tutor', 'ecf-lead', 'dpl', 'system', 'auditor', 'reporting', 'admin'] as const;

interface Caller {
  keyId: string;
  name: string;
  role: string;
  schoolUrns: string[];
  deliveryPartnerId: string | null;
  seesPersonalData: boolean;
  permissions: string[];
}

/**
 * What a client needs to offer only what a key may do: GET /me (the key's role, scope and
 * permissions, from the permission table the guard enforces), search by name, and the console's
 * static files served under the API's own security headers.
 */
describe('The caller’s own key, search by name, and the console’s files', () => {
  jest.setTimeout(60_000);
  let api: ApiProcess;
  let http: ReturnType<typeof httpClient>;
  const keys: Record<string, string> = {};
  let document: { paths: Record<string, Record<string, { 'x-required-permission'?: string; 'x-allowed-roles'?: string[] }>> };

  beforeAll(async () => {
    api = await ApiProcess.start();
    http = httpClient(api.baseUrl);
    for (const role of ROLES) {
      const options = role === 'induction-tutor' ? ['--school', '100001', '--school', '100002'] : role === 'ecf-lead' ? ['--delivery-partner', 'dp-north'] : [];
      keys[role] = await api.createKey(role, ...options);
    }
    document = (await http<typeof document>('GET', '/docs-json')).body;
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('GET /me names the key, its role and scope, and exactly the permissions of the operations the role may call', async () => {
    const allowedFor = (role: string) =>
      new Set(
        Object.values(document.paths)
          .flatMap((operations) => Object.values(operations))
          .filter((operation) => operation['x-allowed-roles']?.includes(role))
          .map((operation) => operation['x-required-permission'] as string),
      );
    for (const role of ROLES) {
      const { status, body } = await http<Caller>('GET', '/me', { key: keys[role] });
      expect({ role, status }).toEqual({ role, status: 200 });
      expect(body).toMatchObject({ role, name: `${role} e2e`, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(new Set(body.permissions)).toEqual(allowedFor(role));
      expect(body.seesPersonalData).toBe(!['reporting', 'admin'].includes(role));
    }
    expect((await http<Caller>('GET', '/me', { key: keys['induction-tutor'] })).body).toMatchObject({ schoolUrns: ['100001', '100002'], deliveryPartnerId: null });
    expect((await http<Caller>('GET', '/me', { key: keys['ecf-lead'] })).body).toMatchObject({ schoolUrns: [], deliveryPartnerId: 'dp-north' });
    const lead = (await http<Caller>('GET', '/me', { key: keys['ecf-lead'] })).body.permissions;
    expect(lead).toEqual(expect.arrayContaining(['DeferECT', 'WithdrawECT', 'ReadPaymentReports']));
    expect(lead).not.toContain('ReinstateParticipant');
  });

  it('GET /me without a valid key is 401 problem+json, and is documented with its permission', async () => {
    const anonymous = await http('GET', '/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect(anonymous.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await http('GET', '/me', { key: `ecf_0000000000000000_${'x'.repeat(43)}` })).status).toBe(401);
    expect(document.paths['/me']?.get).toMatchObject({ 'x-required-permission': 'ReadOwnKey', 'x-allowed-roles': [...ROLES] });
  });

  it('finds participants by part of their name, in the caller’s scope only; roles without personal data may not search by name', async () => {
    expect((await http('POST', '/schools', { key: keys.dpl, body: { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } })).status).toBe(201);
    expect((await http('POST', '/schools', { key: keys.dpl, body: { urn: '200001', name: 'Trent Vale', region: 'east-midlands', deliveryPartnerId: 'dp-midlands', cohort: 2026 } })).status).toBe(201);
    const register = async (firstName: string, lastName: string, trn: string, schoolUrn: string) => {
      const response = await http<{ participantId: string }>('POST', '/ects', {
        key: keys.dpl,
        body: { firstName, lastName, dateOfBirth: '1996-05-06', trn, email: `${trn}@example.org`, schoolUrn, cohort: 2026 },
      });
      expect(response.status).toBe(201);
      return response.body.participantId;
    };
    const amira = await register('Amira', 'Khan', '8100001', '100001');
    const amir = await register('Amir', 'Khanna', '8100002', '200001');
    await register('Bella', 'Stone', '8100003', '100001');
    const found = (key: string, name: string) =>
      http<{ items: { participantId: string }[] }>('GET', `/participants?name=${encodeURIComponent(name)}`, { key }).then((response) => response.body.items.map((item) => item.participantId).sort());

    await eventually(() => found(keys.dpl, 'khan'), (ids) => ids.length === 2);
    expect(await found(keys.dpl, 'KHAN')).toEqual([amira, amir].sort());
    expect(await found(keys.dpl, 'amira k')).toEqual([amira]);
    expect(await found(keys['ecf-lead'], 'khan')).toEqual([amira]);

    const tooShort = await http('GET', '/participants?name=k', { key: keys.dpl });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body).toMatchObject({ code: 'INVALID_INPUT', errors: [expect.objectContaining({ field: 'name' })] });
    const reporting = await http('GET', '/participants?name=khan', { key: keys.reporting });
    expect(reporting.status).toBe(403);
    expect(reporting.body).toMatchObject({ code: 'PERSONAL_DATA_NOT_VISIBLE' });
    expect((await http<{ items: unknown[] }>('GET', '/participants?trn=8100001', { key: keys.reporting })).body.items).toHaveLength(1);
  });

  it('serves the console’s files under /console with the API’s security headers: scripts only from files, no inline code', async () => {
    const index = await fetch(`${api.baseUrl}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(index.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const html = await index.text();
    expect(html).toContain('<script type="module" src="js/main.js"></script>');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    expect(html).not.toContain('<style');
    const script = await fetch(`${api.baseUrl}/console/js/main.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${api.baseUrl}/console/console.css`)).headers.get('content-type')).toContain('text/css');
    const missing = await fetch(`${api.baseUrl}/console/nothing-here.js`);
    expect(missing.status).toBe(404);
  });
});
