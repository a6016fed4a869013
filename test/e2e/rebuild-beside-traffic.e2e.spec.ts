import { performance } from 'node:perf_hooks';
import { PARTICIPANT_PROGRAMME_PROJECTION, PARTICIPANT_TIMELINES_TABLE, PAYMENT_ELIGIBILITY_TABLE, PRODUCT_PROJECTION_NAMES, RELEASE_SCHEDULE_TABLE, STREAM_BUILD_CLAIMS_TABLE } from '@ecf/projections';
import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';
import { writeProgrammeLog } from '../support/programme-log';
import { ProjectorProcess } from '../support/projector-process';
import { StoreTarget } from '../support/store-target';

const POLICY = 'policy:mentor-cascade';
const CONSUMERS = [...PRODUCT_PROJECTION_NAMES, POLICY];
/** ECT–mentor pairs in the log: about 17 000 events, of which `participant-programme` takes the participants' streams. */
const PAIRS = 800;
const PROGRAMME_TABLES = [PARTICIPANT_TIMELINES_TABLE, RELEASE_SCHEDULE_TABLE, PAYMENT_ELIGIBILITY_TABLE];
const KILLS = 3;

interface Cursor {
  readonly upTo: number;
  readonly streamId: string;
  readonly revision: number;
}

const compareCursors = (a: Cursor, b: Cursor): number => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : a.revision - b.revision);

/**
 * `participant-programme` rebuilt from a log of about 17 000 events on the embedded store, first by the
 * API that runs the projections in-process (the default) while callers keep sending requests and a
 * deferral after another cascades to its mentor, then by a separate projector killed three times in the middle of the
 * rebuild's stream-by-stream pass. A rebuild used to hold the event loop for the whole pass: the
 * slowest request took seconds, the cascade waited for the rebuild, and a projector killed during the
 * pass started it again from nothing.
 */
describe('Rebuilding participant-programme beside requests, policies and kills (embedded store)', () => {
  let target: StoreTarget | undefined;
  let api: ApiProcess | undefined;
  const projectors: ProjectorProcess[] = [];

  afterAll(async () => {
    for (const projector of projectors) await projector.kill();
    await api?.stopKeepingData();
    await target?.dispose();
  });

  const programmeCheckpoints = async (store: StoreTarget) =>
    store.readModels<{ generation: number; role: string; position: number }>(`SELECT generation, role, position FROM consumer_checkpoints WHERE name = ?`, PARTICIPANT_PROGRAMME_PROJECTION);
  /** Every consumer's live generation at the head, and nothing building. */
  const settled = async (store: StoreTarget): Promise<boolean> => {
    const head = await store.head();
    const all = await store.readModels<{ name: string; role: string; position: number }>(`SELECT name, role, position FROM consumer_checkpoints WHERE role <> 'retired'`);
    return all.length === CONSUMERS.length && all.every((checkpoint) => checkpoint.role === 'live' && checkpoint.position === head);
  };
  const cursorOf = async (store: StoreTarget, generation: number): Promise<Cursor | null> => {
    const [row] = await store.readModels<{ up_to: number | null; after_stream_id: string | null; after_revision: number | null }>(
      `SELECT up_to, after_stream_id, after_revision FROM ${STREAM_BUILD_CLAIMS_TABLE} WHERE name = ? AND generation = ?`,
      PARTICIPANT_PROGRAMME_PROJECTION,
      generation,
    );
    return row?.after_stream_id ? { upTo: Number(row.up_to), streamId: row.after_stream_id, revision: Number(row.after_revision) } : null;
  };
  const programmeRows = async (store: StoreTarget, generation: number): Promise<Record<string, unknown[]>> =>
    Object.fromEntries(await Promise.all(PROGRAMME_TABLES.map(async (table) => [table, await store.tableRows(`${table}_g${generation}`)])));

  it('serves every request within 200 ms and issues each cascade within 400 ms while the API rebuilds in-process', async () => {
    target = await StoreTarget.create('sqlite');
    const store = target;
    const log = await writeProgrammeLog(store, { pairs: PAIRS, firstTrn: 6_400_000 });
    api = await ApiProcess.start({ RATE_LIMIT_PER_MINUTE: '1000000' }, store.dataDir);
    await eventually(() => settled(store), Boolean, 240_000, 100);
    const http = httpClient(api.baseUrl);
    const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    const system = await api.createKey('system');
    const schoolUrn = log.schoolUrns[0];

    let trn = 7_400_000;
    const send = async (method: string, path: string, key: string, body: unknown): Promise<Record<string, unknown>> => {
      const response = await http(method, path, { key, body });
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const register = async (path: '/mentors' | '/ects'): Promise<string> => {
      trn += 1;
      const body = { firstName: 'Re', lastName: 'Build', dateOfBirth: '1990-01-01', trn: String(trn), email: `${trn}@example.org`, schoolUrn, cohort: 2026 };
      const id = (await send('POST', path, lead, body)).participantId as string;
      await send('POST', `/participants/${id}/validation`, system, { outcome: 'validated', reasons: [] });
      return id;
    };
    const pair = async () => {
      const [mentor, ect] = [await register('/mentors'), await register('/ects')];
      await send('PUT', `/ects/${ect}/mentor`, lead, { mentorId: mentor });
      return { mentor, ect };
    };
    const today = londonToday();
    /** Defers the ECT and answers how long after sending it the mentor's cascaded deferral was written. */
    const cascadeMs = async ({ mentor, ect }: { mentor: string; ect: string }): Promise<number> => {
      const deferred = performance.now();
      await send('POST', `/ects/${ect}/deferral`, lead, { deferralDate: isoDate(today), expectedReturnDate: isoDate(today.plusMonths(2)), reason: 'parental-leave' });
      const cascaded = async () => (await store.events<{ type: string }>(`SELECT type FROM events WHERE stream_id = ? AND metadata LIKE ?`, `participant-${mentor}`, `%"id":"${POLICY}"%`)).length;
      await eventually(cascaded, (count) => count === 1, 60_000, 10);
      return performance.now() - deferred;
    };
    const before = await pair();
    const during = [await pair(), await pair(), await pair()];
    const cascadeAtRest = await cascadeMs(before);
    await eventually(() => settled(store), Boolean, 30_000, 50);

    // Requests one after another, through the rebuild and until the retired generation's tables are
    // dropped: a participant's release schedule (read from the participant-programme generation that stays
    // live meanwhile) and a page of the participant list.
    const rebuild = api.cliRun(['projections', 'rebuild', PARTICIPANT_PROGRAMME_PROJECTION, '--wait', '--timeout', '300']);
    let finished = false;
    const finishing = (async () => {
      await rebuild;
      await eventually(async () => (await programmeCheckpoints(store)).some((checkpoint) => checkpoint.generation === 1), (retired) => !retired, 60_000, 50);
    })().finally(() => (finished = true));
    const latencies: number[] = [];
    const requests = (async () => {
      for (let index = 0; !finished; index += 1) {
        const path = index % 2 === 0 ? `/participants/${before.ect}/release-schedule` : `/participants?schoolUrn=${schoolUrn}&limit=50`;
        const started = performance.now();
        const response = await http('GET', path, { key: lead });
        latencies.push(performance.now() - started);
        expect(response.status).toBe(200);
      }
    })();
    // Three deferrals, one after another, once the pass has written some of the new generation; their cascades are seen before the swap.
    const passRows = async () => Number((await store.readModels<{ n: number }>(`SELECT COUNT(*) AS n FROM ${PARTICIPANT_TIMELINES_TABLE}_g2`))[0]?.n ?? 0);
    await eventually(passRows, (rows) => rows > 0, 120_000, 10);
    const cascadesDuringRebuild: number[] = [];
    for (const deferred of during) cascadesDuringRebuild.push(await cascadeMs(deferred));
    const cascadeDuringRebuild = Math.max(...cascadesDuringRebuild);
    const stillBuilding = (await programmeCheckpoints(store)).some((checkpoint) => checkpoint.generation === 2 && checkpoint.role === 'building');
    const { exitCode, stdout, stderr } = await rebuild;
    await finishing;
    await requests;

    const slowest = Math.max(...latencies);
    process.stdout.write(
      `rebuild beside traffic: ${JSON.stringify({ events: await store.head(), requests: latencies.length, slowestRequestMs: Math.round(slowest), cascadeAtRestMs: Math.round(cascadeAtRest), cascadesDuringRebuildMs: cascadesDuringRebuild.map(Math.round) })}\n`,
    );
    expect(slowest).toBeLessThan(200);
    expect(cascadeDuringRebuild).toBeLessThan(400);
    expect(stillBuilding).toBe(true);
    expect(latencies.length).toBeGreaterThan(20);
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(stdout).toMatch(/Generation 2 of participant-programme is live/);
    await eventually(() => settled(store), Boolean, 30_000, 50);
    await api.stopKeepingData();
  }, 600_000);

  it('a projector killed three times during the pass resumes it each time, and the generation equals an uninterrupted build', async () => {
    const store = target;
    if (!store) throw new Error('runs after the in-process rebuild, on its data');
    await api?.stopKeepingData();
    // Generation 2 was rebuilt without interruption, from the same log: the reference.
    expect((await programmeCheckpoints(store)).find((checkpoint) => checkpoint.role === 'live')?.generation).toBe(2);
    const reference = await programmeRows(store, 2);
    api = await ApiProcess.start({ RUN_PROJECTIONS: 'false' }, store.dataDir);
    expect((await api.cliRun(['projections', 'rebuild', PARTICIPANT_PROGRAMME_PROJECTION])).exitCode).toBe(0);
    const startProjector = () => {
      const projector = ProjectorProcess.start(store.dataDir, { LOG_LEVEL: 'warn' });
      projectors.push(projector);
      return projector;
    };

    const atKills: Cursor[] = [];
    for (let kill = 0; kill < KILLS; kill += 1) {
      const previous = atKills[atKills.length - 1] ?? null;
      const projector = startProjector();
      // Every cursor seen in this run is at or past where the last one was killed, never back at the start;
      // the kill comes once this run has moved it on.
      const seen: (Cursor | null)[] = [];
      await eventually(
        async () => {
          const cursor = await cursorOf(store, 3);
          seen.push(cursor);
          return cursor;
        },
        (cursor) => cursor !== null && (previous === null || compareCursors(cursor, previous) > 0),
        120_000,
        5,
      );
      await projector.kill();
      const cursor = await cursorOf(store, 3);
      if (cursor === null) throw new Error('no cursor after a kill');
      if (previous) {
        expect(seen.filter((at) => at === null || compareCursors(at, previous) < 0)).toEqual([]);
        expect(compareCursors(cursor, previous)).toBeGreaterThan(0);
        expect(cursor.upTo).toBe(previous.upTo);
      }
      // Killed inside the pass: the new generation's checkpoint has not moved yet.
      expect((await programmeCheckpoints(store)).find((checkpoint) => checkpoint.generation === 3)).toMatchObject({ role: 'building', position: 0 });
      atKills.push(cursor);
    }

    const survivor = startProjector();
    await eventually(async () => (await settled(store)) && (await programmeCheckpoints(store)).some((checkpoint) => checkpoint.generation === 3 && checkpoint.role === 'live'), Boolean, 240_000, 50);
    await survivor.stop();
    process.stdout.write(`projector killed during the pass: ${JSON.stringify({ cursorsAtKills: atKills })}\n`);
    expect(await store.tableRows(STREAM_BUILD_CLAIMS_TABLE)).toEqual([]);
    expect(await programmeRows(store, 3)).toEqual(reference);
  }, 600_000);
});
