import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGAGEMENT_KINDS, ParticipantEvent, participantStreamId, SchoolEvent } from '@ecf/domain';
import { EventStore, NewEvent, SqliteEventStore } from '@ecf/event-store';
import { loadProgrammeCalendar, loadProgrammeData, projectRoot } from '@ecf/runtime';
import { Checkpoints } from '../engine/checkpoints';
import { generationTable } from '../engine/projection';
import { ProjectionRunner } from '../engine/projection-runner';
import { allPaymentReportValues, paymentEligibilityReport } from './participant-programme.queries';
import { productProjections } from '../product-projections';
import { ReadModelDatabase } from '../read-models/sql-database';
import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';

const PROGRAMME_FILE = join(projectRoot(), 'config', 'programme.json');
const projections = productProjections(loadProgrammeCalendar(PROGRAMME_FILE, loadProgrammeData(PROGRAMME_FILE)));
/** Thousands on the embedded store; fewer on the server, where each live batch is a network round trip. */
const PARTICIPANTS = { sqlite: 2000, postgres: 600 } as const;

/** A small deterministic generator (mulberry32), so every run projects the same history. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (offset: number): string => new Date(Date.UTC(2025, 8, 1) + offset * 86_400_000).toISOString().slice(0, 10);
const id = (n: number): string => `0b6f3c0e-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** One participant's realistic history: registration, validation, Steplab, engagement, and a share of pauses, deferrals, withdrawals, moves. */
function historyOf(n: number, next: () => number): (ParticipantEvent | SchoolEvent)[] {
  const participantId = id(n);
  const type = next() < 0.7 ? 'ect' : 'mentor';
  const late = next() < 0.15;
  const registeredOn = late ? day(70 + Math.floor(next() * 40)) : day(Math.floor(next() * 50));
  const plan = late ? { scheduleIdentifier: 'ecf-standard-january', contentStartDate: '2026-01-01' } : { scheduleIdentifier: 'ecf-standard-september', contentStartDate: '2025-09-01' };
  const events: (ParticipantEvent | SchoolEvent)[] = [
    {
      type: type === 'ect' ? 'ECTRegistered' : 'MentorRegistered',
      data: { participantId, trn: String(2_000_000 + n), schoolUrn: String(100_000 + (n % 150)), cohort: 2025, registeredOn, personal: null, ...plan },
    },
  ];
  if (next() < 0.05) {
    events.push({ type: 'DataValidationFailed', data: { participantId, reasons: [{ code: 'trn-not-found', text: 'TRN not found' }] } });
    return events;
  }
  events.push({ type: 'DataValidationPassed', data: { participantId } });
  const submittedAt = `${registeredOn}T10:00:00.000Z`;
  events.push({ type: 'SteplabAccessFormSubmitted', data: { participantId, submittedAt, accessDueBy: `${day(Math.floor((Date.parse(registeredOn) - Date.UTC(2025, 8, 1)) / 86_400_000) + 1)}T10:00:00.000Z` } });
  if (next() < 0.9) events.push({ type: 'SteplabAccessGranted', data: { participantId, grantedAt: `${registeredOn}T${next() < 0.8 ? '15' : '23'}:00:00.000Z` } });
  let cursor = Math.floor((Date.parse(registeredOn) - Date.UTC(2025, 8, 1)) / 86_400_000) + 3;
  const engage = (count: number) => {
    for (let i = 0; i < count; i += 1) {
      cursor += 5 + Math.floor(next() * 40);
      const kind = ENGAGEMENT_KINDS[Math.floor(next() * ENGAGEMENT_KINDS.length)];
      events.push({ type: 'EngagementRecorded', data: { participantId, kind, occurredOn: day(cursor), reference: null } });
      if (next() < 0.5) events.push({ type: 'ModuleAccessRecorded', data: { participantId, moduleCode: `${type}-y1-m0${1 + (i % 9)}`, accessedAt: `${day(cursor)}T09:00:00.000Z` } });
    }
  };
  engage(2 + Math.floor(next() * 4));
  const roll = next();
  if (type === 'ect' && roll < 0.15) {
    const start = cursor + 3;
    events.push({ type: 'ECTPaused', data: { participantId, startDate: day(start), expectedResumeDate: day(start + 28), reason: 'illness' } });
    if (next() < 0.8) {
      cursor = start + 14 + Math.floor(next() * 20);
      events.push({ type: 'ECTResumed', data: { participantId, pausedFrom: day(start), resumeDate: day(cursor), resumeFromModule: null } });
      engage(2);
    }
  } else if (roll < 0.3) {
    const start = cursor + 3;
    events.push({
      type: 'ParticipantDeferred',
      data: { participantId, participantType: type, deferralDate: day(start), expectedReturnDate: day(start + 120), reason: 'parental-leave', exceptionReason: null, fromRegistration: false, cascadedFromEctId: null },
    });
    if (next() < 0.6) events.push({ type: 'DeferralReturnDateUpdated', data: { participantId, previousExpectedReturnDate: day(start + 120), expectedReturnDate: day(start + 150), exceptionReason: null, cascadedFromEctId: null } });
    if (next() < 0.7) {
      cursor = start + 100 + Math.floor(next() * 60);
      events.push({ type: 'ReturnedFromDeferral', data: { participantId, deferralDate: day(start), returnDate: day(cursor), contentStartDate: null, cascadedFromEctId: null } });
      engage(2);
    }
  } else if (roll < 0.4) {
    const withdrawalDate = day(cursor + 10);
    events.push({
      type: 'ParticipantWithdrawn',
      data: { participantId, participantType: type, withdrawalDate, reason: 'moved-school', retainMentor: false, mentorId: null, cascadedFromEctId: null },
    });
    events.push({ type: 'SteplabAccessRevoked', data: { participantId, revokedOn: withdrawalDate, reason: 'withdrawn' } });
    if (next() < 0.3) {
      cursor += 40;
      events.push({ type: 'ParticipantReinstated', data: { participantId, withdrawalDate, reinstatedOn: day(cursor) } });
      engage(1);
    }
  } else if (roll < 0.45) {
    cursor += 7;
    events.push({
      type: 'SchoolChanged',
      data: { participantId, fromSchoolUrn: String(100_000 + (n % 150)), toSchoolUrn: '399999', effectiveDate: day(cursor), toRegion: 'south-west', regionCovered: false, endedMentorMatch: null },
    });
    engage(2);
  }
  return events;
}

const toNewEvent = (event: ParticipantEvent | SchoolEvent, n: number): NewEvent => ({
  eventId: `1c0ffee0-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type: event.type,
  data: event.data as unknown as Record<string, unknown>,
  metadata: { commandId: id(n), correlationId: id(n), causationId: id(n), actor: { id: 'generator', role: 'system' }, schemaVersion: event.type === 'DataValidationFailed' ? 2 : 1 },
});

/** The store as an adapter that cannot read stream by stream sees it: every projection follows `$all` from the start. */
const inAllOrderOnly = (store: EventStore): EventStore => ({
  appendToStream: (streamId, events, options) => store.appendToStream(streamId, events, options),
  readStream: (streamId, options) => store.readStream(streamId, options),
  readAll: (options) => store.readAll(options),
  headPosition: () => store.headPosition(),
  onAppend: (listener) => store.onAppend(listener),
  close: () => store.close(),
});

async function dump(db: ReadModelDatabase): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const projection of projections) {
    for (const logical of projection.tables) {
      tables[logical] = await db.all(`SELECT * FROM ${logical}_g1 ORDER BY 1, 2`);
    }
  }
  return tables;
}

describe.each(READ_MODEL_KINDS)('Replay determinism on %s read models', (kind) => {
  let dir: string;
  let store: SqliteEventStore;
  const disposables: DisposableReadModels[] = [];
  const runners: ProjectionRunner[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-determinism-'));
    store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
  });

  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    for (const disposable of disposables) await disposable.dispose();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startProjections = async (source: EventStore = store): Promise<DisposableReadModels> => {
    const readModels = await freshReadModels(kind);
    disposables.push(readModels);
    const checkpoints = new Checkpoints(readModels.db);
    for (const projection of projections) {
      const runner = new ProjectionRunner(source, readModels.db, projection, checkpoints);
      runners.push(runner);
      await runner.start();
    }
    return readModels;
  };
  const caughtUp = async () => {
    const head = await store.headPosition();
    await Promise.all(runners.map((runner) => runner.waitUntilCaughtUp(head)));
  };

  it(`projects ${PARTICIPANTS[kind]} generated participants live, event by event, and rebuilds from scratch (stream by stream, and in $all order) give identical read models`, async () => {
    const live = await startProjections();
    const next = random(kind === 'sqlite' ? 20251101 : 20251102);
    const histories = Array.from({ length: PARTICIPANTS[kind] }, (_, n) => historyOf(n + 1, next));
    for (let school = 0; school < 150; school += 1) {
      const urn = String(100_000 + school);
      await store.appendToStream(`school-${urn}`, [toNewEvent({ type: 'SchoolPartnershipRegistered', data: { urn, name: `School ${urn}`, region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2025 } }, 9_000_000 + school)], { expectedRevision: 'any' });
    }
    // Interleaved as operations would arrive: one event of each participant in turn, one append each.
    let sequence = 0;
    for (let step = 0; histories.some((history) => history.length > step); step += 1) {
      for (const [n, history] of histories.entries()) {
        const event = history[step] as ParticipantEvent | undefined;
        if (event) await store.appendToStream(participantStreamId(id(n + 1)), [toNewEvent(event, ++sequence)], { expectedRevision: 'any' });
      }
    }
    await caughtUp();
    const liveTables = await dump(live.db);

    const rebuilt = await startProjections();
    await caughtUp();
    const rebuiltTables = await dump(rebuilt.db);
    const inAllOrder = await startProjections(inAllOrderOnly(store));
    await caughtUp();
    const inAllOrderTables = await dump(inAllOrder.db);

    expect(liveTables.release_schedule.length).toBeGreaterThan(PARTICIPANTS[kind] * 10);
    expect(liveTables.payment_eligibility.length).toBeGreaterThan(PARTICIPANTS[kind] * 3);
    expect(new Set(liveTables.release_schedule.map((row) => (row as { reason: string }).reason))).toEqual(
      new Set(['as-planned', 'moved-by-deferral', 'released-at-resume', 'released-at-reinstatement', 'held-by-pause', 'held-by-deferral', 'not-released-withdrawn']),
    );
    // The report read in chunks (as the streamed CSV reads it) is the report read at once.
    const tables = { programme: generationTable(1), summary: generationTable(1) };
    const chunked: string[] = [];
    for await (const rows of allPaymentReportValues(live.db, tables, {}, 997)) chunked.push(...rows.map(([participantId, , , , , , declarationType]) => `${participantId}~${declarationType}`));
    const atOnce = await paymentEligibilityReport(live.db, tables, { limit: 1_000_000 });
    expect(atOnce.length).toBeGreaterThan(997 * 3);
    expect(chunked).toEqual(atOnce.map((row) => `${row.participantId}~${row.declarationType}`));
    for (const table of Object.keys(liveTables)) {
      expect({ table, rows: rebuiltTables[table] }).toEqual({ table, rows: liveTables[table] });
      expect({ table, rows: inAllOrderTables[table] }).toEqual({ table, rows: liveTables[table] });
    }
  }, 600_000);
});
