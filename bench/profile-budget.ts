import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProfileWindow } from './http/profile-windows';

/** The parts of a V8 `.cpuprofile` (node --cpu-prof) the budget reads. Times are microseconds. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame; readonly children?: readonly number[] }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}

/** A frame test: every pattern given must match. */
export interface FrameMatcher {
  readonly url?: RegExp;
  readonly functionName?: RegExp;
}

/**
 * How a rule claims a sample (`categoryOf`):
 * - `outer`: a frame anywhere on the stack matches (and `leaf`, `caller` where given: the frame the sample is
 *   in and the one that called it). Work that runs beside the requests and owns all it calls: projections and
 *   policies, the COMMIT. Tried first, in order.
 * - `component`: the innermost component on the stack owns the sample, with what it called (a middleware,
 *   the guard, the domain, the append): the throttler's `res.header()` and Node's `setHeader` under it are
 *   the throttler's.
 * - `dispatch`: a framework's frames that call onward (Express's router and its `next()`, Nest's router and
 *   interceptors): no component above one owns the sample, so the handler that helmet's `next()` reaches is
 *   not helmet's.
 * - `framework` (and `dispatch`): with no component below the first dispatch frame, the innermost framework
 *   frame's category (Express, Fastify, Nest)...
 * - `utility`: ...unless a utility frame (JSON, Node's HTTP and streams, async hooks) is inner to every
 *   framework frame: Express's socket write is Node's.
 */
export interface Rule {
  readonly category: string;
  readonly kind: 'outer' | 'component' | 'dispatch' | 'framework' | 'utility';
  readonly frame: FrameMatcher;
  readonly leaf?: FrameMatcher;
  readonly caller?: FrameMatcher;
}

export interface Budget {
  /** Samples in the window, and the interval they cover. */
  readonly samples: number;
  readonly windowMs: number;
  /** Time in JavaScript, native code, GC: everything but `(idle)`. */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly requests: number | null;
  readonly busyMsPerRequest: number | null;
  /** Busy time by category, largest first: ms in the window, ms per request, share of the busy time. */
  readonly categories: readonly { readonly category: string; readonly ms: number; readonly msPerRequest: number | null; readonly share: number }[];
}

export const IDLE = '(idle)';
export const GC = 'GC';
export const PROGRAM = 'native, outside JS ((program))';
export const OTHER = 'other';

/** A statement's run: the native call, or better-sqlite3's JS wrapper of `exec`. */
const sqliteStatement: FrameMatcher = { functionName: /^(run|exec)$/, url: /^$|\/better-sqlite3\/lib\/methods\/wrappers\.js$/ };

/**
 * This project's categories for a request of the API (and of the bare apps, which only reach frameworks and
 * utilities). Paths are those of the built files (dist/apps, dist/libs) and of node_modules.
 */
export const API_RULES: readonly Rule[] = [
  // Applying events: everything under the consumers, the subscription, the projection engine and a projection's
  // handlers (after an await a stack starts at the handler, without the engine's frames under it).
  {
    category: 'projections/policies in the process',
    kind: 'outer',
    frame: { url: /\/libs\/projections\/src\/(engine\/|.*\.projection\.js$)|\/libs\/command-handling\/src\/(consumers|policies\/)|\/libs\/event-store\/src\/subscription/ },
  },
  // better-sqlite3's transaction wrapper runs BEGIN, SAVEPOINT, RELEASE and COMMIT statements; the group commit execs its own.
  { category: 'SQLite BEGIN/COMMIT (fsync wait included)', kind: 'outer', frame: {}, leaf: sqliteStatement, caller: { url: /\/better-sqlite3\/lib\/methods\/transaction\.js$/ } },
  { category: 'SQLite BEGIN/COMMIT (fsync wait included)', kind: 'outer', frame: {}, leaf: sqliteStatement, caller: { url: /\/libs\/event-store\/src\/sqlite\/group-commit\.js$/, functionName: /^flush$/ } },
  { category: 'append (SQL, hashing, checks)', kind: 'component', frame: { url: /\/libs\/event-store\/src\/(sqlite\/(append|group-commit|head-position)|hash-chain|expected-revision|stored-metadata)|\/better-sqlite3\/lib\/methods\/transaction/ } },
  { category: 'API-key guard', kind: 'component', frame: { url: /\/apps\/api\/src\/auth\/(api-key\.guard|auth-failure-limiter|permissions|scope)|\/libs\/runtime\/src\/api-keys\// } },
  { category: 'throttler', kind: 'component', frame: { url: /\/apps\/api\/src\/auth\/(key-throttler|fixed-window)|\/@nestjs\/throttler\// } },
  { category: 'helmet', kind: 'component', frame: { url: /\/node_modules\/helmet\// } },
  {
    category: 'class-validator/class-transformer',
    kind: 'component',
    frame: { url: /\/node_modules\/(class-validator|class-transformer|validator)\/|\/@nestjs\/common\/pipes\/validation\.pipe|\/apps\/api\/src\/commands\/(validation\.pipe|validators|uuid-param)|\/apps\/api\/src\/participants\/dto\// },
  },
  { category: 'pino logging', kind: 'component', frame: { url: /\/node_modules\/(pino|pino-http|nestjs-pino|sonic-boom|pino-std-serializers|thread-stream|on-exit-leak-free)\/|\/apps\/api\/src\/observability\/request-log/ } },
  { category: 'metrics/tracing', kind: 'component', frame: { url: /\/node_modules\/(prom-client|@opentelemetry\/[^/]+)\/|\/apps\/api\/src\/observability\/|\/libs\/runtime\/src\/observability\/|\/libs\/event-store\/src\/telemetry\// } },
  // Not the read-model database itself: its caller (a query, or a projection above) decides.
  { category: 'read-model queries', kind: 'component', frame: { url: /\/libs\/projections\/src\/(?!read-models\/)|\/apps\/api\/src\/programme\/programme-reader/ } },
  {
    category: 'stream reads and scope check',
    kind: 'component',
    frame: { url: /\/apps\/api\/src\/participants\/(participant-access|participant-reads)|\/libs\/event-store\/src\/(sqlite\/(read-|event-row|normalise)|personal-data-sealing|aggregate-stream|stored-json)|\/libs\/runtime\/src\/personal-data\// },
  },
  { category: 'fold+decide (domain, command handling)', kind: 'component', frame: { url: /\/libs\/domain\/|\/libs\/command-handling\/src\/|\/libs\/runtime\/src\/|\/node_modules\/(@js-joda\/[^/]+|uuid)\// } },
  { category: 'API controllers, commands, problem filter', kind: 'component', frame: { url: /\/apps\/api\/src\// } },
  { category: 'Fastify routing and hooks', kind: 'dispatch', frame: { url: /\/node_modules\/fastify\/lib\/(hooks|route|handle-request)\.js$|\/node_modules\/find-my-way\// } },
  { category: 'Fastify routing and hooks', kind: 'framework', frame: { url: /\/node_modules\/(fastify|find-my-way|@fastify\/[^/]+|avvio|fast-querystring|fastq|@nestjs\/platform-fastify)\// } },
  { category: 'Express routing and middleware', kind: 'dispatch', frame: { url: /\/node_modules\/(router\/(index|lib\/layer|lib\/route)|express\/lib\/(application|express))\.js$/ } },
  {
    category: 'Express routing and middleware',
    kind: 'framework',
    frame: {
      url: /\/node_modules\/(express|router|body-parser|raw-body|finalhandler|send|serve-static|on-finished|qs|type-is|content-type|mime-types|media-typer|iconv-lite|accepts|negotiator|vary|parseurl|path-to-regexp|statuses|depd|cookie|proxy-addr|fresh|etag|http-errors|@nestjs\/platform-express)\//,
    },
  },
  { category: 'Nest pipeline (router, guards, interceptors, filters, CQRS, rxjs)', kind: 'dispatch', frame: { url: /\/node_modules\/(@nestjs\/core\/(router\/(router-proxy|router-execution-context)|interceptors\/)|rxjs\/)/ } },
  { category: 'Nest pipeline (router, guards, interceptors, filters, CQRS, rxjs)', kind: 'framework', frame: { url: /\/node_modules\/(@nestjs\/(core|common|cqrs)|rxjs|reflect-metadata)\// } },
  { category: 'JSON (parse/stringify)', kind: 'utility', frame: { functionName: /^(JSON\.)?(parse|stringify)$/, url: /^$/ } },
  { category: 'JSON (parse/stringify)', kind: 'utility', frame: { url: /\/node_modules\/(secure-json-parse|fast-json-stringify)\// } },
  { category: 'promises and async context (microtasks, async_hooks)', kind: 'utility', frame: { functionName: /^runMicrotasks$/, url: /^$/ } },
  { category: 'promises and async context (microtasks, async_hooks)', kind: 'utility', frame: { url: /^node:(internal\/)?async_hooks$/ } },
  { category: 'Node HTTP/net/streams', kind: 'utility', frame: { url: /^node:(_http_|net$|internal\/(stream|streams|http|net|process\/task_queues)|events$|stream$)/ } },
  { category: 'Node internals (other)', kind: 'utility', frame: { url: /^node:/ } },
];

const matches = (frame: CallFrame, matcher: FrameMatcher): boolean =>
  (matcher.url === undefined || matcher.url.test(frame.url)) && (matcher.functionName === undefined || matcher.functionName.test(frame.functionName));

/** The category of one stack, leaf first (`Rule` says how each kind claims it). */
export function categoryOf(stack: readonly CallFrame[], rules: readonly Rule[]): string {
  const leaf = stack[0];
  if (leaf === undefined) return OTHER;
  if (leaf.functionName === '(idle)') return IDLE;
  if (leaf.functionName === '(garbage collector)') return GC;
  if (leaf.functionName === '(program)') return PROGRAM;
  for (const rule of rules) {
    if (rule.kind !== 'outer') continue;
    if (rule.leaf !== undefined && !matches(leaf, rule.leaf)) continue;
    if (rule.caller !== undefined && (stack[1] === undefined || !matches(stack[1], rule.caller))) continue;
    if (stack.some((frame) => matches(frame, rule.frame))) return rule.category;
  }
  let utility: string | undefined;
  let framework: string | undefined;
  for (const frame of stack) {
    const rule = rules.find((candidate) => candidate.kind !== 'outer' && matches(frame, candidate.frame));
    if (rule === undefined) continue;
    if (rule.kind === 'component') return rule.category;
    if (rule.kind === 'utility') {
      if (utility === undefined && framework === undefined) utility = rule.category;
      continue;
    }
    framework ??= rule.category;
    if (rule.kind === 'dispatch') break;
  }
  return utility ?? framework ?? OTHER;
}

/** Each sample's time: until the next sample (the last one's, until the profile's end), as DevTools counts it. */
function sampleTimes(profile: CpuProfile): { at: number; duration: number }[] {
  const times: { at: number; duration: number }[] = [];
  let at = profile.startTime;
  for (let index = 0; index < profile.samples.length; index += 1) {
    at += profile.timeDeltas[index] ?? 0;
    times.push({ at, duration: 0 });
  }
  times.forEach((time, index) => {
    time.duration = Math.max(0, (times[index + 1]?.at ?? profile.endTime) - time.at);
  });
  return times;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * The profile's time by category, over the samples taken in [fromUs, toUs) (the whole profile without them),
 * and per request when the number of requests answered in that window is given.
 */
export function budgetOf(profile: CpuProfile, rules: readonly Rule[], window: { fromUs?: number; toUs?: number; requests?: number } = {}): Budget {
  const parents = new Map<number, number>();
  const frames = new Map<number, CallFrame>();
  for (const node of profile.nodes) {
    frames.set(node.id, node.callFrame);
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  const categories = new Map<number, string>();
  const categoryOfNode = (id: number): string => {
    const known = categories.get(id);
    if (known !== undefined) return known;
    const stack: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = frames.get(at);
      if (frame && frame.functionName !== '(root)') stack.push(frame);
    }
    const category = categoryOf(stack, rules);
    categories.set(id, category);
    return category;
  };
  const fromUs = window.fromUs ?? -Infinity;
  const toUs = window.toUs ?? Infinity;
  const totals = new Map<string, number>();
  let samples = 0;
  let first = Infinity;
  let last = -Infinity;
  sampleTimes(profile).forEach(({ at, duration }, index) => {
    if (at < fromUs || at >= toUs) return;
    samples += 1;
    first = Math.min(first, at);
    last = Math.max(last, at + duration);
    const category = categoryOfNode(profile.samples[index]);
    totals.set(category, (totals.get(category) ?? 0) + duration);
  });
  const idleUs = totals.get(IDLE) ?? 0;
  totals.delete(IDLE);
  const busyUs = [...totals.values()].reduce((sum, value) => sum + value, 0);
  const requests = window.requests ?? null;
  const perRequest = (us: number): number | null => (requests === null || requests === 0 ? null : round(us / 1000 / requests, 4));
  return {
    samples,
    windowMs: samples === 0 ? 0 : round((last - first) / 1000, 1),
    busyMs: round(busyUs / 1000, 1),
    idleMs: round(idleUs / 1000, 1),
    requests,
    busyMsPerRequest: perRequest(busyUs),
    categories: [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([category, us]) => ({ category, ms: round(us / 1000, 1), msPerRequest: perRequest(us), share: busyUs === 0 ? 0 : round(us / busyUs, 3) })),
  };
}

/** The one `.cpuprofile` a server wrote into its folder of a `--cpu-prof DIR` run. */
function profileIn(dir: string): CpuProfile {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`${dir}: expected one .cpuprofile, found ${files.length}`);
  return JSON.parse(readFileSync(join(dir, files[0]), 'utf8')) as CpuProfile;
}

/**
 * `node dist/bench/profile-budget.js DIR` (a `node dist/bench/http-run.js --cpu-prof DIR` run): the budget of every
 * measured window, per request. `node dist/bench/profile-budget.js FILE.cpuprofile [--requests N] [--from-us T]
 * [--to-us T]`: one profile, or the part of it in a window. JSON on stdout.
 */
function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { requests: { type: 'string' }, 'from-us': { type: 'string' }, 'to-us': { type: 'string' }, server: { type: 'string' }, route: { type: 'string' } },
  });
  const [target] = positionals;
  if (target === undefined) throw new Error('usage: profile-budget DIR | FILE.cpuprofile [--requests N] [--from-us T] [--to-us T]');
  const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
  if (target.endsWith('.cpuprofile')) {
    const profile = JSON.parse(readFileSync(target, 'utf8')) as CpuProfile;
    const budget = budgetOf(profile, API_RULES, { fromUs: number(values['from-us']), toUs: number(values['to-us']), requests: number(values.requests) });
    process.stdout.write(`${JSON.stringify(budget, null, 2)}\n`);
    return;
  }
  const windows = (JSON.parse(readFileSync(join(target, 'windows.json'), 'utf8')) as ProfileWindow[]).filter(
    (window) => (values.server === undefined || window.server === values.server) && (values.route === undefined || window.route === values.route),
  );
  const profiles = new Map<string, CpuProfile>();
  const budgets = windows.map((window) => {
    if (!profiles.has(window.server)) profiles.set(window.server, profileIn(join(target, window.server)));
    const profile = profiles.get(window.server) as CpuProfile;
    return { server: window.server, route: window.route, ...budgetOf(profile, API_RULES, { fromUs: window.startUs, toUs: window.endUs, requests: window.responses }) };
  });
  process.stdout.write(`${JSON.stringify(budgets, null, 2)}\n`);
}

if (require.main === module) main();
