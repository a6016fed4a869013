import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PRODUCT_CONSUMER_NAMES } from '@ecf/command-handling';
import { Checkpoints, generationTable, PostgresReadModelDatabase, productProjections, ProjectionRunner } from '@ecf/projections';
import { loadConfig, loadProgrammeCalendar, loadProgrammeData, openEventStore } from '@ecf/runtime';
import { isoDate, londonToday } from '../support/dates';
import { HostProcess } from '../support/host-process';
import { HttpResponse } from '../support/http-client';
import { Host, HostNetwork, namespacesUnavailable, removeLeftovers } from '../support/network-hosts';
import { PrivatePostgres } from '../support/private-postgres';

const CLI_ENTRY = join(resolve(__dirname, '..', '..'), 'bin', 'ecf.js');
/** The bound on a failover; the default lease (6 s, a heartbeat every 2 s) is what runs here. */
const FAILOVER_BOUND_MS = 10_000;
const SCHOOL = '100001';

const unavailable = namespacesUnavailable();
if (unavailable && process.env.CI !== 'true') console.warn(`Skipping the projector failover e2e: ${unavailable}. It runs as root (CI does).`);
const describeHosts = unavailable && process.env.CI !== 'true' ? describe.skip : describe;

/** A metric's value for one consumer in a Prometheus text page, or undefined. */
function gaugeOf(page: string, metric: string, consumer: string, role?: string): number | undefined {
  const labels = role === undefined ? `consumer="${consumer}"` : `consumer="${consumer}",role="${role}"`;
  const line = page.split('\n').find((candidate) => candidate.startsWith(`${metric}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

interface Scrape {
  readonly atMs: number;
  readonly lag: number | undefined;
  readonly held: number;
}

/**
 * Hosts on one PostgreSQL, for real (network namespaces): API hosts A and B behind a round-robin
 * client, projectors P1 and P2, PostgreSQL on a host of its own. Under load, P1 is SIGKILLed (P2 takes
 * over), restarted (it stands by), P2 is frozen with SIGSTOP (P1 takes over; P2, thawed, stands by
 * without writing), and API host A is killed mid-load (clients retry through B with the same
 * Idempotency-Key). Then: every acknowledged command is in the log once, every cascade issued exactly
 * once, the read models equal a clean rebuild, and every host's /metrics showed the lag rise and fall.
 */
describeHosts('Projector failover across hosts on one PostgreSQL (real network namespaces)', () => {
  const network = new HostNetwork();
  let postgres: PrivatePostgres | undefined;
  let scratch = '';
  let env: Record<string, string>;
  const apis: HostProcess[] = [];
  const projectors = new Map<string, HostProcess>();
  const keys: Record<string, string> = {};
  const scrapes = new Map<string, Scrape[]>();
  let began = 0;
  let scraping = true;

  const cliOn = (host: Host, ...args: string[]): Promise<string> =>
    new Promise((resolveRun, reject) =>
      execFile('ip', ['netns', 'exec', host.namespace, process.execPath, CLI_ENTRY, ...args], { env: { ...process.env, ...env, DATA_DIR: join(scratch, host.name) } }, (error, stdout, stderr) =>
        error ? reject(new Error(`ecf ${args.join(' ')} on ${host.name} failed: ${stderr}`)) : resolveRun(stdout),
      ),
    );
  const keyOf = async (host: Host, role: string, ...scope: string[]) =>
    (JSON.parse(await cliOn(host, 'keys', 'create', '--role', role, '--name', `${role} key`, ...scope, '--json')) as { token: string }).token;

  /** Each host's /metrics, every 250 ms: the live participant-programme's lag, and how many leases the host holds. */
  async function scrapeForever(): Promise<void> {
    while (scraping) {
      const targets: [string, string][] = [
        ...apis.filter((api) => api.running).map((api): [string, string] => [`api-${api.host.name}`, `${api.baseUrl}/metrics`]),
        ...[...projectors.entries()].filter(([, projector]) => projector.running).map(([name, projector]): [string, string] => [name, projector.metricsUrl]),
      ];
      await Promise.all(
        targets.map(async ([name, url]) => {
          try {
            const page = await (await fetch(url, { signal: AbortSignal.timeout(2000) })).text();
            const held = PRODUCT_CONSUMER_NAMES.reduce((sum, consumer) => sum + (gaugeOf(page, 'ecf_consumer_lease_held', consumer) ?? 0), 0);
            const series = scrapes.get(name) ?? [];
            series.push({ atMs: Date.now() - began, lag: gaugeOf(page, 'ecf_consumer_lag_events', 'participant-programme', 'live'), held });
            scrapes.set(name, series);
          } catch {
            // A frozen or killed host does not answer; its series has a gap.
          }
        }),
      );
      await new Promise((resolveTick) => setTimeout(resolveTick, 250));
    }
  }

  /** Milliseconds from now until `projector` holds every consumer's lease, read from its own /metrics. */
  async function untilHoldsAll(projector: HostProcess, since: number): Promise<number> {
    for (;;) {
      try {
        const page = await (await fetch(projector.metricsUrl, { signal: AbortSignal.timeout(2000) })).text();
        if (PRODUCT_CONSUMER_NAMES.every((consumer) => gaugeOf(page, 'ecf_consumer_lease_held', consumer) === 1)) return Date.now() - since;
      } catch {
        // Not answering yet.
      }
      if (Date.now() - since > 3 * FAILOVER_BOUND_MS) throw new Error(`${projector.host.name} did not take over:\n${projector.logs()}`);
      await new Promise((resolveTick) => setTimeout(resolveTick, 50));
    }
  }

  // The load: clients sending commands round robin to the API hosts still up, each with an Idempotency-Key.
  interface Sent {
    readonly method: string;
    readonly path: string;
    readonly body: unknown;
    readonly idempotencyKey: string;
    readonly auth: string;
    readonly answer: HttpResponse<Record<string, unknown>>;
    readonly host: string;
  }
  const acknowledged: Sent[] = [];
  const retriedAfterFailure: { idempotencyKey: string; failedOn: string }[] = [];
  let roundRobin = 0;
  let slowestMs = 0;

  async function send(method: string, path: string, auth: string, body: unknown): Promise<HttpResponse<Record<string, unknown>>> {
    const idempotencyKey = randomUUID();
    for (let attempt = 0; attempt < 20; attempt++) {
      const up = apis.filter((api) => api.running);
      if (up.length === 0) throw new Error(`${method} ${path}: no API host is up`);
      const api = up[roundRobin++ % up.length];
      const sentAt = Date.now();
      try {
        const response = await fetch(`${api.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        slowestMs = Math.max(slowestMs, Date.now() - sentAt);
        const answer = { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
        if (answer.status >= 500) throw new Error(`${method} ${path} on ${api.host.name}: ${answer.status} ${text}`);
        if (answer.status >= 300) throw new Error(`${method} ${path} refused on ${api.host.name}: ${answer.status} ${text}`);
        acknowledged.push({ method, path, body, idempotencyKey, auth, answer, host: api.host.name });
        return answer;
      } catch (error) {
        // The host died under the request (or before it): the same request, same key, to the next host.
        if (api.running && !String((error as Error).cause ?? error).match(/ECONNRESET|ECONNREFUSED|other side closed|fetch failed|SocketError/)) throw error;
        retriedAfterFailure.push({ idempotencyKey, failedOn: api.host.name });
        await new Promise((resolveTick) => setTimeout(resolveTick, 50));
      }
    }
    throw new Error(`${method} ${path}: no API host answered`);
  }

  const today = londonToday();
  let trn = 5_100_000;
  const pairs: { ect: string; mentor: string; deferred: boolean }[] = [];
  let loading = true;

  /** One client: registers and validates an ECT and a mentor, matches them and defers the ECT (the policy defers the mentor), again and again. */
  async function client(): Promise<void> {
    const register = async (type: 'ects' | 'mentors') => {
      const body = { firstName: 'Fail', lastName: 'Over', dateOfBirth: '1991-02-03', trn: String(++trn), email: `f${trn}@example.org`, schoolUrn: SCHOOL, cohort: 2026 };
      const id = (await send('POST', `/${type}`, keys.tutor, body)).body.participantId as string;
      await send('POST', `/participants/${id}/validation`, keys.system, { outcome: 'validated', reasons: [] });
      return id;
    };
    while (loading) {
      const pair = { ect: await register('ects'), mentor: await register('mentors'), deferred: false };
      pairs.push(pair);
      await send('PUT', `/ects/${pair.ect}/mentor`, keys.tutor, { mentorId: pair.mentor });
      await send('POST', `/ects/${pair.ect}/deferral`, keys.lead, { deferralDate: isoDate(today), expectedReturnDate: isoDate(today.plusMonths(6)), reason: 'parental-leave' });
      pair.deferred = true;
    }
  }

  beforeAll(async () => {
    if (unavailable) throw new Error(`CI=true, and this machine cannot make hosts: ${unavailable}`);
    removeLeftovers();
    network.create();
    const db = network.addHost('db');
    const [hostA, hostB, hostP1, hostP2] = ['a', 'b', 'p1', 'p2'].map((name) => network.addHost(name));
    postgres = await PrivatePostgres.start(network, db);
    await postgres.query('postgres', 'CREATE DATABASE ecf');
    scratch = mkdtempSync(join(tmpdir(), 'ecf-failover-'));
    env = { EVENT_STORE: 'postgres', DATABASE_URL: postgres.url('ecf'), RUN_PROJECTIONS: 'false', RATE_LIMIT_PER_MINUTE: '1000000' };
    apis.push(...(await Promise.all([hostA, hostB].map((host) => HostProcess.api(network, host, { ...env, DATA_DIR: join(scratch, host.name) })))));
    // P1 first, so it takes every lease; P2 then stands by.
    projectors.set('p1', await HostProcess.projector(network, hostP1, { ...env, DATA_DIR: join(scratch, 'p1') }));
    projectors.set('p2', await HostProcess.projector(network, hostP2, { ...env, DATA_DIR: join(scratch, 'p2') }));
    keys.tutor = await keyOf(hostA, 'induction-tutor', '--school', SCHOOL);
    keys.lead = await keyOf(hostA, 'ecf-lead', '--delivery-partner', 'dp-north');
    keys.system = await keyOf(hostA, 'system');
    await send('POST', '/schools', keys.lead, { urn: SCHOOL, name: 'Failover School', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 });
  }, 120_000);

  afterAll(() => {
    scraping = false;
    loading = false;
    for (const projector of projectors.values()) projector.thaw();
    network.destroy();
    postgres?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('a standby projector takes over a killed and a frozen owner within the bound; retries through the other API host are answered once; nothing is lost, doubled or different from a clean rebuild', async () => {
    began = Date.now();
    const scraper = scrapeForever();
    expect(projectors.get('p1')!.logs()).toContain('"running":["participant-summary","school-alerts","participant-programme","policy:mentor-cascade"]');
    expect(projectors.get('p2')!.logs()).toContain('"running":[]');
    const clients = [client(), client(), client()];
    const pause = (ms: number) => new Promise((resolveTick) => setTimeout(resolveTick, ms));
    await pause(4000);

    // P1 dies: P2 takes every consumer over once P1's leases expire.
    const killedAt = Date.now();
    await projectors.get('p1')!.kill();
    const killTakeoverMs = await untilHoldsAll(projectors.get('p2')!, killedAt);
    await pause(2000);

    // P1 comes back: it stands by, P2 keeps the leases.
    projectors.set('p1', await HostProcess.projector(network, projectors.get('p1')!.host, { ...env, DATA_DIR: join(scratch, 'p1-again') }));
    expect(projectors.get('p1')!.logs()).toContain('"running":[]');
    await pause(2000);

    // P2 hangs (SIGSTOP): P1 takes over; P2 thawed finds its leases gone and stands by.
    const frozenAt = Date.now();
    projectors.get('p2')!.freeze();
    const freezeTakeoverMs = await untilHoldsAll(projectors.get('p1')!, frozenAt);
    await pause(3000);
    projectors.get('p2')!.thaw();
    await pause(4000);
    expect(projectors.get('p2')!.logs()).toContain('consumer lease lost to another process; stopped here, standing by');
    expect(projectors.get('p2')!.running).toBe(true);

    // API host A dies mid-load: the clients' requests in flight there are retried through B with their keys.
    const requestsBeforeApiKill = acknowledged.length;
    await apis[0].kill();
    await pause(4000);
    loading = false;
    await Promise.all(clients);

    // Everything handled: the lag of the live read models back to 0, read through B and the owner.
    const head = async () => Number((await postgres!.query<{ head: string }>('ecf', 'SELECT COALESCE(MAX(position), 0) AS head FROM public.events'))[0].head);
    const loadEndedAt = Date.now();
    for (;;) {
      const [positions, last] = [await postgres!.query<{ position: string }>('ecf', `SELECT position FROM read_models.consumer_checkpoints WHERE role = 'live'`), await head()];
      if (positions.length === PRODUCT_CONSUMER_NAMES.length && positions.every((row) => Number(row.position) === last)) break;
      if (Date.now() - loadEndedAt > 120_000) throw new Error(`not caught up with ${last}: ${JSON.stringify(positions)}`);
      await pause(100);
    }
    const catchUpAfterLoadMs = Date.now() - loadEndedAt;
    await pause(1500);
    scraping = false;
    await scraper;

    // Every acknowledged command is in the log, once: the ids answered are the participants registered, one per TRN.
    const registrations = await postgres!.query<{ stream_id: string; trn: string; n: string }>(
      'ecf',
      `SELECT stream_id, data::json->>'trn' AS trn, COUNT(*) AS n FROM public.events WHERE type IN ('ECTRegistered', 'MentorRegistered') GROUP BY stream_id, data::json->>'trn'`,
    );
    const registeredIds = acknowledged.filter((sent) => sent.method === 'POST' && /^\/(ects|mentors)$/.test(sent.path)).map((sent) => sent.answer.body.participantId as string);
    expect(new Set(registeredIds).size).toBe(registeredIds.length);
    expect(registrations.map((row) => row.stream_id.replace(/^participant-/, '')).sort()).toEqual([...registeredIds].sort());
    expect(new Set(registrations.map((row) => row.trn)).size).toBe(registrations.length);
    expect(registrations.every((row) => Number(row.n) === 1)).toBe(true);

    // Every cascade issued exactly once: each deferred ECT's mentor deferred once, by the policy, caused by that deferral.
    const deferrals = await postgres!.query<{ stream_id: string; event_id: string; actor: string; causation: string }>(
      'ecf',
      `SELECT stream_id, event_id, metadata::json->'actor'->>'id' AS actor, metadata::json->>'causationId' AS causation FROM public.events WHERE type = 'ParticipantDeferred'`,
    );
    const deferredPairs = pairs.filter((pair) => pair.deferred);
    const byStream = new Map(deferrals.map((row) => [row.stream_id.replace(/^participant-/, ''), row]));
    expect(deferrals).toHaveLength(2 * deferredPairs.length);
    for (const pair of deferredPairs) {
      const ectDeferral = byStream.get(pair.ect)!;
      expect(byStream.get(pair.mentor)).toMatchObject({ actor: 'policy:mentor-cascade', causation: ectDeferral.event_id });
    }

    // A retry with the same Idempotency-Key through B is answered as the first time, whichever host answered it.
    const replays = acknowledged.filter((sent) => sent.method === 'POST' && /^\/(ects|mentors)$/.test(sent.path));
    for (const sent of replays.slice(0, 40).concat(replays.filter((each) => retriedAfterFailure.some((retry) => retry.idempotencyKey === each.idempotencyKey)))) {
      const again = await fetch(`${apis[1].baseUrl}${sent.path}`, {
        method: sent.method,
        headers: { authorization: `Bearer ${sent.auth}`, 'content-type': 'application/json', 'idempotency-key': sent.idempotencyKey },
        body: JSON.stringify(sent.body),
      });
      expect({ status: again.status, participantId: ((await again.json()) as { participantId: string }).participantId }).toEqual({ status: sent.answer.status, participantId: sent.answer.body.participantId });
    }
    expect((await postgres!.query<{ n: string }>('ecf', `SELECT COUNT(*) AS n FROM public.events WHERE type IN ('ECTRegistered', 'MentorRegistered')`))[0].n).toBe(String(registrations.length));

    // The read models equal a clean rebuild of the same log, built here in a schema of its own.
    const config = loadConfig({ EVENT_STORE: 'postgres', DATABASE_URL: postgres!.url('ecf'), DATA_DIR: join(scratch, 'clean') });
    const store = await openEventStore(config);
    const clean = await PostgresReadModelDatabase.open({ connectionString: postgres!.url('ecf'), schema: 'clean_rebuild' });
    const live = await PostgresReadModelDatabase.open({ connectionString: postgres!.url('ecf'), schema: 'read_models' });
    try {
      const projections = productProjections(loadProgrammeCalendar(config.programmeFile, loadProgrammeData(config.programmeFile)));
      const target = await store.headPosition();
      await new Checkpoints(clean).ensureSchema();
      for (const projection of projections) {
        const runner = new ProjectionRunner(store, clean, projection, new Checkpoints(clean));
        await runner.start();
        await runner.waitUntilCaughtUp(target);
        await runner.stop();
      }
      for (const projection of projections) {
        const [liveGeneration, cleanGeneration] = [(await new Checkpoints(live).of(projection.name, 'live'))!, (await new Checkpoints(clean).of(projection.name, 'live'))!];
        expect(liveGeneration.status).toBe('running');
        for (const logical of projection.tables) {
          const rows = async (db: PostgresReadModelDatabase, generation: number) =>
            (await db.all<object>(`SELECT * FROM ${generationTable(generation)(logical)}`)).map((row) => JSON.stringify(row)).sort();
          expect({ table: logical, rows: await rows(live, liveGeneration.generation) }).toEqual({ table: logical, rows: await rows(clean, cleanGeneration.generation) });
        }
      }
    } finally {
      await Promise.all([store.close(), clean.close(), live.close()]);
    }

    // Every host's /metrics showed the live read model's lag rise during a failover and fall back to 0.
    const lagSeen = Object.fromEntries(
      [...scrapes.entries()].map(([name, series]) => {
        const lags = series.map((scrape) => scrape.lag).filter((lag): lag is number => lag !== undefined);
        return [name, { scrapes: series.length, maxLag: Math.max(...lags), lastLag: lags[lags.length - 1] }];
      }),
    );
    for (const name of ['api-b', 'p1', 'p2']) {
      expect(lagSeen[name].maxLag).toBeGreaterThan(0);
      expect(lagSeen[name].lastLag).toBe(0);
    }
    expect(lagSeen['api-a'].maxLag).toBeGreaterThan(0);

    const figures = {
      killTakeoverMs,
      freezeTakeoverMs,
      commandsAcknowledged: acknowledged.length,
      commandsBeforeApiKill: requestsBeforeApiKill,
      retriedAfterAHostFailed: retriedAfterFailure.length,
      pairs: deferredPairs.length,
      slowestAcknowledgedMs: slowestMs,
      catchUpAfterLoadMs,
      lagSeen,
      // What the thawed projector logged at error level (a batch whose connection the server had ended).
      errorsLoggedByThawedProjector: projectors.get('p2')!.logs().split('\n').filter((line) => line.includes('"level":50')).map((line) => (JSON.parse(line) as { msg: string }).msg),
    };
    process.stdout.write(`projector failover figures: ${JSON.stringify(figures)}\n`);
    expect(killTakeoverMs).toBeLessThan(FAILOVER_BOUND_MS);
    expect(freezeTakeoverMs).toBeLessThan(FAILOVER_BOUND_MS);
    expect(retriedAfterFailure.some((retry) => retry.failedOn === 'a')).toBe(true);
  }, 300_000);
});
