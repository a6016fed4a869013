import {
  Curriculum,
  evolveTimeline,
  initialTimeline,
  ParticipantEvent,
  PARTICIPANT_EVENT_TYPES,
  paymentEligibility,
  PaymentSchedules,
  ProgrammeTimeline,
  releaseSchedule,
} from '@ecf/domain';
import { RecordedEvent, toDomainEvent } from '@ecf/event-store';
import { forEvent, Projection, TableName } from '../engine/projection';
import { placeholders, SqlSession, SqlValue } from '../read-models/sql-database';

/**
 * Per participant: the module-release schedule and payment eligibility (with the DfE declaration of
 * each eligible milestone), computed by the domain's pure functions from the participant's programme
 * timeline. The timeline is kept as JSON between batches — it is the fold's state, never queried; the
 * rows the reports read are plain, indexed tables.
 */
export const PARTICIPANT_TIMELINES_TABLE = 'participant_timelines';
export const RELEASE_SCHEDULE_TABLE = 'release_schedule';
export const PAYMENT_ELIGIBILITY_TABLE = 'payment_eligibility';

export interface ProgrammeCalendarData {
  readonly curriculum: Curriculum;
  readonly paymentSchedules: PaymentSchedules;
}

const schema = (table: TableName): string[] => [
  `CREATE TABLE IF NOT EXISTS ${table(PARTICIPANT_TIMELINES_TABLE)} (
    participant_id TEXT PRIMARY KEY,
    timeline TEXT NOT NULL,
    content_start_date TEXT,
    latest_pause_start TEXT,
    latest_pause_end TEXT,
    continue_from_module TEXT)`,
  `CREATE TABLE IF NOT EXISTS ${table(RELEASE_SCHEDULE_TABLE)} (
    participant_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    planned_date TEXT NOT NULL,
    release_date TEXT,
    projected_release_date TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (participant_id, code))`,
  `CREATE INDEX IF NOT EXISTS ${table(RELEASE_SCHEDULE_TABLE)}_release ON ${table(RELEASE_SCHEDULE_TABLE)} (release_date, code)`,
  `CREATE TABLE IF NOT EXISTS ${table(PAYMENT_ELIGIBILITY_TABLE)} (
    participant_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    declaration_type TEXT NOT NULL,
    window_start TEXT NOT NULL,
    window_end TEXT,
    engagement_counts_until TEXT,
    payment_date TEXT NOT NULL,
    eligible INTEGER NOT NULL,
    reason TEXT NOT NULL,
    declaration_date TEXT,
    course_identifier TEXT,
    evidence_held TEXT,
    PRIMARY KEY (participant_id, declaration_type))`,
  `CREATE INDEX IF NOT EXISTS ${table(PAYMENT_ELIGIBILITY_TABLE)}_window ON ${table(PAYMENT_ELIGIBILITY_TABLE)} (declaration_type, eligible, participant_id)`,
];

async function loadTimelines(db: SqlSession, table: TableName, ids: readonly string[]): Promise<Map<string, ProgrammeTimeline>> {
  const timelines = new Map<string, ProgrammeTimeline>();
  for (let from = 0; from < ids.length; from += 500) {
    const chunk = ids.slice(from, from + 500);
    const rows = await db.all<{ participant_id: string; timeline: string }>(
      `SELECT participant_id, timeline FROM ${table(PARTICIPANT_TIMELINES_TABLE)} WHERE participant_id IN (${placeholders(chunk.length)})`,
      chunk,
    );
    for (const row of rows) timelines.set(row.participant_id, JSON.parse(row.timeline) as ProgrammeTimeline);
  }
  return timelines;
}

async function insertRows(db: SqlSession, tableName: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void> {
  // Several rows per statement: a participant's schedule is dozens of rows, written on every change.
  const perStatement = Math.max(1, Math.floor(900 / columns.length));
  for (let from = 0; from < rows.length; from += perStatement) {
    const chunk = rows.slice(from, from + perStatement);
    await db.run(
      `INSERT INTO ${tableName} (${columns.join(', ')}) VALUES ${chunk.map(() => `(${placeholders(columns.length)})`).join(', ')}`,
      chunk.flat(),
    );
  }
}

async function writeParticipant(db: SqlSession, table: TableName, participantId: string, timeline: ProgrammeTimeline, calendar: ProgrammeCalendarData): Promise<void> {
  const schedule = releaseSchedule(timeline, calendar.curriculum);
  const milestones = paymentEligibility(timeline, calendar.paymentSchedules);
  const pause = schedule.latestPause;
  await db.run(
    `INSERT INTO ${table(PARTICIPANT_TIMELINES_TABLE)} (participant_id, timeline, content_start_date, latest_pause_start, latest_pause_end, continue_from_module)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (participant_id) DO UPDATE SET timeline = excluded.timeline, content_start_date = excluded.content_start_date,
       latest_pause_start = excluded.latest_pause_start, latest_pause_end = excluded.latest_pause_end, continue_from_module = excluded.continue_from_module`,
    [participantId, JSON.stringify(timeline), schedule.contentStartDate, pause?.startDate ?? null, pause?.endDate ?? null, pause?.continueFromModule ?? null],
  );
  await db.run(`DELETE FROM ${table(RELEASE_SCHEDULE_TABLE)} WHERE participant_id = ?`, [participantId]);
  await insertRows(
    db,
    table(RELEASE_SCHEDULE_TABLE),
    ['participant_id', 'ordinal', 'code', 'kind', 'title', 'planned_date', 'release_date', 'projected_release_date', 'reason'],
    schedule.rows.map((row, ordinal) => [participantId, ordinal, row.code, row.kind, row.title, row.plannedDate, row.releaseDate, row.projectedReleaseDate, row.reason]),
  );
  await db.run(`DELETE FROM ${table(PAYMENT_ELIGIBILITY_TABLE)} WHERE participant_id = ?`, [participantId]);
  await insertRows(
    db,
    table(PAYMENT_ELIGIBILITY_TABLE),
    ['participant_id', 'ordinal', 'declaration_type', 'window_start', 'window_end', 'engagement_counts_until', 'payment_date', 'eligible', 'reason', 'declaration_date', 'course_identifier', 'evidence_held'],
    milestones.map((row, ordinal) => [
      participantId, ordinal, row.declarationType, row.windowStart, row.windowEnd, row.engagementCountsUntil, row.paymentDate, row.eligible ? 1 : 0, row.reason,
      row.declaration?.declarationDate ?? null, row.declaration?.courseIdentifier ?? null, row.declaration?.evidenceHeld ?? null,
    ]),
  );
}

/**
 * Folds a batch participant by participant: each touched participant's timeline is read once, evolved
 * through their events in order, and their rows rewritten once per batch — the work a rebuild does per
 * participant, not per event.
 */
async function apply(calendar: ProgrammeCalendarData, events: readonly RecordedEvent[], db: SqlSession, table: TableName): Promise<void> {
  const byParticipant = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const participantId = event.data.participantId as string;
    const history = byParticipant.get(participantId);
    if (history) history.push(event);
    else byParticipant.set(participantId, [event]);
  }
  const stored = await loadTimelines(db, table, [...byParticipant.keys()]);
  for (const [participantId, history] of byParticipant) {
    let timeline = stored.get(participantId) ?? initialTimeline();
    for (const event of history) timeline = await forEvent(event, () => evolveTimeline(timeline, toDomainEvent<ParticipantEvent>(event), event.recordedAt));
    await forEvent(history[history.length - 1], () => writeParticipant(db, table, participantId, timeline, calendar));
  }
}

export const PARTICIPANT_PROGRAMME_PROJECTION = 'participant-programme';

export const participantProgrammeProjection = (calendar: ProgrammeCalendarData): Projection => ({
  name: PARTICIPANT_PROGRAMME_PROJECTION,
  version: 1,
  handles: PARTICIPANT_EVENT_TYPES,
  schema,
  tables: [PARTICIPANT_TIMELINES_TABLE, RELEASE_SCHEDULE_TABLE, PAYMENT_ELIGIBILITY_TABLE],
  apply: (events, db, table) => apply(calendar, events, db, table),
});
