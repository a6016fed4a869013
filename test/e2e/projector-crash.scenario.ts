import fc from 'fast-check';
import { mentorCascadePolicy } from '@ecf/command-handling';
import { CONSUMER_LEASES_TABLE, PARTICIPANT_PROGRAMME_PROJECTION, PARTICIPANT_TIMELINES_TABLE, PRODUCT_PROJECTION_NAMES, productProjections, STREAM_BUILD_CLAIMS_TABLE } from '@ecf/projections';
import { loadConfig, loadProgrammeCalendar, loadProgrammeData } from '@ecf/runtime';
import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';
import { writeProgrammeLog } from '../support/programme-log';
import { ProjectorProcess } from '../support/projector-process';
import { StoreKind, StoreTarget } from '../support/store-target';

const POLICY = 'policy:mentor-cascade';
const CONSUMERS = [...PRODUCT_PROJECTION_NAMES, POLICY];
/** ECT–mentor pairs in the log the projector builds from: a little over 30 000 events before the cascades. */
const PAIRS = 1_550;
const BUILD_KILLS = 8;
/** Rebuilt beside their live generation (`ecf projections rebuild`) while the projector is being killed. */
const REBUILT = ['participant-summary', 'school-alerts'];
const LIVE_KILLS = 4;

/**
 * Where to kill, drawn from a seed (printed; ECF_CRASH_SEED=<seed> replays the plan). During the first
 * build, kills aim at the consumers in turn — the projections in a drawn order, then the policy, which
 * is slower to build (it issues the cascades) — skipping any that finished: once the one aimed at has
 * committed a drawn share of what it had left, plus a few milliseconds. During live processing: a
 * drawn time after this run of the projector first committed.
 */
const killPlan = (seed: number) =>
  fc.sample(
    fc.noBias(
      fc.record({
        projectionOrder: fc.shuffledSubarray([...PRODUCT_PROJECTION_NAMES], { minLength: PRODUCT_PROJECTION_NAMES.length, maxLength: PRODUCT_PROJECTION_NAMES.length }),
        build: fc.array(fc.record({ share: fc.double({ min: 0.05, max: 0.35, noNaN: true }), jitterMs: fc.integer({ min: 0, max: 30 }) }), {
          minLength: BUILD_KILLS,
          maxLength: BUILD_KILLS,
        }),
        liveAfterMs: fc.array(fc.integer({ min: 0, max: 800 }), { minLength: LIVE_KILLS, maxLength: LIVE_KILLS }),
      }),
    ),
    { seed, numRuns: 1 },
  )[0];

const sleep = (ms: number) => new Promise((resolveLater) => setTimeout(resolveLater, ms));

/** Each projection's tables, to name a live generation's tables by their logical names. */
function projectionTables(): ReadonlyMap<string, readonly string[]> {
  const { programmeFile } = loadConfig({});
  return new Map(productProjections(loadProgrammeCalendar(programmeFile, loadProgrammeData(programmeFile))).map((projection) => [projection.name, projection.tables]));
}

/**
 * The projector (a real child process) SIGKILLed at seeded random points while it builds every read
 * model and the mentor-cascade policy's facts from a log of over 30 000 events — the policy issuing
 * the log's cascades as it goes — then while it rebuilds two projections beside their live generation
 * (`ecf projections rebuild`) and commands keep arriving through the API; restarted each time. The
 * read models end up equal to a clean build of the same log, and every cascade was issued exactly
 * once. One spec file per store runs this (projector-crash.<store>.e2e.spec.ts), each within its budget.
 */
export function describeProjectorCrash(kind: StoreKind): void {
  describe(`Projector killed at random points of a large build, a rebuild and live processing (${kind})`, () => {
    let target: StoreTarget | undefined;
    let clean: StoreTarget | undefined;
    let api: ApiProcess | undefined;
    const projectors: ProjectorProcess[] = [];

    afterAll(async () => {
      for (const projector of projectors) await projector.kill();
      await api?.stop();
      await target?.dispose();
      await clean?.dispose();
    });

    /**
     * `participant-programme` is built stream by stream first (ADR 0011): its checkpoint stays at 0 and then
     * jumps to the head, so a kill in the middle of that pass is aimed at the participants it has written.
     */
    const passRows = async (store: StoreTarget): Promise<number> =>
      Number((await store.readModels<{ n: number }>(`SELECT COUNT(*) AS n FROM ${PARTICIPANT_TIMELINES_TABLE}_g1`))[0]?.n ?? 0);
    const positions = async (store: StoreTarget): Promise<Map<string, number>> =>
      new Map((await store.readModels<{ name: string; position: number }>(`SELECT name, position FROM consumer_checkpoints WHERE role = 'live'`)).map((row) => [row.name, row.position]));
    /** Every consumer's live generation at the head, and no other generation building or waiting to be dropped. */
    const settled = async (store: StoreTarget): Promise<boolean> => {
      const head = await store.head();
      const all = await store.readModels<{ name: string; role: string; position: number }>('SELECT name, role, position FROM consumer_checkpoints');
      return all.length === CONSUMERS.length && all.every((checkpoint) => checkpoint.role === 'live' && checkpoint.position === head);
    };
    const startProjector = (store: StoreTarget): ProjectorProcess => {
      // The shortest lease: on PostgreSQL a restarted projector waits for the killed one's leases to expire (on SQLite it sees its owner is gone).
      const projector = ProjectorProcess.start(store.dataDir, { ...store.env, LOG_LEVEL: 'warn', CONSUMER_LEASE_TTL_MS: '1000' });
      projectors.push(projector);
      return projector;
    };

    /** Every read-model table: a live generation's under its logical name, anything else under its own (so a leftover shows). */
    async function readModels(store: StoreTarget): Promise<Record<string, unknown[]>> {
      const tablesOf = projectionTables();
      const live = await store.readModels<{ name: string; generation: number }>(`SELECT name, generation FROM consumer_checkpoints WHERE role = 'live'`);
      const logicalName = new Map(live.flatMap(({ name, generation }) => (tablesOf.get(name) ?? []).map((logical): [string, string] => [`${logical}_g${generation}`, logical])));
      const snapshot: Record<string, unknown[]> = {};
      for (const table of await store.readModelTables()) {
        // Not projections: the pass's claims, the consumers' leases (who runs them), and the API's Idempotency-Key bindings (written by requests, not rebuilt from the log).
        if (![STREAM_BUILD_CLAIMS_TABLE, CONSUMER_LEASES_TABLE, 'idempotency_keys'].includes(table)) snapshot[logicalName.get(table) ?? table] = await store.tableRows(table);
      }
      return snapshot;
    }

    it('ends with read models equal to a clean build of the same log, and every cascade issued exactly once', async () => {
      const seed = Number(process.env.ECF_CRASH_SEED ?? Date.now() % 2_147_483_647);
      process.stdout.write(`projector-crash (${kind}): seed ${seed} (replay with ECF_CRASH_SEED=${seed})\n`);
      const plan = killPlan(seed);
      const timings: Record<string, number> = {};
      let phaseStarted = Date.now();
      const phase = (name: string) => {
        timings[name] = Date.now() - phaseStarted;
        phaseStarted = Date.now();
      };

      target = await StoreTarget.create(kind);
      const store = target;
      const log = await writeProgrammeLog(store, { pairs: PAIRS, firstTrn: 6_000_000 });
      expect(log.head).toBeGreaterThanOrEqual(30_000);
      phase('write log');
      api = await ApiProcess.start({ ...store.env, RUN_PROJECTIONS: 'false', RATE_LIMIT_PER_MINUTE: '1000000' }, store.dataDir);
      const http = httpClient(api.baseUrl);
      const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
      const system = await api.createKey('system');

      // 1. The first build of every read model from the whole log, killed at the planned points.
      const buildKills: { consumer: string; goal: number; checkpoints: Record<string, number>; head: number; passRows: number }[] = [];
      const [{ n: participants }] = await store.events<{ n: number }>(`SELECT COUNT(DISTINCT stream_id) AS n FROM events WHERE stream_id LIKE 'participant-%'`);
      const aims = [...plan.projectionOrder, POLICY];
      for (const [index, { share, jitterMs }] of plan.build.entries()) {
        const at = await positions(store);
        const turn = aims.map((_, offset) => aims[(index + offset) % aims.length]);
        const consumer = turn.find((name) => (at.get(name) ?? 0) < log.head) ?? turn[0];
        const from = at.get(consumer) ?? 0;
        const inPass = consumer === PARTICIPANT_PROGRAMME_PROJECTION && from === 0;
        const goal = inPass ? Math.ceil(share * Number(participants)) : Math.ceil(from + share * (log.head - from));
        const projector = startProjector(store);
        const progress = async () => (inPass ? passRows(store) : ((await positions(store)).get(consumer) ?? 0));
        await eventually(progress, (reached) => reached >= goal, 120_000, 5);
        await sleep(jitterMs);
        await projector.kill();
        buildKills.push({ consumer, goal, checkpoints: Object.fromEntries(await positions(store)), head: await store.head(), passRows: await passRows(store) });
      }
      phase('killed build');

      // 2. An operator asks for new generations of two projections (`ecf projections rebuild`), and
      // commands arrive through the API — new pairs, each ECT then deferred or withdrawn, which the policy
      // cascades to their mentor — while the projector finishes the first build, builds the new
      // generations beside the live ones and follows the log.
      for (const name of REBUILT) expect((await api.cliRun(['projections', 'rebuild', name], store.env)).exitCode).toBe(0);
      const traffic = liveTraffic(http, { lead, system }, log.schoolUrns);
      let killsWhileRebuilding = 0;
      for (const afterMs of plan.liveAfterMs) {
        const before = await positions(store);
        const projector = startProjector(store);
        await eventually(async () => positions(store), (now) => CONSUMERS.some((name) => (now.get(name) ?? 0) > (before.get(name) ?? 0)), 60_000, 5);
        await sleep(afterMs);
        await projector.kill();
        const building = await store.readModels<{ name: string }>(`SELECT name FROM consumer_checkpoints WHERE role = 'building'`);
        if (building.length > 0) killsWhileRebuilding += 1;
      }
      const live = await traffic.stop();
      const survivor = startProjector(store);
      await eventually(() => settled(store), Boolean, 120_000, 50);
      await survivor.stop();
      await api.stopKeepingData();
      phase('killed live processing and catch-up');

      // 3. A clean build, never killed, of a copy of the same log.
      clean = await store.copyOfLog();
      const cleanStore = clean;
      const builder = startProjector(cleanStore);
      await eventually(() => settled(cleanStore), Boolean, 120_000, 50);
      await builder.stop();
      phase('clean build');

      const head = await store.head();
      const cascaded = (await store.events<{ type: string; metadata: string }>('SELECT type, metadata FROM events WHERE metadata LIKE ?', `%"id":"${POLICY}"%`)).map(
        (row) => ({ type: row.type, ...(JSON.parse(row.metadata) as { commandId: string; causationId: string }) }),
      );
      const byCause = new Map<string, typeof cascaded>();
      for (const event of cascaded) byCause.set(event.causationId, [...(byCause.get(event.causationId) ?? []), event]);
      // Which consumers a build kill caught in the middle of their build: part of the log committed, not all of it
      // (for participant-programme also: its checkpoint at 0 with part of its stream-by-stream pass written).
      const caughtMidBuild = (name: string) =>
        buildKills.filter(({ checkpoints, head: then, passRows: rows }) =>
          (checkpoints[name] > 0 && checkpoints[name] < then) || (name === PARTICIPANT_PROGRAMME_PROJECTION && checkpoints[name] === 0 && rows > 0),
        ).length;
      const figures = {
        kind,
        seed,
        eventsInKilledBuild: log.head,
        commandsWritingTheLog: log.commands,
        liveCommands: live.commands,
        headAtEnd: head,
        kills: buildKills.length + plan.liveAfterMs.length,
        buildKillsMidBuildOf: Object.fromEntries(CONSUMERS.map((name) => [name, caughtMidBuild(name)])),
        killsWhileRebuilding,
        cascades: byCause.size,
        timingsMs: timings,
        buildKills,
      };
      process.stdout.write(`projector-crash figures: ${JSON.stringify(figures)}\n`);

      // Every projection and the policy was killed at least once halfway through its build.
      expect(CONSUMERS.filter((name) => caughtMidBuild(name) === 0)).toEqual([]);
      // The clean build's policy found every cascade already issued (recognised by command id): it wrote nothing.
      expect(await cleanStore.head()).toBe(head);
      // Every cascading ECT event, from the written log and from the live commands, caused exactly one command for the mentor.
      expect(byCause.size).toBe(log.cascadingTriggers + live.cascadingTriggers);
      const doubled = [...byCause].filter(([, events]) => new Set(events.map((event) => event.commandId)).size > 1 || new Set(events.map((event) => event.type)).size < events.length);
      expect(doubled).toEqual([]);
      // The rebuilt projections answer from their new generation; the others from their first.
      const generations = Object.fromEntries(
        (await store.readModels<{ name: string; generation: number }>(`SELECT name, generation FROM consumer_checkpoints WHERE role = 'live'`)).map((row) => [row.name, row.generation]),
      );
      expect(generations).toEqual(Object.fromEntries(CONSUMERS.map((name) => [name, REBUILT.includes(name) ? 2 : 1])));
      // Every read model — each projection's tables and the policy's facts — equals the clean build's.
      // No stream-by-stream pass left a claim behind.
      for (const target of [store, cleanStore]) expect(await target.tableRows(STREAM_BUILD_CLAIMS_TABLE)).toEqual([]);
      const [killed, built] = [await readModels(store), await readModels(cleanStore)];
      const everyTable = [...[...projectionTables().values()].flat(), ...mentorCascadePolicy.tables];
      expect(Object.keys(built).sort()).toEqual(everyTable.sort());
      expect(Object.keys(killed).sort()).toEqual(everyTable.sort());
      for (const table of Object.keys(built)) expect({ table, rows: killed[table] }).toEqual({ table, rows: built[table] });
    }, 600_000); // A 30 000-event log killed and rebuilt many times: minutes on a busy two-core machine, well inside CI's 90.
  });
}

/** Pairs registered, matched and then deferred or withdrawn through the API by a few callers, until stopped. */
function liveTraffic(http: ReturnType<typeof httpClient>, keys: { lead: string; system: string }, schoolUrns: readonly string[]) {
  let stopping = false;
  let commands = 0;
  let cascadingTriggers = 0;
  let trn = 7_000_000;
  const today = londonToday();
  const send = async (method: string, path: string, key: string, body: unknown, status: number): Promise<Record<string, unknown>> => {
    const response = await http(method, path, { key, body });
    if (response.status !== status) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    commands += 1;
    return response.body;
  };
  const register = async (path: '/ects' | '/mentors', schoolUrn: string): Promise<string> => {
    trn += 1;
    const body = { firstName: 'Live', lastName: 'Traffic', dateOfBirth: '1990-01-01', trn: String(trn), email: `${trn}@example.org`, schoolUrn, cohort: 2026 };
    const id = (await send('POST', path, keys.lead, body, 201)).participantId as string;
    await send('POST', `/participants/${id}/validation`, keys.system, { outcome: 'validated', reasons: [] }, 200);
    return id;
  };
  const caller = async (index: number) => {
    for (let round = 0; !stopping; round++) {
      const schoolUrn = schoolUrns[(index + round) % schoolUrns.length];
      const [mentor, ect] = [await register('/mentors', schoolUrn), await register('/ects', schoolUrn)];
      await send('PUT', `/ects/${ect}/mentor`, keys.lead, { mentorId: mentor }, 200);
      if ((index + round) % 2 === 0) {
        await send('POST', `/ects/${ect}/deferral`, keys.lead, { deferralDate: isoDate(today), expectedReturnDate: isoDate(today.plusMonths(2)), reason: 'parental-leave' }, 200);
      } else {
        await send('POST', `/ects/${ect}/withdrawal`, keys.lead, { withdrawalDate: isoDate(today), reason: 'left-teaching-profession' }, 200);
      }
      cascadingTriggers += 1;
    }
  };
  const running = Promise.all([0, 1, 2].map(caller));
  // A failed caller is reported by stop(); until then it must not count as an unhandled rejection.
  running.catch(() => undefined);
  return {
    /** Lets each caller finish the pair it is on; resolves with what was acknowledged. */
    async stop(): Promise<{ commands: number; cascadingTriggers: number }> {
      stopping = true;
      await running;
      return { commands, cascadingTriggers };
    },
  };
}
