import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '@ecf/runtime';
import { BARE_ADAPTERS, BareAdapter, fasterBareApp } from './http/bare-adapters';
import { EndpointFigures, LoadSettings, measureEndpoint, RotatingRequest } from './http/load';
import { capturePages, medianOf, rawScan, readFromMemory, readWholeFeed, readWholeFeedOneAhead } from './http/feed';
import { COHORT, createKey, SCHOOL_URN, seedActiveEcts } from './http/seed';
import { monotonicMicroseconds, ProfileRecorder } from './http/profile-windows';
import { ServerProcess } from './http/server-process';

export interface HttpBenchmarkOptions {
  readonly durationSeconds: number;
  readonly connections: number;
  /** Active ECTs the requests rotate over (default 300). */
  readonly participants?: number;
  /** Unmeasured load on each endpoint first, so both servers are measured warm (default 2). */
  readonly warmupSeconds?: number;
  /**
   * A V8 CPU profile of every server under the same load: DIR/<server>/*.cpuprofile, and DIR/windows.json with
   * each measured route's interval (read by bench/profile-budget.ts).
   */
  readonly cpuProfileDir?: string;
  /** The API's LOG_LEVEL (default warn: a line per request would measure the terminal). */
  readonly logLevel?: string;
  /**
   * `feed`: the feed and its raw scan alone, on the log the command run writes (run to write it, not
   * reported); no bare app, no query endpoints, no separate projector. About a minute instead of ten.
   * `command`: the bare apps and the command (projections in the API) alone, for a profile of the command:
   * no query endpoints, no feed, no separate projector.
   */
  readonly only?: 'feed' | 'command';
}

/** The issue's targets for the command endpoint at 64 connections. */
const TARGET_COMMAND_P99_MS = 25;
const TARGET_COMMAND_THROUGHPUT_RATIO = 0.5;
/** The documented maximum of RATE_LIMIT_PER_MINUTE: the throttler still runs, as in production, but never answers 429 here. */
const RATE_LIMIT_PER_MINUTE = '1000000';
const CATCH_UP_TIMEOUT_MS = 120_000;

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const seconds = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e9;
const yesterday = (): string => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const json = { 'content-type': 'application/json' };

/** Waits until every projection and policy of the API has applied the whole log, so a query run starts quiet. */
async function projectionsCaughtUp(baseUrl: string): Promise<number> {
  const started = process.hrtime.bigint();
  for (;;) {
    const health = (await (await fetch(`${baseUrl}/health`)).json()) as { projections: { name: string; lagPositions: number; status: string }[] };
    const failed = health.projections.find((projection) => projection.status === 'failed');
    if (failed) throw new Error(`Projection ${failed.name} failed during the benchmark`);
    if (health.projections.every((projection) => projection.lagPositions === 0)) return round(seconds(started));
    if (seconds(started) * 1000 > CATCH_UP_TIMEOUT_MS) throw new Error(`Projections did not catch up within ${CATCH_UP_TIMEOUT_MS} ms: ${JSON.stringify(health.projections)}`);
    await new Promise((resolveTick) => setTimeout(resolveTick, 50));
  }
}

type MeasuredFigures = EndpointFigures & { readonly serverCpuMsPerRequest: number | null };

/** Where a measured run is listed for the profile: the server's profile folder and the route's name. */
interface ProfiledAs {
  readonly recorder: ProfileRecorder | undefined;
  readonly server: string;
  readonly route: string;
}

async function warmThenMeasure(server: ServerProcess, request: RotatingRequest, settings: LoadSettings, warmupSeconds: number, profiled?: ProfiledAs): Promise<{ warmup: EndpointFigures; measured: MeasuredFigures }> {
  const warmup = await measureEndpoint(server.baseUrl, request, { ...settings, durationSeconds: warmupSeconds });
  const cpuBefore = server.cpuMilliseconds();
  const startUs = monotonicMicroseconds();
  const measured = await measureEndpoint(server.baseUrl, request, settings);
  const endUs = monotonicMicroseconds();
  const cpuAfter = server.cpuMilliseconds();
  profiled?.recorder?.record({ server: profiled.server, route: profiled.route, startUs, endUs, responses: measured.responses });
  const serverCpuMsPerRequest = cpuBefore === null || cpuAfter === null || measured.responses === 0 ? null : round((cpuAfter - cpuBefore) / measured.responses, 3);
  return { warmup, measured: { ...measured, serverCpuMsPerRequest } };
}

const ratio = (product: EndpointFigures, baseline: EndpointFigures): number => round(product.requestsPerSecond / baseline.requestsPerSecond);
/** The product's server CPU per request over the bare app's: how much more work each request is. */
const cpuRatio = (product: MeasuredFigures, baseline: MeasuredFigures): number | null =>
  product.serverCpuMsPerRequest === null || baseline.serverCpuMsPerRequest === null ? null : round(product.serverCpuMsPerRequest / baseline.serverCpuMsPerRequest, 1);

function countStoredEngagements(dataDir: string): number {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return db.prepare<[], { count: number }>("SELECT COUNT(*) AS count FROM events WHERE type = 'EngagementRecorded'").get()?.count ?? 0;
  } finally {
    db.close();
  }
}

/** `apps/projector` in a process of its own beside the API (started with RUN_PROJECTIONS=false). */
function startProjector(env: Record<string, string>): { stop(): Promise<void> } {
  const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'apps', 'projector', 'src', 'main.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The read endpoints measured after the command run, on the participants it wrote to. */
type MeasureQueries<Q> = (api: ServerProcess, ids: readonly string[], headers: Record<string, string>, profiled: Omit<ProfiledAs, 'route'>) => Promise<Q>;

const oneParticipantAndList =
  (settings: LoadSettings, warmupSeconds: number): MeasureQueries<{ participant: MeasuredFigures; list: MeasuredFigures }> =>
  async (api, ids, headers, profiled) => ({
    participant: (await warmThenMeasure(api, { method: 'GET', path: (n) => `/participants/${ids[n % ids.length]}`, headers }, settings, warmupSeconds, { ...profiled, route: 'participant' })).measured,
    list: (await warmThenMeasure(api, { method: 'GET', path: () => `/participants?schoolUrn=${SCHOOL_URN}&cohort=${COHORT}&limit=50`, headers }, settings, warmupSeconds, { ...profiled, route: 'list' })).measured,
  });

/**
 * The real API on a temporary SQLite store: a command under load, then `queries` (a one-participant query
 * and the list, each under the same load), then the feed. With `separateProjector`, projections and policies
 * run in the projector process, as a production deployment runs them, and the API only decides and appends.
 */
async function measureApi<Q>(settings: LoadSettings, options: HttpBenchmarkOptions, recorder: ProfileRecorder | undefined, warmupSeconds: number, queries: MeasureQueries<Q>, separateProjector = false, withFeed = true) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecf-bench-http-'));
  const env = { DATA_DIR: dataDir, LOG_LEVEL: options.logLevel ?? 'warn', RATE_LIMIT_PER_MINUTE, NODE_ENV: 'production', RUN_PROJECTIONS: String(!separateProjector) };
  try {
    const keys = { dpl: await createKey(dataDir, 'dpl'), system: await createKey(dataDir, 'system'), auditor: await createKey(dataDir, 'auditor') };
    const projector = separateProjector ? startProjector(env) : null;
    const server = separateProjector ? 'api-separate-projector' : 'api';
    const api = await ServerProcess.start(join(projectRoot(), 'dist', 'apps', 'api', 'src', 'main.js'), env, recorder?.nodeArgs(server) ?? []);
    try {
      const ids = await seedActiveEcts(api.baseUrl, keys, options.participants ?? 300);
      await projectionsCaughtUp(api.baseUrl);
      const occurredOn = yesterday();
      const command = await warmThenMeasure(
        api,
        {
          method: 'POST',
          path: (n) => `/participants/${ids[n % ids.length]}/engagements`,
          headers: { ...json, authorization: `Bearer ${keys.system}` },
          body: JSON.stringify({ kind: 'self-study', occurredOn, reference: 'bench' }),
        },
        settings,
        warmupSeconds,
        { recorder, server, route: 'command' },
      );
      const catchUpAfterCommandsSeconds = await projectionsCaughtUp(api.baseUrl);
      const read = { authorization: `Bearer ${keys.auditor}` };
      const measuredQueries = await queries(api, ids, read, { recorder, server });
      // A reporting job's read of the whole log, after a warm-up read of its first pages.
      if (withFeed) await readWholeFeed(api.baseUrl, keys.auditor, 100);
      const feed = withFeed ? await medianOf(5, () => readWholeFeed(api.baseUrl, keys.auditor)) : null;
      const feedOneAhead = withFeed ? await medianOf(5, () => readWholeFeedOneAhead(api.baseUrl, keys.auditor)) : null;
      const pages = withFeed ? await capturePages(api.baseUrl, keys.auditor) : [];
      await api.stop();
      const feedBaseline = withFeed ? await medianOf(5, () => rawScan(dataDir)) : null;
      const feedFromMemory = withFeed ? await medianOf(5, () => readFromMemory(pages, (baseUrl) => readWholeFeed(baseUrl, 'unused'))) : null;
      const acknowledged = (command.warmup.statusCodes['200'] ?? 0) + (command.measured.statusCodes['200'] ?? 0);
      const stored = countStoredEngagements(dataDir);
      // Requests still in flight when the load stops may be stored without their answer being counted; fewer would be a lost write.
      if (stored < acknowledged) throw new Error(`${acknowledged} engagements were acknowledged but only ${stored} are in the log`);
      return {
        participants: ids.length,
        eventsPerParticipantAtEnd: round((stored + 2 * ids.length) / ids.length, 1),
        command: command.measured,
        ...measuredQueries,
        engagements: { acknowledged, stored },
        projectionCatchUpAfterCommandsSeconds: catchUpAfterCommandsSeconds,
        feed:
          feed === null || feedOneAhead === null || feedBaseline === null || feedFromMemory === null
            ? null
            : {
                ...feed,
                eventsPerSecond: round(feed.events / feed.seconds, 0),
                oneAhead: { ...feedOneAhead, eventsPerSecond: round(feedOneAhead.events / feedOneAhead.seconds, 0) },
                readerFloor: {
                  name: 'the same pages, byte for byte, served from memory by a bare node:http server in the bench process, read the same way: what the reader alone costs',
                  ...feedFromMemory,
                  eventsPerSecond: round(feedFromMemory.events / feedFromMemory.seconds, 0),
                },
                baseline: { name: 'raw scan of the event table with JSON.parse of data and metadata, in-process', ...feedBaseline, eventsPerSecond: round(feedBaseline.events / feedBaseline.seconds, 0) },
              },
      };
    } finally {
      await api.stop();
      await projector?.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One bare NestJS app on one adapter: the same request shapes, headers and bodies, the same load. */
async function measureBareApp(adapter: BareAdapter, settings: LoadSettings, recorder: ProfileRecorder | undefined, warmupSeconds: number) {
  const server = `bare-${adapter}`;
  const bare = await ServerProcess.start(join(__dirname, 'http', 'bare-nest-app.js'), { NODE_ENV: 'production' }, recorder?.nodeArgs(server) ?? [], [adapter]);
  try {
    const headers = { ...json, authorization: 'Bearer unused' };
    const post = await warmThenMeasure(
      bare,
      { method: 'POST', path: (n) => `/bare/${n % 300}/commands`, headers, body: JSON.stringify({ kind: 'self-study', occurredOn: yesterday(), reference: 'bench' }) },
      settings,
      warmupSeconds,
      { recorder, server, route: 'post' },
    );
    const get = await warmThenMeasure(bare, { method: 'GET', path: (n) => `/bare/${n % 300}`, headers }, settings, warmupSeconds, { recorder, server, route: 'get' });
    return { post: post.measured, get: get.measured };
  } finally {
    await bare.stop();
  }
}

/** The baselines: the bare app on each adapter, one after the other; each route's baseline is the faster on it. */
async function measureBareNest(settings: LoadSettings, recorder: ProfileRecorder | undefined, warmupSeconds: number) {
  const byAdapter = {} as Record<BareAdapter, Awaited<ReturnType<typeof measureBareApp>>>;
  for (const adapter of BARE_ADAPTERS) byAdapter[adapter] = await measureBareApp(adapter, settings, recorder, warmupSeconds);
  const route = (of: 'post' | 'get') => Object.fromEntries(BARE_ADAPTERS.map((adapter) => [adapter, byAdapter[adapter][of]])) as Record<BareAdapter, MeasuredFigures>;
  return {
    post: fasterBareApp('bare NestJS POST /bare/:id/commands, same body and headers; the faster of Express and Fastify', route('post')),
    get: fasterBareApp('bare NestJS GET /bare/:id; the faster of Express and Fastify', route('get')),
  };
}

type FeedFigures = NonNullable<Awaited<ReturnType<typeof measureApi>>['feed']>;

const feedFigure = (feed: FeedFigures) => ({
  route:
    'GET /events?after=&limit=1000 from 0 to the head (auditor key), as a reporting job reads it: one page after another (?after=next), ' +
    'and following each page’s Link rel="next" as its headers arrive (oneAhead); the median of 5 whole reads each, and of 5 raw scans',
  ...feed,
  rateRatioToBaseline: round(feed.eventsPerSecond / feed.baseline.eventsPerSecond),
  oneAheadRateRatioToBaseline: round(feed.oneAhead.eventsPerSecond / feed.baseline.eventsPerSecond),
  readerFloorRatioToBaseline: round(feed.readerFloor.eventsPerSecond / feed.baseline.eventsPerSecond),
  target: '≥ 0.5 × the raw scan',
});

/**
 * The HTTP API under autocannon at fixed concurrency, each endpoint beside a bare NestJS endpoint
 * measured the same way in the same run. Every non-2xx answer is counted and reported.
 */
export async function httpBenchmark(options: HttpBenchmarkOptions): Promise<Record<string, unknown>> {
  const settings: LoadSettings = { connections: options.connections, durationSeconds: options.durationSeconds };
  const warmupSeconds = options.warmupSeconds ?? 2;
  const recorder = options.cpuProfileDir === undefined ? undefined : new ProfileRecorder(options.cpuProfileDir);
  const machine = { node: process.version, cpus: cpus().length };
  if (options.only === 'feed') {
    const { feed } = await measureApi(settings, options, recorder, warmupSeconds, async () => ({}));
    return { name: 'HTTP API: the event feed alone', machine, feed: feedFigure(feed as FeedFigures) };
  }
  const bare = await measureBareNest(settings, recorder, warmupSeconds);
  if (options.only === 'command') {
    const api = await measureApi(settings, options, recorder, warmupSeconds, async () => ({}), false, false);
    return {
      name: 'HTTP API: the command alone (projections in the API)',
      machine,
      command: {
        route: 'POST /participants/:id/engagements (RecordEngagement, system key), rotating over the active ECTs',
        ...api.command,
        baseline: bare.post,
        throughputRatioToBaseline: ratio(api.command, bare.post),
        target: '≥ 0.5 × bare NestJS',
        serverCpuRatioToBaseline: cpuRatio(api.command, bare.post),
        engagements: api.engagements,
      },
    };
  }
  const queries = oneParticipantAndList(settings, warmupSeconds);
  const api = await measureApi(settings, options, recorder, warmupSeconds, queries);
  const apart = await measureApi(settings, options, recorder, warmupSeconds, queries, true);
  const commandRatio = ratio(api.command, bare.post);
  const sum = (of: (figures: EndpointFigures) => number): number => of(api.command) + of(api.participant) + of(api.list);
  return {
    name: 'HTTP API under load (autocannon, closed loop, fixed connections)',
    machine,
    settings: {
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      warmupSecondsPerEndpoint: warmupSeconds,
      api: {
        eventStore: 'sqlite (WAL, synchronous=FULL), projections in-process',
        logLevel: options.logLevel ?? 'warn',
        rateLimitPerMinute: Number(RATE_LIMIT_PER_MINUTE),
        participants: api.participants,
        eventsPerParticipantAtEnd: api.eventsPerParticipantAtEnd,
      },
    },
    command: {
      route: 'POST /participants/:id/engagements (RecordEngagement, system key), rotating over the active ECTs',
      ...api.command,
      baseline: bare.post,
      throughputRatioToBaseline: commandRatio,
      target: '≥ 0.5 × bare NestJS',
      serverCpuRatioToBaseline: cpuRatio(api.command, bare.post),
      engagements: api.engagements,
      projectionCatchUpAfterCommandsSeconds: api.projectionCatchUpAfterCommandsSeconds,
      withSeparateProjector: {
        api: 'RUN_PROJECTIONS=false, apps/projector in a process of its own on the same two cores',
        ...apart.command,
        throughputRatioToBaseline: ratio(apart.command, bare.post),
        serverCpuRatioToBaseline: cpuRatio(apart.command, bare.post),
        engagements: apart.engagements,
        projectionCatchUpAfterCommandsSeconds: apart.projectionCatchUpAfterCommandsSeconds,
      },
    },
    participant: {
      route: 'GET /participants/:id (stream replayed), rotating over the active ECTs',
      ...api.participant,
      baseline: bare.get,
      throughputRatioToBaseline: ratio(api.participant, bare.get),
      target: '≥ 0.5 × bare NestJS',
      serverCpuRatioToBaseline: cpuRatio(api.participant, bare.get),
    },
    list: {
      route: `GET /participants?schoolUrn=${SCHOOL_URN}&cohort=${COHORT}&limit=50 (participant-summary projection)`,
      ...api.list,
      baseline: bare.get,
      throughputRatioToBaseline: ratio(api.list, bare.get),
      target: '≥ 0.5 × bare NestJS',
      serverCpuRatioToBaseline: cpuRatio(api.list, bare.get),
    },
    feed: feedFigure(api.feed as FeedFigures),
    targets: {
      commandP99Ms: { target: `< ${TARGET_COMMAND_P99_MS}`, measured: api.command.p99Ms, met: api.command.p99Ms < TARGET_COMMAND_P99_MS },
      commandThroughputRatio: { target: `>= ${TARGET_COMMAND_THROUGHPUT_RATIO}`, measured: commandRatio, met: commandRatio >= TARGET_COMMAND_THROUGHPUT_RATIO },
      non2xx: { target: 0, measured: sum((figures) => figures.non2xx), met: sum((figures) => figures.non2xx) === 0 },
      // A request still unanswered after autocannon's 10 s timeout is in no latency percentile: counted here instead.
      unanswered: { target: 0, measured: sum((figures) => figures.errors), met: sum((figures) => figures.errors) === 0 },
    },
  };
}
