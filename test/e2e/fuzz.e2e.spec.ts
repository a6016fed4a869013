import fc from 'fast-check';
import { ApiProcess } from '../support/api-process';

interface Endpoint {
  method: string;
  path: string;
  allowed: string[];
  fields: string[];
}

const RUNS_PER_ENDPOINT = 120;

/** Values that break naive validation: wrong types, boundaries, impossible dates, huge strings, injection-looking text. */
const hostileValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom('', ' ', '2025-02-30', '2025-13-01', '0000-00-00', '9999-12-31', '1899-12-31', '12345678', '123456', '1234567', '-1', 'NaN', 'null', 'true'),
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, 1e308, true, false, null, [], {}, ['x']),
  fc.constantFrom("'; DROP TABLE events; --", '<script>alert(1)</script>', '../../etc/passwd', '\u0000', '\ud800', '🙂'.repeat(100)),
  fc.string({ minLength: 1000, maxLength: 3000 }),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
);

/** A body built from the endpoint's own field names (so validation is reached), with hostile values and unknown fields. */
const hostileBody = (fields: string[]) =>
  fc.oneof(
    fc.dictionary(fc.constantFrom(...(fields.length > 0 ? fields : ['x'])), hostileValue),
    fc.record({ known: fc.dictionary(fc.constantFrom(...(fields.length > 0 ? fields : ['x'])), hostileValue), unknown: fc.dictionary(fc.string({ maxLength: 20 }), hostileValue) }).map(({ known, unknown }) => ({ ...unknown, ...known })),
    fc.anything({ maxDepth: 3 }),
  );

const hostilePathParameter = fc.oneof(fc.uuid(), fc.string({ maxLength: 60 }), fc.constantFrom('00000000-0000-0000-0000-000000000000', '%00', '..', 'null', "1' OR '1'='1"));
const hostileHeaders = fc.record(
  {
    'Idempotency-Key': fc.oneof(fc.string({ maxLength: 300 }), fc.uuid()),
    'If-Match': fc.oneof(fc.constantFrom('0', '"3"', 'W/"1"', '-1', '*', '99999999999999999999'), fc.string({ maxLength: 20 })),
    'X-Correlation-Id': fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
  },
  { requiredKeys: [] },
);

/**
 * A property-based fuzzer against every command endpoint of the real API process: malformed,
 * oversized, wrongly typed and boundary-valued bodies, headers and path parameters. Zero 5xx, every
 * rejection problem+json with a code, zero events written.
 */
describe('Fuzzing every command endpoint', () => {
  let api: ApiProcess;
  const keys: Record<string, string> = {};
  let endpoints: Endpoint[] = [];
  const tally = { requests: 0, rejected: 0 };

  beforeAll(async () => {
    api = await ApiProcess.start({ RATE_LIMIT_PER_MINUTE: '1000000' });
    for (const role of ['dpl', 'system', 'ecf-lead', 'induction-tutor']) {
      const options = role === 'induction-tutor' ? ['--school', '100001'] : role === 'ecf-lead' ? ['--delivery-partner', 'dp-north'] : [];
      keys[role] = await api.createKey(role, ...options);
    }
    type OpenApi = {
      paths: Record<string, Record<string, { 'x-allowed-roles'?: string[]; requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const document = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as OpenApi;
    endpoints = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method, operation]) => method !== 'get' && operation['x-allowed-roles'] !== undefined)
        .map(([method, operation]) => {
          const ref = operation.requestBody?.content['application/json']?.schema.$ref;
          const schema = ref ? document.components.schemas[ref.split('/').at(-1) as string] : undefined;
          return { method: method.toUpperCase(), path, allowed: operation['x-allowed-roles'] as string[], fields: Object.keys(schema?.properties ?? {}) };
        }),
    );
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('finds every command endpoint', () => expect(endpoints.length).toBeGreaterThanOrEqual(20));

  it('never answers 5xx, always problem+json with a code, and writes nothing', async () => {
    const failures: string[] = [];
    for (const endpoint of endpoints) {
      const key = keys[endpoint.allowed.find((role) => keys[role] !== undefined) as string];
      await fc.assert(
        fc.asyncProperty(hostileBody(endpoint.fields), hostilePathParameter, hostileHeaders, fc.boolean(), async (body, parameter, headers, rawText) => {
          const url = `${api.baseUrl}${endpoint.path.replace(/\{[^}]+\}/g, encodeURIComponent(parameter))}`;
          const text = rawText ? `${JSON.stringify(body)}`.slice(0, -1) : JSON.stringify(body) ?? 'null';
          const response = await fetch(url, {
            method: endpoint.method,
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(headers as Record<string, string>) },
            body: text,
          });
          tally.requests += 1;
          const contentType = response.headers.get('content-type') ?? '';
          const payload = await response.text();
          if (response.status >= 500) failures.push(`${endpoint.method} ${endpoint.path} → ${response.status} ${payload.slice(0, 200)} for ${text.slice(0, 200)}`);
          if (response.status >= 400) {
            tally.rejected += 1;
            const problem = contentType.includes('application/problem+json') ? (JSON.parse(payload) as { code?: string }) : null;
            if (!problem?.code) failures.push(`${endpoint.method} ${endpoint.path} → ${response.status} without a problem code (${contentType})`);
          }
          return response.status < 500;
        }),
        { numRuns: RUNS_PER_ENDPOINT, seed: 20261123, endOnFailure: true },
      );
    }
    expect(failures).toEqual([]);
    const health = (await (await fetch(`${api.baseUrl}/health`)).json()) as { eventStore: { headPosition: number } };
    expect(health.eventStore.headPosition).toBe(0);
    expect(tally.requests).toBeGreaterThanOrEqual(endpoints.length * RUNS_PER_ENDPOINT);
    process.stdout.write(`fuzz: ${tally.requests} requests to ${endpoints.length} endpoints, ${tally.rejected} rejected, 0 events written\n`);
  }, 240_000);
});
