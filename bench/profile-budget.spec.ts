import { API_RULES, budgetOf, CallFrame, categoryOf, CpuProfile, GC, IDLE } from './profile-budget';

const frame = (functionName: string, url = ''): CallFrame => ({ functionName, url });
const dist = (path: string) => `file:///srv/app/dist/${path}`;
const nodeModules = (path: string) => `file:///srv/app/node_modules/${path}`;

/** Stacks as a V8 profile gives them, root first here for reading (categoryOf takes them leaf first). */
const category = (...rootFirst: CallFrame[]) => categoryOf([...rootFirst].reverse(), API_RULES);

const incoming = frame('parserOnIncoming', 'node:_http_server');
const expressRouter = frame('handle', nodeModules('router/index.js'));
const helmet = frame('helmetMiddleware', nodeModules('helmet/index.cjs'));
const next = frame('next', nodeModules('router/index.js'));
const nestRouter = frame('', nodeModules('@nestjs/core/router/router-execution-context.js'));

describe('categoryOf: which part of the request a sample is spent in', () => {
  it('gives a middleware what it calls, down to Node', () => {
    expect(category(incoming, expressRouter, helmet, frame('setHeader', 'node:_http_outgoing'))).toBe('helmet');
  });

  it('does not give a middleware what its next() reaches through the router', () => {
    expect(category(incoming, expressRouter, helmet, next, nestRouter)).toBe('Nest pipeline (router, guards, interceptors, filters, CQRS, rxjs)');
    expect(category(incoming, expressRouter, helmet, next, nestRouter, frame('canActivate', dist('apps/api/src/auth/api-key.guard.js')), frame('get'))).toBe('API-key guard');
  });

  it("gives Node the socket write under Express's res.json, and Express its own work", () => {
    const json = frame('json', nodeModules('express/lib/response.js'));
    expect(category(incoming, expressRouter, nestRouter, json, frame('end', 'node:_http_outgoing'), frame('writev'))).toBe('Node HTTP/net/streams');
    expect(category(incoming, expressRouter, nestRouter, json)).toBe('Express routing and middleware');
  });

  it('tells the COMMIT of a group apart from the appends in it, and gives projections all they call', () => {
    const flush = frame('flush', dist('libs/event-store/src/sqlite/group-commit.js'));
    const immediate = frame('processImmediate', 'node:internal/timers');
    expect(category(immediate, flush, frame('exec', nodeModules('better-sqlite3/lib/methods/wrappers.js')))).toBe('SQLite BEGIN/COMMIT (fsync wait included)');
    expect(category(immediate, flush, frame('append', dist('libs/event-store/src/sqlite/append.js')), frame('run'))).toBe('append (SQL, hashing, checks)');
    expect(category(frame('runMicrotasks'), frame('apply', dist('libs/projections/src/engine/batch.js')), frame('decide', dist('libs/domain/src/x.js')), frame('stringify'))).toBe(
      'projections/policies in the process',
    );
  });

  it("tells a read model's query from a projection writing it, by the caller of the read-model database", () => {
    const readModelDb = frame('all', dist('libs/projections/src/read-models/sqlite-read-model-database.js'));
    const microtasks = frame('runMicrotasks');
    expect(category(microtasks, frame('listParticipants', dist('libs/projections/src/participant-summary/participant-summary.queries.js')), readModelDb, frame('all'))).toBe('read-model queries');
    expect(category(microtasks, frame('loadStored', dist('libs/projections/src/participant-programme/participant-programme.projection.js')), readModelDb, frame('all'))).toBe(
      'projections/policies in the process',
    );
  });

  it('names what is outside any rule', () => {
    expect(category(frame('(garbage collector)'))).toBe(GC);
    expect(category(frame('(idle)'))).toBe(IDLE);
    expect(category(frame('somewhere', 'file:///elsewhere.js'))).toBe('other');
  });
});

describe('budgetOf: time by category over a window, per request', () => {
  // root → (idle), (garbage collector), parserOnIncoming → router → helmet → setHeader
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('(garbage collector)') },
      { id: 4, callFrame: incoming, children: [5] },
      { id: 5, callFrame: expressRouter, children: [6] },
      { id: 6, callFrame: helmet, children: [7] },
      { id: 7, callFrame: frame('setHeader', 'node:_http_outgoing') },
    ],
    startTime: 1_000,
    // Samples at 1 100, 1 200, 1 500, 1 600, 2 000; the profile ends at 2 100.
    samples: [7, 5, 2, 3, 7],
    timeDeltas: [100, 100, 300, 100, 400],
    endTime: 2_100,
  };

  it('counts each sample until the next one, leaves idle out of the busy time, and divides by the requests', () => {
    const budget = budgetOf(profile, API_RULES, { requests: 2 });
    expect(budget.samples).toBe(5);
    expect(budget.idleMs).toBe(0.1);
    expect(budget.busyMs).toBe(0.9);
    expect(budget.busyMsPerRequest).toBe(0.45);
    expect(budget.categories).toEqual([
      { category: GC, ms: 0.4, msPerRequest: 0.2, share: 0.444 },
      { category: 'Express routing and middleware', ms: 0.3, msPerRequest: 0.15, share: 0.333 },
      { category: 'helmet', ms: 0.2, msPerRequest: 0.1, share: 0.222 },
    ]);
  });

  it('takes only the samples inside the window', () => {
    const budget = budgetOf(profile, API_RULES, { fromUs: 1_150, toUs: 1_600 });
    expect(budget.samples).toBe(2);
    expect(budget.busyMs).toBe(0.3);
    expect(budget.idleMs).toBe(0.1);
    expect(budget.busyMsPerRequest).toBeNull();
    expect(budget.categories.map(({ category: name }) => name)).toEqual(['Express routing and middleware']);
  });
});
