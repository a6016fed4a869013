import type { Database } from 'better-sqlite3';
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
  registeredOn: string;
  scheduleIdentifier: string | null;
  contentStartDate: string | null;
  revision: number;
  updatedAt: string;
}

export interface ParticipantFilter {
  schoolUrn?: string;
  cohort?: number;
  type?: string;
  status?: string;
  trn?: string;
  /** Restricts to these schools (induction tutors' scope). */
  schoolUrns?: readonly string[];
  /** Restricts to this delivery partner (ECF Leads' scope). */
  deliveryPartnerId?: string;
  /** Keyset pagination: participants whose id sorts after this one. */
  after?: string;
  limit: number;
}

const COLUMNS = `participant_id AS participantId, type, trn, first_name AS firstName, last_name AS lastName, school_urn AS schoolUrn,
  cohort, delivery_partner_id AS deliveryPartnerId, status, validation, mentor_id AS mentorId, interim_mentor AS interimMentor,
  steplab_status AS steplabStatus, registered_on AS registeredOn, schedule_identifier AS scheduleIdentifier,
  content_start_date AS contentStartDate, revision, updated_at AS updatedAt`;

const toRow = (row: ParticipantSummaryRow): ParticipantSummaryRow => ({ ...row, interimMentor: Boolean(row.interimMentor) });

export function listParticipants(db: Database, filter: ParticipantFilter): ParticipantSummaryRow[] {
  const clauses: string[] = [];
  const params: Record<string, string | number> = { limit: filter.limit };
  const equal = (column: string, key: string, value: string | number | undefined) => {
    if (value === undefined) return;
    clauses.push(`${column} = @${key}`);
    params[key] = value;
  };
  equal('school_urn', 'schoolUrn', filter.schoolUrn);
  equal('cohort', 'cohort', filter.cohort);
  equal('type', 'type', filter.type);
  equal('status', 'status', filter.status);
  equal('trn', 'trn', filter.trn);
  equal('delivery_partner_id', 'deliveryPartnerId', filter.deliveryPartnerId);
  if (filter.after !== undefined) {
    clauses.push('participant_id > @after');
    params.after = filter.after;
  }
  if (filter.schoolUrns) {
    const names = filter.schoolUrns.map((urn, index) => {
      params[`scope${index}`] = urn;
      return `@scope${index}`;
    });
    clauses.push(names.length > 0 ? `school_urn IN (${names.join(', ')})` : '0');
  }
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  const rows = db.prepare(`SELECT ${COLUMNS} FROM ${PARTICIPANT_SUMMARY_TABLE} ${where} ORDER BY participant_id LIMIT @limit`).all(params);
  return (rows as ParticipantSummaryRow[]).map(toRow);
}

export function findMentees(db: Database, mentorId: string): ParticipantSummaryRow[] {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM ${PARTICIPANT_SUMMARY_TABLE} WHERE mentor_id = ? ORDER BY participant_id`).all(mentorId);
  return (rows as ParticipantSummaryRow[]).map(toRow);
}
