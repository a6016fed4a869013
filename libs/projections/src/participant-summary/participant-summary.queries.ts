import { TableName } from '../engine/projection';
import { placeholders, SqlSession, SqlValue } from '../read-models/sql-database';
import { PARTICIPANT_SUMMARY_TABLE } from './participant-summary.projection';

export interface ParticipantSummaryRow {
  participantId: string;
  type: string;
  trn: string | null;
  firstName: string | null;
  lastName: string | null;
  schoolUrn: string;
  cohort: number;
  deliveryPartnerId: string | null;
  status: string;
  validation: string;
  mentorId: string | null;
  interimMentor: boolean;
  steplabStatus: string;
  steplabFormSubmittedAt: string | null;
  steplabAccessDueBy: string | null;
  steplabGrantedAt: string | null;
  registeredOn: string;
  scheduleIdentifier: string | null;
  contentStartDate: string | null;
  pauseStartDate: string | null;
  expectedResumeDate: string | null;
  deferralDate: string | null;
  expectedReturnDate: string | null;
  withdrawalDate: string | null;
  revision: number;
  updatedAt: string;
}

export interface ParticipantFilter {
  schoolUrn?: string;
  cohort?: number;
  type?: string;
  status?: string;
  trn?: string;
  /** Part of the name (first, last, or "first last"), any case. */
  name?: string;
  /** Restricts to these schools (induction tutors' scope). */
  schoolUrns?: readonly string[];
  /** Restricts to this delivery partner (ECF Leads' scope). */
  deliveryPartnerId?: string;
  /** Keyset pagination: participants whose id sorts after this one. */
  after?: string;
  limit: number;
}

// Quoted aliases: PostgreSQL folds unquoted names to lower case.
export const PARTICIPANT_SUMMARY_COLUMNS = `participant_id AS "participantId", type, trn, first_name AS "firstName", last_name AS "lastName",
  school_urn AS "schoolUrn", cohort, delivery_partner_id AS "deliveryPartnerId", status, validation, mentor_id AS "mentorId",
  interim_mentor AS "interimMentor", steplab_status AS "steplabStatus", steplab_form_submitted_at AS "steplabFormSubmittedAt",
  steplab_access_due_by AS "steplabAccessDueBy", steplab_granted_at AS "steplabGrantedAt", registered_on AS "registeredOn",
  schedule_identifier AS "scheduleIdentifier", content_start_date AS "contentStartDate", pause_start_date AS "pauseStartDate",
  expected_resume_date AS "expectedResumeDate", deferral_date AS "deferralDate", expected_return_date AS "expectedReturnDate",
  withdrawal_date AS "withdrawalDate", revision, updated_at AS "updatedAt"`;

export const toParticipantSummaryRow = (row: ParticipantSummaryRow): ParticipantSummaryRow => ({ ...row, interimMentor: Boolean(row.interimMentor) });

export async function listParticipants(db: SqlSession, table: TableName, filter: ParticipantFilter): Promise<ParticipantSummaryRow[]> {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const equal = (column: string, value: string | number | undefined) => {
    if (value === undefined) return;
    clauses.push(`${column} = ?`);
    params.push(value);
  };
  equal('school_urn', filter.schoolUrn);
  equal('cohort', filter.cohort);
  equal('type', filter.type);
  equal('status', filter.status);
  equal('trn', filter.trn);
  equal('delivery_partner_id', filter.deliveryPartnerId);
  if (filter.name !== undefined) {
    // LIKE's wildcards in the search text are escaped so they match themselves; ESCAPE is spelled out for SQLite.
    clauses.push(`LOWER(first_name || ' ' || last_name) LIKE ? ESCAPE '\\'`);
    params.push(`%${filter.name.trim().toLowerCase().replace(/[\\%_]/g, (wildcard) => `\\${wildcard}`)}%`);
  }
  if (filter.after !== undefined) {
    clauses.push('participant_id > ?');
    params.push(filter.after);
  }
  if (filter.schoolUrns) {
    clauses.push(filter.schoolUrns.length > 0 ? `school_urn IN (${placeholders(filter.schoolUrns.length)})` : '1 = 0');
    params.push(...filter.schoolUrns);
  }
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  const rows = await db.all<ParticipantSummaryRow>(
    `SELECT ${PARTICIPANT_SUMMARY_COLUMNS} FROM ${table(PARTICIPANT_SUMMARY_TABLE)} ${where} ORDER BY participant_id LIMIT ?`,
    [...params, filter.limit],
  );
  return rows.map(toParticipantSummaryRow);
}

export async function findParticipantSummary(db: SqlSession, table: TableName, participantId: string): Promise<ParticipantSummaryRow | undefined> {
  const row = await db.get<ParticipantSummaryRow>(`SELECT ${PARTICIPANT_SUMMARY_COLUMNS} FROM ${table(PARTICIPANT_SUMMARY_TABLE)} WHERE participant_id = ?`, [participantId]);
  return row && toParticipantSummaryRow(row);
}

export async function findMentees(db: SqlSession, table: TableName, mentorId: string): Promise<ParticipantSummaryRow[]> {
  const rows = await db.all<ParticipantSummaryRow>(
    `SELECT ${PARTICIPANT_SUMMARY_COLUMNS} FROM ${table(PARTICIPANT_SUMMARY_TABLE)} WHERE mentor_id = ? ORDER BY participant_id`,
    [mentorId],
  );
  return rows.map(toParticipantSummaryRow);
}
