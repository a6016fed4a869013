import { CourseIdentifier, CurriculumItemKind, DeclarationType, EvidenceHeld, PaymentEligibilityRow, PaymentReason, ProgrammeTimeline, ReleaseReason, ReleaseSchedule, ReleaseRow } from '@ecf/domain';
import { TableName } from '../engine/projection';
import { PARTICIPANT_SUMMARY_TABLE } from '../participant-summary/participant-summary.projection';
import { placeholders, SqlSession, SqlValue } from '../read-models/sql-database';
import { PARTICIPANT_TIMELINES_TABLE, PAYMENT_ELIGIBILITY_TABLE, RELEASE_SCHEDULE_TABLE } from './participant-programme.projection';

interface TimelineRow {
  timeline: string;
  content_start_date: string | null;
  latest_pause_start: string | null;
  latest_pause_end: string | null;
  continue_from_module: string | null;
}

/** The participant's programme timeline as the projection last folded it (undefined: not projected yet). */
export async function findProgrammeTimeline(db: SqlSession, table: TableName, participantId: string): Promise<ProgrammeTimeline | undefined> {
  const row = await db.get<TimelineRow>(`SELECT timeline FROM ${table(PARTICIPANT_TIMELINES_TABLE)} WHERE participant_id = ?`, [participantId]);
  return row && (JSON.parse(row.timeline) as ProgrammeTimeline);
}

/** The stored schedule, in the shape `releaseSchedule` computes, so a live read and a replay render alike. */
export async function findReleaseSchedule(db: SqlSession, table: TableName, participantId: string, track: ReleaseSchedule['track']): Promise<ReleaseSchedule | undefined> {
  const header = await db.get<TimelineRow>(`SELECT * FROM ${table(PARTICIPANT_TIMELINES_TABLE)} WHERE participant_id = ?`, [participantId]);
  if (!header) return undefined;
  const rows = await db.all<{ code: string; kind: CurriculumItemKind; title: string; planned_date: string; due_date: string; release_date: string | null; projected_release_date: string | null; reason: ReleaseReason }>(
    `SELECT code, kind, title, planned_date, due_date, release_date, projected_release_date, reason FROM ${table(RELEASE_SCHEDULE_TABLE)} WHERE participant_id = ? ORDER BY ordinal`,
    [participantId],
  );
  return {
    track,
    contentStartDate: header.content_start_date,
    latestPause: header.latest_pause_start === null ? null : { startDate: header.latest_pause_start, endDate: header.latest_pause_end, continueFromModule: header.continue_from_module },
    rows: rows.map(
      (row): ReleaseRow => ({ code: row.code, kind: row.kind, title: row.title, plannedDate: row.planned_date, dueDate: row.due_date, releaseDate: row.release_date, projectedReleaseDate: row.projected_release_date, reason: row.reason }),
    ),
  };
}

interface PaymentRowRecord {
  participant_id: string;
  declaration_type: DeclarationType;
  window_start: string;
  window_end: string | null;
  engagement_counts_until: string | null;
  payment_date: string;
  eligible: number;
  reason: PaymentReason;
  declaration_date: string | null;
  course_identifier: CourseIdentifier | null;
  evidence_held: EvidenceHeld | null;
}

/** A stored row holds a declaration only when all three of its columns are set; otherwise it holds none. */
export const isWholeDeclaration = (declarationDate: string | null, courseIdentifier: string | null, evidenceHeld: string | null): boolean =>
  declarationDate !== null && courseIdentifier !== null && evidenceHeld !== null;

const toPaymentRow = (row: PaymentRowRecord): PaymentEligibilityRow => ({
  declarationType: row.declaration_type,
  windowStart: row.window_start,
  windowEnd: row.window_end,
  engagementCountsUntil: row.engagement_counts_until,
  paymentDate: row.payment_date,
  eligible: Boolean(row.eligible),
  reason: row.reason,
  declaration:
    isWholeDeclaration(row.declaration_date, row.course_identifier, row.evidence_held)
      ? { participantId: row.participant_id, declarationType: row.declaration_type, declarationDate: row.declaration_date as string, courseIdentifier: row.course_identifier as CourseIdentifier, evidenceHeld: row.evidence_held as EvidenceHeld }
      : null,
});

export async function findPaymentEligibility(db: SqlSession, table: TableName, participantId: string): Promise<PaymentEligibilityRow[]> {
  const rows = await db.all<PaymentRowRecord>(`SELECT * FROM ${table(PAYMENT_ELIGIBILITY_TABLE)} WHERE participant_id = ? ORDER BY ordinal`, [participantId]);
  return rows.map(toPaymentRow);
}

export interface PaymentReportFilter {
  declarationType?: DeclarationType;
  deliveryPartnerId?: string;
  cohort?: number;
  eligible?: boolean;
  schoolUrns?: readonly string[];
  /** Keyset pagination: rows after this participant's row at this ordinal, or after all their rows when no ordinal is given. */
  after?: { participantId: string; ordinal?: number };
  limit: number;
}

export interface PaymentReportRow extends PaymentEligibilityRow {
  participantId: string;
  /** The milestone's place in the participant's schedule (started first, completed or the last extension last). */
  ordinal: number;
  /** From the participant summary; callers decide who may see them. */
  firstName: string | null;
  lastName: string | null;
  participantType: string;
  schoolUrn: string;
  cohort: number;
  deliveryPartnerId: string | null;
}

type ReportTables = { programme: TableName; summary: TableName };

/** The report's join, its filters and its keyset order, around the columns a caller selects (`p` the eligibility row, `s` the participant summary). */
function reportQuery(columns: string, tables: ReportTables, filter: PaymentReportFilter): { sql: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, ...values: SqlValue[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (filter.declarationType !== undefined) add('p.declaration_type = ?', filter.declarationType);
  if (filter.eligible !== undefined) add('p.eligible = ?', filter.eligible ? 1 : 0);
  if (filter.deliveryPartnerId !== undefined) add('s.delivery_partner_id = ?', filter.deliveryPartnerId);
  if (filter.cohort !== undefined) add('s.cohort = ?', filter.cohort);
  if (filter.schoolUrns !== undefined) {
    if (filter.schoolUrns.length === 0) where.push('1 = 0');
    else add(`s.school_urn IN (${placeholders(filter.schoolUrns.length)})`, ...filter.schoolUrns);
  }
  // The leading >= lets both databases seek the primary key (participant_id, ordinal) to the cursor; a bare OR scanned every page from the
  // first row. The order is the key's, so neither database sorts a participant's rows (ADR 0018).
  if (filter.after?.ordinal === undefined) {
    if (filter.after !== undefined) add('p.participant_id > ?', filter.after.participantId);
  } else {
    add('p.participant_id >= ? AND (p.participant_id > ? OR p.ordinal > ?)', filter.after.participantId, filter.after.participantId, filter.after.ordinal);
  }
  return {
    sql: `SELECT ${columns}
     FROM ${tables.programme(PAYMENT_ELIGIBILITY_TABLE)} p JOIN ${tables.summary(PARTICIPANT_SUMMARY_TABLE)} s ON s.participant_id = p.participant_id
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY p.participant_id, p.ordinal LIMIT ?`,
    params: [...params, filter.limit],
  };
}

/**
 * Payment eligibility of many participants, one row per participant × milestone, joined with the
 * participant summary for scope and filters. Both tables are the live generations of their projections.
 */
export async function paymentEligibilityReport(db: SqlSession, tables: ReportTables, filter: PaymentReportFilter): Promise<PaymentReportRow[]> {
  const { sql, params } = reportQuery('p.*, s.type AS participant_type, s.school_urn, s.cohort, s.delivery_partner_id, s.first_name, s.last_name', tables, filter);
  const rows = await db.all<PaymentRowRecord & { ordinal: number; participant_type: string; school_urn: string; cohort: number; delivery_partner_id: string | null; first_name: string | null; last_name: string | null }>(sql, params);
  return rows.map((row) => ({
    ...toPaymentRow(row),
    participantId: row.participant_id,
    ordinal: Number(row.ordinal),
    firstName: row.first_name,
    lastName: row.last_name,
    participantType: row.participant_type,
    schoolUrn: row.school_urn,
    cohort: row.cohort,
    deliveryPartnerId: row.delivery_partner_id,
  }));
}

/**
 * A report row as the values of its columns, in this order (`PAYMENT_REPORT_VALUE`), as the database
 * returns them: `eligible` 0 or 1, each declaration column as stored (`isWholeDeclaration` says whether
 * the row holds a declaration). For an export that writes each row straight to text without an object.
 */
export type PaymentReportValues = readonly [
  participantId: string, ordinal: number, participantType: string, schoolUrn: string, cohort: number, deliveryPartnerId: string | null,
  declarationType: DeclarationType, windowStart: string, windowEnd: string | null, engagementCountsUntil: string | null, paymentDate: string,
  eligible: number, reason: PaymentReason, declarationDate: string | null, courseIdentifier: CourseIdentifier | null, evidenceHeld: EvidenceHeld | null,
  firstName: string | null, lastName: string | null,
];

const PAYMENT_REPORT_COLUMNS =
  'p.participant_id, p.ordinal, s.type, s.school_urn, s.cohort, s.delivery_partner_id, p.declaration_type, p.window_start, p.window_end, p.engagement_counts_until, '
  + 'p.payment_date, p.eligible, p.reason, p.declaration_date, p.course_identifier, p.evidence_held, s.first_name, s.last_name';

/**
 * Every row of the report in keyset order (by participant, then in their schedule's order of milestones),
 * read `chunk` rows at a time (each chunk a seek on the primary key, read in its order), so a streamed export holds one chunk in
 * memory whatever the log's size. Chunks are separate reads: a participant updated during the export shows
 * as the chunk that read them saw them. Rows come as arrays of values, not objects: the national report is
 * most of a million rows, and an object per row was the larger part of its cost.
 */
export async function* allPaymentReportValues(db: SqlSession, tables: ReportTables, filter: Omit<PaymentReportFilter, 'limit'>, chunk = 5000): AsyncGenerator<PaymentReportValues[]> {
  for (let after = filter.after; ; ) {
    const { sql, params } = reportQuery(PAYMENT_REPORT_COLUMNS, tables, { ...filter, after, limit: chunk });
    const rows = await db.allValues<PaymentReportValues>(sql, params);
    if (rows.length > 0) yield rows;
    if (rows.length < chunk) return;
    const [participantId, ordinal] = rows[rows.length - 1];
    after = { participantId, ordinal: Number(ordinal) };
  }
}
