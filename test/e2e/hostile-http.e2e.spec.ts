import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { ApiProcess } from '../support/api-process';

/**
 * What real clients and attackers send, against every route of the real API process: bodies from a
 * few bytes to several megabytes, nesting from 0 to 100 000 levels, every content type and charset,
 * invalid UTF-8, duplicate keys, arrays where objects belong, hostile path parameters, and every
 * query parameter of every GET route with hostile values. The store holds real participants, so
 * command routes reach the rules and query routes reach real rows.
 *
 * Each answer must be below 500; every rejection problem+json with a code; and no rejected request
 * may move the log's head (checked after every request, in the SQLite file itself).
 * FUZZ_SEED=<seed> replays a run; FUZZ_REQUESTS=<n> sets its length.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 20_000);
const SCHOOL = '100001';
const COHORT = 2025;

interface Route {
  readonly method: string;
  readonly path: string;
  readonly allowed: readonly string[] | undefined;
  readonly fields: readonly string[];
  readonly query: readonly string[];
  /** The query parameters the OpenAPI document types as numbers. */
  readonly numericQuery: readonly string[];
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

interface Attempt {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | null;
}

/** Query parameter names the API uses somewhere, tried on every route (a parameter of one route sent to another is a classic). */
const KNOWN_QUERY_NAMES = ['asOf', 'knownAt', 'limit', 'after', 'format', 'window', 'cohort', 'name', 'schoolUrn', 'type', 'status', 'deliveryPartner', 'trn', 'dryRun', 'kind', 'types'];

const hostileScalar = fc.oneof(
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'Infinity', 'null', 'undefined', 'true', '[]', '{}', '9'.repeat(400)),
  fc.constantFrom('20261202', '2026-12-02', '2026-02-30', '2026-13-01', '0000-00-00', '+275760-09-13', '2026-12-02T25:00:00Z', '2026-12-02T10:00', '2026-12-02T10:00:00+99:00', '1e3'),
  fc.constantFrom('csv', 'json', 'CSV', 'xml', 'csv\r\n', 'ect', 'mentor', 'withdrawn', 'dp-north', '100001', '1000001', '2024/25', 'started'),
  fc.constantFrom('%', '%E0%A4%A', '%00', '%FF%FE', '%2e%2e%2f', '\u0000', '\ud800', '🙂', "' OR 1=1 --", '<script>alert(1)</script>', '=HYPERLINK("x")'),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: -1e12, max: 1e12 }).map(String),
  fc.string({ minLength: 500, maxLength: 5000 }),
);

/** Percent-encodes every byte of the UTF-8 form (a lone surrogate becomes U+FFFD instead of throwing, as in a browser). */
const percentEncode = (value: string): string => [...Buffer.from(value, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** One query parameter as it appears on the wire: repeated, bracketed (qs objects and arrays), raw or encoded. */
const hostileQueryPart = (names: readonly string[]) =>
  fc.tuple(fc.constantFrom(...names, ...KNOWN_QUERY_NAMES, 'x', '__proto__', 'constructor'), hostileScalar, fc.constantFrom('plain', 'encoded', 'array', 'object', 'deep', 'bare')).map(([name, value, shape]) => {
    // Plain: as typed, bytes 0x80–0xff sent raw (not UTF-8), only what an HTTP client cannot put in a request line left out.
    const v = shape === 'plain' ? value.replace(/[^\x21-\xff]|[&#]/g, '') : percentEncode(value).slice(0, 6000);
    switch (shape) {
      case 'array':
        return `${name}=${percentEncode(value)}&${name}=${percentEncode(value)}`;
      case 'object':
        return `${name}[a]=${percentEncode(value)}`;
      case 'deep':
        return `${name}${'[a]'.repeat(30)}=1`;
      case 'bare':
        return name;
      default:
        return `${name}=${v}`;
    }
  });

/** JSON nested `depth` levels deep, arrays or objects. */
const nested = (depth: number, kind: 'array' | 'object'): string => (kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

const hostileJsonValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom('', '2026-02-30', '1234567', '123456', 'ect', 'north-west', 'dp-north', 2025, -1, 1.5, 1e308, null, true, [], {}, ['x'], '=1+1', '\u0000'),
  fc.string({ minLength: 200, maxLength: 2000 }),
);

/** Nesting from none to 100 000 levels, mostly around the limit. */
const depths = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 3, arbitrary: fc.integer({ min: 40, max: 12_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 12_000, max: 100_000 }) });
/** Body sizes from a few bytes to several megabytes, mostly around the 64 kB limit. */
const sizes = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 2_000 }) }, { weight: 6, arbitrary: fc.integer({ min: 63_000, max: 67_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 67_000, max: 5_000_000 }) });

/** The body of a request, as bytes: well-formed JSON of the route's own fields, or any of the shapes that broke parsers before. */
const hostileBody = (fields: readonly string[]): fc.Arbitrary<Buffer> => {
  const names = fields.length > 0 ? [...fields] : ['x'];
  const utf8 = (text: string) => Buffer.from(text, 'utf8');
  return fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...names), hostileJsonValue).map((body) => utf8(JSON.stringify(body))) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...names), hostileJsonValue, hostileJsonValue).map(([name, a, b]) => utf8(`{${JSON.stringify(name)}:${JSON.stringify(a) ?? 'null'},${JSON.stringify(name)}:${JSON.stringify(b) ?? 'null'}}`)) },
    { weight: 2, arbitrary: fc.array(fc.dictionary(fc.constantFrom(...names), hostileJsonValue), { maxLength: 3 }).map((items) => utf8(JSON.stringify(items))) },
    { weight: 1, arbitrary: fc.constantFrom('null', 'true', '1', '"x"', '', ' ', '{', '{"a":', '[1,]', '{"a":1}}', '\ufeff{}', '{"a":NaN}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}').map(utf8) },
    { weight: 2, arbitrary: fc.tuple(depths, fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => utf8(nested(depth, kind))) },
    { weight: 1, arbitrary: sizes.map((size) => utf8(`{"x":"${'a'.repeat(size)}"}`)) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Buffer.concat([utf8('{"firstName":"'), Buffer.from(bytes), utf8('"}')])) },
  );
};

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=utf-16le',
  'application/json; charset=nonsense',
  'application/json;charset="utf-8"',
  'Application/JSON',
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
  'text/html; charset=utf-8',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'json',
  '',
  ';;;',
];

const hostilePathParameter = (ids: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.string({ maxLength: 80 }).map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%00', '..', '%2e%2e', 'null', '100001', '999999', 'a'.repeat(5000), '00000000-0000-0000-0000-000000000000') },
  );

const hostileHeaders = fc.record(
  {
    'idempotency-key': fc.oneof(fc.uuid(), fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s))),
    'if-match': fc.oneof(fc.constantFrom('0', '"3"', 'W/"1"', '-1', '*', '99999999999999999999', ''), fc.string({ maxLength: 20 }).filter((s) => /^[\x20-\x7e]*$/.test(s))),
    'x-correlation-id': fc.oneof(fc.uuid(), fc.constantFrom('', 'x', 'a'.repeat(300))),
    'last-event-id': fc.constantFrom('0', '-1', 'x', '99999999999999999999999'),
    accept: fc.constantFrom('text/csv', 'application/xml', '*/*', 'text/event-stream'),
    // Compressed bodies that are not what they say (the body itself is never compressed here), and encodings nobody supports.
    'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-unknown', 'gzip, br', ''),
  },
  { requiredKeys: [] },
);

function send(agent: Agent, base: URL, attempt: Attempt): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { agent, host: base.hostname, port: base.port, method: attempt.method, path: attempt.url, headers: attempt.headers },
      (response) => {
        const contentType = String(response.headers['content-type'] ?? '');
        if (contentType.startsWith('text/event-stream')) {
          // The event stream stays open: its status and type are the answer.
          response.destroy();
          resolve({ status: response.statusCode ?? 0, contentType, body: '' });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          // A streamed export can be long: its status and type are what this test reads.
          size += chunk.length;
          if (size < 1_000_000) chunks.push(chunk);
          else response.destroy();
        });
        const done = () => resolve({ status: response.statusCode ?? 0, contentType, body: Buffer.concat(chunks).toString('utf8') });
        response.on('end', done);
        response.on('close', done);
      },
    );
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close a connection whose body it refused before reading it all (413 on several MB).
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve({ status: 413, contentType: 'application/problem+json', body: '{"code":"CONNECTION_CLOSED_AFTER_REFUSAL"}' });
      else reject(error);
    });
    outgoing.end(attempt.body ?? undefined);
  });
}

describe('Hostile HTTP: every route, every shape of request', () => {
  let api: ApiProcess;
  let events: Database.Database;
  const keys: Record<string, string> = {};
  const ids: string[] = [];
  let routes: Route[] = [];

  const head = (): number => (events.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events').get() as { head: number }).head;

  beforeAll(async () => {
    api = await ApiProcess.start({ RATE_LIMIT_PER_MINUTE: '1000000' });
    for (const role of ['dpl', 'system', 'ecf-lead', 'induction-tutor', 'auditor', 'reporting', 'admin']) {
      const options = role === 'induction-tutor' ? ['--school', SCHOOL] : role === 'ecf-lead' ? ['--delivery-partner', 'dp-north'] : [];
      keys[role] = await api.createKey(role, ...options);
    }
    const post = async (path: string, body: object) => {
      const response = await fetch(`${api.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${keys.dpl}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await response.json()) as { participantId?: string };
      if (response.status !== 201) throw new Error(`setup ${path}: ${response.status} ${JSON.stringify(answer)}`);
      return answer.participantId as string;
    };
    await post('/schools', { urn: SCHOOL, name: 'Oakfield Primary', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT });
    const person = (first: string, trn?: string) => ({ firstName: first, lastName: 'Fuzz', dateOfBirth: '1990-01-01', email: `${first}@example.org`, schoolUrn: SCHOOL, cohort: COHORT, ...(trn ? { trn } : {}) });
    ids.push(await post('/ects', person('Eve', '3000001')), await post('/mentors', person('Max', '3000002')), await post('/induction-tutors', person('Tia')));
    events = new Database(join(api.dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });

    type Operation = {
      'x-allowed-roles'?: string[];
      parameters?: { in: string; name: string; schema?: { type?: string } }[];
      requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
    };
    const document = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const ref = operation.requestBody?.content['application/json']?.schema.$ref;
        const schema = ref ? document.components.schemas[ref.split('/').at(-1) as string] : undefined;
        return {
          method: method.toUpperCase(),
          path,
          allowed: operation['x-allowed-roles'],
          fields: Object.keys(schema?.properties ?? {}),
          query: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
          numericQuery: (operation.parameters ?? [])
            .filter((parameter) => parameter.in === 'query' && ['number', 'integer'].includes(parameter.schema?.type ?? ''))
            .map((parameter) => parameter.name),
        };
      }),
    );
  }, 120_000);

  afterAll(async () => {
    events?.close();
    await api?.stop();
  });

  it('knows every route, and the query parameters of the GET routes', () => {
    expect(routes.filter((route) => route.method === 'GET').length).toBeGreaterThanOrEqual(15);
    expect(routes.filter((route) => route.method !== 'GET').length).toBeGreaterThanOrEqual(20);
    expect(routes.flatMap((route) => route.query)).toEqual(expect.arrayContaining(['asOf', 'knownAt', 'limit', 'after', 'format']));
  });

  it('refuses, on every numeric query parameter of every GET route, a number past 2^53, which no JSON reader holds exactly', async () => {
    const numeric = routes.filter((route) => route.method === 'GET' && route.numericQuery.length > 0);
    expect(numeric.flatMap((route) => route.numericQuery)).toEqual(expect.arrayContaining(['after', 'limit', 'cohort']));
    const failures: string[] = [];
    for (const route of numeric) {
      const path = route.path.replace(/\{urn\}/g, SCHOOL).replace(/\{[^}]+\}/g, ids[0]);
      const key = keys[route.allowed?.includes('auditor') ? 'auditor' : (route.allowed?.[0] ?? 'dpl')] ?? keys.dpl;
      for (const name of route.numericQuery) {
        for (const value of ['9007199254740993', '1e20', '99999999999999999999']) {
          const url = `${api.baseUrl}${path}?${name}=${value}`;
          // An open event stream would never end: its answer is judged by its status line alone.
          const response = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(10_000) });
          const problem = response.headers.get('content-type')?.startsWith('application/problem+json') ? ((await response.json()) as { code?: string }) : null;
          if (problem === null) await response.body?.cancel();
          if (response.status !== 400 || problem?.code !== 'INVALID_INPUT') failures.push(`GET ${path}?${name}=${value} → ${response.status} ${problem?.code ?? ''}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it(`answers ${REQUESTS} hostile requests with no 5xx, a problem with a code for every rejection, and nothing written by any rejection`, async () => {
    process.stdout.write(`hostile-http: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${REQUESTS} requests\n`);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const base = new URL(api.baseUrl);
    const failures: string[] = [];
    const tally = { requests: 0, rejected: 0, byStatus: {} as Record<number, number> };

    const attempt = fc
      .tuple(fc.constantFrom(...routes), fc.nat(), fc.integer({ min: 0, max: 9 }))
      .chain(([route, keyChoice, method]) =>
        fc.record({
          route: fc.constant(route),
          // Mostly a role the route allows (so validation and the rules are reached), sometimes another, none, or a forged key.
          key: fc.constant(keyChoice % 10 === 0 ? 'ecf_0000000000000000_forgedforgedforgedforgedforgedforgedforge' : keyChoice % 10 === 1 ? '' : keys[(keyChoice % 10 < 8 ? route.allowed?.[keyChoice % (route.allowed?.length || 1)] : undefined) ?? 'dpl'] ?? keys.dpl),
          method: fc.constant(method === 0 ? ['PUT', 'DELETE', 'PATCH', 'POST', 'GET', 'OPTIONS', 'HEAD'][keyChoice % 7] : route.method),
          parameter: hostilePathParameter(ids),
          query: fc.array(hostileQueryPart(route.query), { maxLength: route.method === 'GET' ? 4 : 1 }),
          body: route.method === 'GET' ? fc.option(hostileBody([]), { freq: 8 }) : hostileBody(route.fields),
          contentType: fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
          headers: hostileHeaders,
        }),
      );

    const samples = fc.sample(attempt, { numRuns: REQUESTS, seed: SEED });
    for (const [index, sample] of samples.entries()) {
      const path = sample.route.path.replace(/\{[^}]+\}/g, sample.parameter);
      const url = sample.query.length > 0 ? `${path}?${sample.query.join('&')}` : path;
      const body = sample.body === null || sample.body.length === 0 || sample.method === 'HEAD' ? null : sample.body;
      const headers: Record<string, string> = { ...(sample.headers as Record<string, string>) };
      if (sample.key) headers.authorization = `Bearer ${sample.key}`;
      if (body) {
        headers['content-type'] = sample.contentType;
        headers['content-length'] = String(body.length);
      }
      const before = head();
      let answer: Answer;
      try {
        answer = await send(agent, base, { method: sample.method, url, headers, body });
      } catch (error) {
        failures.push(`#${index} ${sample.method} ${url.slice(0, 200)}: ${String(error)}`);
        continue;
      }
      tally.requests += 1;
      tally.byStatus[answer.status] = (tally.byStatus[answer.status] ?? 0) + 1;
      const described = `#${index} ${sample.method} ${url.slice(0, 200)} [${headers['content-type'] ?? '-'}] ${body ? body.subarray(0, 120).toString('latin1') : ''}`;
      if (answer.status >= 500) failures.push(`${described} → ${answer.status} ${answer.body.slice(0, 300)}`);
      if (answer.status >= 400) {
        tally.rejected += 1;
        if (head() !== before) failures.push(`${described} → ${answer.status} but the log moved from ${before} to ${head()}`);
        if (sample.method !== 'HEAD') {
          const problem = answer.contentType.startsWith('application/problem+json') ? (JSON.parse(answer.body) as { code?: unknown; title?: unknown; status?: unknown }) : null;
          if (typeof problem?.code !== 'string' || typeof problem.title !== 'string' || problem.status !== answer.status) {
            failures.push(`${described} → ${answer.status} is not a problem with a code (${answer.contentType}: ${answer.body.slice(0, 200)})`);
          }
        }
      }
      if (failures.length >= 20) break;
    }
    agent.destroy();
    process.stdout.write(`hostile-http: ${tally.requests} requests, ${tally.rejected} rejected, statuses ${JSON.stringify(tally.byStatus)}\n`);
    expect(failures).toEqual([]);
    expect(tally.requests).toBe(REQUESTS);
    expect(api.logs()).not.toMatch(/"level":50/);
  }, 30 * 60_000);
});
