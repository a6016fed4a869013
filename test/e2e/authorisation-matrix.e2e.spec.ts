import { ApiProcess } from '../support/api-process';

const ROLES = ['induction-tutor', 'ecf-lead', 'dpl', 'system', 'auditor', 'reporting', 'admin'] as const;

interface Operation {
  method: string;
  path: string;
  permission: string;
  allowed: string[];
}

/**
 * Every role against every endpoint, generated from the OpenAPI document, whose
 * `x-required-permission` / `x-allowed-roles` come from the one PERMISSIONS table the guard enforces:
 * a role outside the table gets 403 FORBIDDEN_ROLE, a role inside it is never refused for its role,
 * and no key gets 401.
 */
describe('Authorisation matrix: every role × every endpoint', () => {
  let api: ApiProcess;
  const keys: Record<string, string> = {};
  let operations: Operation[] = [];
  const SOME_ID = '0b6f3c0e-1a2b-4c3d-8e4f-00000000abcd';

  beforeAll(async () => {
    // One anonymous call per endpoint: more failed authentications than the default allows an address.
    api = await ApiProcess.start({ RATE_LIMIT_PER_MINUTE: '100000', AUTH_FAILURE_LIMIT_PER_MINUTE: '1000' });
    for (const role of ROLES) {
      const options = role === 'induction-tutor' ? ['--school', '100001'] : role === 'ecf-lead' ? ['--delivery-partner', 'dp-north'] : [];
      keys[role] = await api.createKey(role, ...options);
    }
    const document = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, { 'x-required-permission'?: string; 'x-allowed-roles'?: string[] }>> };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation['x-required-permission'] !== undefined)
        .map(([method, operation]) => ({ method: method.toUpperCase(), path, permission: operation['x-required-permission'] as string, allowed: operation['x-allowed-roles'] as string[] })),
    );
  });

  afterAll(async () => {
    await api?.stop();
  });

  const call = async (operation: Operation, key?: string) => {
    const url = `${api.baseUrl}${operation.path.replace(/\{[^}]+\}/g, SOME_ID)}`;
    const controller = new AbortController();
    const response = await fetch(url, {
      method: operation.method,
      signal: controller.signal,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' },
      body: operation.method === 'GET' ? undefined : '{}',
    });
    const code = response.headers.get('content-type')?.includes('json') ? ((await response.json()) as { code?: string }).code : undefined;
    controller.abort(); // the event stream stays open otherwise
    return { status: response.status, code };
  };

  it('covers every protected endpoint of the API', () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    expect(operations.map((operation) => `${operation.method} ${operation.path}`)).toEqual(
      expect.arrayContaining(['POST /ects/{id}/deferral', 'POST /participants/{id}/reinstatement', 'GET /participants/{id}/history', 'GET /events']),
    );
  });

  it('answers 401 without a key, 403 FORBIDDEN_ROLE outside the table, and never refuses a role the table allows', async () => {
    const wrong: string[] = [];
    for (const operation of operations) {
      const anonymous = await call(operation);
      if (anonymous.status !== 401) wrong.push(`${operation.method} ${operation.path} without a key → ${anonymous.status}`);
      for (const role of ROLES) {
        const { status, code } = await call(operation, keys[role]);
        const allowed = operation.allowed.includes(role);
        if (!allowed && (status !== 403 || code !== 'FORBIDDEN_ROLE')) wrong.push(`${role} ${operation.method} ${operation.path} → ${status} ${code}, expected 403`);
        if (allowed && (status === 401 || status === 403 || status >= 500)) wrong.push(`${role} ${operation.method} ${operation.path} → ${status} ${code}, expected to be let through`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
