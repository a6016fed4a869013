import {
  Curriculum,
  evolveTimeline,
  initialTimeline,
  ParticipantEvent,
  PARTICIPANT_EVENT_TYPES,
  participantStreamId,
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
    due_date TEXT NOT NULL,
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
    PRIMARY KEY (participant_id, ordinal))`,
  `CREATE INDEX IF NOT EXISTS ${table(PAYMENT_ELIGIBILITY_TABLE)}_window ON ${table(PAYMENT_ELIGIBILITY_TABLE)} (declaration_type, eligible, participant_id)`,
];

/** Rows of one derived table, keyed by participant then by the row's key within the participant. */
type StoredRows = Map<string, Map<string, Record<string, SqlValue>>>;

interface DerivedTable {
  readonly logical: string;
  /** The row's key within a participant (the second primary-key column). */
  readonly key: string;
  readonly columns: readonly string[];
}

const RELEASE_SCHEDULE_COLUMNS: DerivedTable = {
  logical: RELEASE_SCHEDULE_TABLE,
  key: 'code',
  columns: ['participant_id', 'ordinal', 'code', 'kind', 'title', 'planned_date', 'due_date', 'release_date', 'projected_release_date', 'reason'],
};
// Keyed by the milestone's place in the schedule, the report's order: its keyset pages and the streamed CSV
// read the key in order, with no sort of each participant's rows (ADR 0018). A schedule lists each
// declaration type once (parsePaymentSchedules), so the type stays unique per participant too.
const PAYMENT_ELIGIBILITY_COLUMNS: DerivedTable = {
  logical: PAYMENT_ELIGIBILITY_TABLE,
  key: 'ordinal',
  columns: ['participant_id', 'ordinal', 'declaration_type', 'window_start', 'window_end', 'engagement_counts_until', 'payment_date', 'eligible', 'reason', 'declaration_date', 'course_identifier', 'evidence_held'],
};

async function loadStored(db: SqlSession, table: TableName, ids: readonly string[]): Promise<{ timelines: Map<string, string>; rows: Map<string, StoredRows> }> {
  const timelines = new Map<string, string>();
  const rows = new Map<string, StoredRows>([RELEASE_SCHEDULE_COLUMNS, PAYMENT_ELIGIBILITY_COLUMNS].map(({ logical }) => [logical, new Map()]));
  for (let from = 0; from < ids.length; from += 500) {
    const chunk = ids.slice(from, from + 500);
    const inChunk = `participant_id IN (${placeholders(chunk.length)})`;
    for (const row of await db.all<{ participant_id: string; timeline: string }>(`SELECT participant_id, timeline FROM ${table(PARTICIPANT_TIMELINES_TABLE)} WHERE ${inChunk}`, chunk)) {
      timelines.set(row.participant_id, row.timeline);
    }
    for (const derived of [RELEASE_SCHEDULE_COLUMNS, PAYMENT_ELIGIBILITY_COLUMNS]) {
      const byParticipant = rows.get(derived.logical) as StoredRows;
      for (const row of await db.all<Record<string, SqlValue>>(`SELECT * FROM ${table(derived.logical)} WHERE ${inChunk}`, chunk)) {
        const participantId = row.participant_id as string;
        if (!byParticipant.has(participantId)) byParticipant.set(participantId, new Map());
        byParticipant.get(participantId)?.set(String(row[derived.key]), row);
      }
    }
  }
  return { timelines, rows };
}

/**
 * Writes only what changed against the stored rows: most events (an engagement, a module opened)
 * change a row or two of a participant's forty, and a rebuild is bound by writes, not by computing.
 */
async function writeDiff(db: SqlSession, tableName: string, derived: DerivedTable, participantId: string, wanted: readonly SqlValue[][], stored: Map<string, Record<string, SqlValue>> | undefined): Promise<void> {
  const keyIndex = derived.columns.indexOf(derived.key);
  const changed = wanted.filter((row) => {
    const before = stored?.get(String(row[keyIndex]));
    return before === undefined || derived.columns.some((column, index) => before[column] !== row[index]);
  });
  const wantedKeys = new Set(wanted.map((row) => String(row[keyIndex])));
  const gone = [...(stored?.keys() ?? [])].filter((key) => !wantedKeys.has(key));
  if (gone.length > 0) await db.run(`DELETE FROM ${tableName} WHERE participant_id = ? AND ${derived.key} IN (${placeholders(gone.length)})`, [participantId, ...gone]);
  const updates = derived.columns.filter((column) => column !== 'participant_id' && column !== derived.key).map((column) => `${column} = excluded.${column}`);
  // Several rows per statement: a new participant's schedule is dozens of rows.
  const perStatement = Math.max(1, Math.floor(900 / derived.columns.length));
  for (let from = 0; from < changed.length; from += perStatement) {
    const chunk = changed.slice(from, from + perStatement);
    await db.run(
      `INSERT INTO ${tableName} (${derived.columns.join(', ')}) VALUES ${chunk.map(() => `(${placeholders(derived.columns.length)})`).join(', ')}
       ON CONFLICT (participant_id, ${derived.key}) DO UPDATE SET ${updates.join(', ')}`,
      chunk.flat(),
    );
  }
}

async function writeParticipant(
  db: SqlSession,
  table: TableName,
  participantId: string,
  timeline: ProgrammeTimeline,
  stored: { timeline: string | undefined; schedule: Map<string, Record<string, SqlValue>> | undefined; payments: Map<string, Record<string, SqlValue>> | undefined },
  calendar: ProgrammeCalendarData,
): Promise<void> {
  const schedule = releaseSchedule(timeline, calendar.curriculum);
  const milestones = paymentEligibility(timeline, calendar.paymentSchedules);
  const pause = schedule.latestPause;
  const json = JSON.stringify(timeline);
  if (json !== stored.timeline) {
    await db.run(
      `INSERT INTO ${table(PARTICIPANT_TIMELINES_TABLE)} (participant_id, timeline, content_start_date, latest_pause_start, latest_pause_end, continue_from_module)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (participant_id) DO UPDATE SET timeline = excluded.timeline, content_start_date = excluded.content_start_date,
         latest_pause_start = excluded.latest_pause_start, latest_pause_end = excluded.latest_pause_end, continue_from_module = excluded.continue_from_module`,
      [participantId, json, schedule.contentStartDate, pause?.startDate ?? null, pause?.endDate ?? null, pause?.continueFromModule ?? null],
    );
  }
  await writeDiff(
    db,
    table(RELEASE_SCHEDULE_TABLE),
    RELEASE_SCHEDULE_COLUMNS,
    participantId,
    schedule.rows.map((row, ordinal) => [participantId, ordinal, row.code, row.kind, row.title, row.plannedDate, row.dueDate, row.releaseDate, row.projectedReleaseDate, row.reason]),
    stored.schedule,
  );
  await writeDiff(
    db,
    table(PAYMENT_ELIGIBILITY_TABLE),
    PAYMENT_ELIGIBILITY_COLUMNS,
    participantId,
    milestones.map((row, ordinal) => [
      participantId, ordinal, row.declarationType, row.windowStart, row.windowEnd, row.engagementCountsUntil, row.paymentDate, row.eligible ? 1 : 0, row.reason,
      row.declaration?.declarationDate ?? null, row.declaration?.courseIdentifier ?? null, row.declaration?.evidenceHeld ?? null,
    ]),
    stored.payments,
  );
}

/**
 * Folds a batch participant by participant: each touched participant's timeline and rows are read
 * once, evolved through their events in order, and only the rows that changed are written.
 */
async function apply(calendar: ProgrammeCalendarData, events: readonly RecordedEvent[], db: SqlSession, table: TableName): Promise<void> {
  const byParticipant = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const participantId = event.data.participantId as string;
    const history = byParticipant.get(participantId);
    if (history) history.push(event);
    else byParticipant.set(participantId, [event]);
  }
  const stored = await loadStored(db, table, [...byParticipant.keys()]);
  for (const [participantId, history] of byParticipant) {
    const storedTimeline = stored.timelines.get(participantId);
    let timeline = storedTimeline === undefined ? initialTimeline() : (JSON.parse(storedTimeline) as ProgrammeTimeline);
    for (const event of history) timeline = await forEvent(event, () => evolveTimeline(timeline, toDomainEvent<ParticipantEvent>(event), event.recordedAt));
    const rows = {
      timeline: storedTimeline,
      schedule: stored.rows.get(RELEASE_SCHEDULE_TABLE)?.get(participantId),
      payments: stored.rows.get(PAYMENT_ELIGIBILITY_TABLE)?.get(participantId),
    };
    await forEvent(history[history.length - 1], () => writeParticipant(db, table, participantId, timeline, rows, calendar));
  }
}

export const PARTICIPANT_PROGRAMME_PROJECTION = 'participant-programme';

export const participantProgrammeProjection = (calendar: ProgrammeCalendarData): Projection => ({
  name: PARTICIPANT_PROGRAMME_PROJECTION,
  // Raised whenever the rows computed from a timeline or the tables' keys change, so the stored rows are rebuilt
  // (4: payment_eligibility keyed by ordinal).
  version: 4,
  handles: PARTICIPANT_EVENT_TYPES,
  // A participant's timeline is folded from their own stream alone.
  singleStream: { streamPrefix: participantStreamId('') },
  schema,
  tables: [PARTICIPANT_TIMELINES_TABLE, RELEASE_SCHEDULE_TABLE, PAYMENT_ELIGIBILITY_TABLE],
  apply: (events, db, table) => apply(calendar, events, db, table),
});
