import { addDays, londonDateOf, PAUSE_LIMIT_WEEKS } from '@ecf/domain';
import { TableName } from '../engine/projection';
import { PARTICIPANT_SUMMARY_TABLE } from '../participant-summary/participant-summary.projection';
import { placeholders, SqlSession, SqlValue } from '../read-models/sql-database';

export const PARTICIPANT_ALERT_KINDS = ['pause-over-6-weeks', 'steplab-access-overdue', 'ect-without-mentor', 'deferral-past-return-date'] as const;
export type ParticipantAlertKind = (typeof PARTICIPANT_ALERT_KINDS)[number];

export interface ParticipantAlertRow {
  kind: ParticipantAlertKind;
  participantId: string;
  schoolUrn: string;
  deliveryPartnerId: string | null;
  /** The day the alert began to apply: it is derived from stored dates and the clock, never frozen in a table. */
  raisedOn: string;
}

export interface ParticipantAlertFilter {
  kind?: ParticipantAlertKind;
  schoolUrn?: string;
  /** Restricts to these schools (induction tutors' scope). */
  schoolUrns?: readonly string[];
  deliveryPartnerId?: string;
  limit: number;
}

/** The clock the alerts are computed against: the injected decision clock of the process. */
export interface AlertClock {
  readonly now: string;
  readonly today: string;
}

/** The pause rule's own limit (PAUSE_LIMIT_WEEKS), in days: a pause open longer is alerted. */
const PAUSE_ALERT_DAYS = PAUSE_LIMIT_WEEKS * 7;

/**
 * Each kind as a query over the participant summary: which participants it applies to at `clock`, and
 * the day it began to apply. Pause over the pause limit (seed 004: consider a deferral); Steplab access not
 * granted 24 hours after the form; ECT in the programme with no mentor; deferral past its expected return.
 */
function kindQueries(clock: AlertClock): Record<ParticipantAlertKind, { where: string; raisedOn: string; params: SqlValue[] }> {
  return {
    'pause-over-6-weeks': {
      where: `status = 'paused' AND pause_start_date <= ?`,
      raisedOn: 'pause_start_date',
      params: [addDays(clock.today, -PAUSE_ALERT_DAYS)],
    },
    'steplab-access-overdue': {
      where: `steplab_status = 'form-submitted' AND steplab_access_due_by < ?`,
      raisedOn: 'steplab_access_due_by',
      params: [clock.now],
    },
    'ect-without-mentor': {
      where: `type = 'ect' AND status IN ('awaiting-validation', 'active', 'paused') AND mentor_id IS NULL`,
      raisedOn: 'registered_on',
      params: [],
    },
    'deferral-past-return-date': {
      where: `status = 'deferred' AND expected_return_date < ?`,
      raisedOn: 'expected_return_date',
      params: [clock.today],
    },
  };
}

/** The day each kind began to apply, from the stored date or instant (an instant counts on its day in England). */
function raisedOnOf(kind: ParticipantAlertKind, stored: string): string {
  switch (kind) {
    case 'pause-over-6-weeks':
      return addDays(stored, PAUSE_ALERT_DAYS);
    case 'deferral-past-return-date':
      return addDays(stored, 1);
    case 'steplab-access-overdue':
      return londonDateOf(new Date(stored).toISOString());
    case 'ect-without-mentor':
      return stored;
  }
}

export async function listParticipantAlerts(db: SqlSession, table: TableName, clock: AlertClock, filter: ParticipantAlertFilter): Promise<ParticipantAlertRow[]> {
  const scope: string[] = [];
  const scopeParams: SqlValue[] = [];
  if (filter.schoolUrn !== undefined) {
    scope.push('school_urn = ?');
    scopeParams.push(filter.schoolUrn);
  }
  if (filter.schoolUrns !== undefined) {
    scope.push(filter.schoolUrns.length > 0 ? `school_urn IN (${placeholders(filter.schoolUrns.length)})` : '1 = 0');
    scopeParams.push(...filter.schoolUrns);
  }
  if (filter.deliveryPartnerId !== undefined) {
    scope.push('delivery_partner_id = ?');
    scopeParams.push(filter.deliveryPartnerId);
  }
  const queries = kindQueries(clock);
  const kinds = filter.kind ? [filter.kind] : PARTICIPANT_ALERT_KINDS;
  const rows: ParticipantAlertRow[] = [];
  for (const kind of kinds) {
    const { where, raisedOn, params } = queries[kind];
    const found = await db.all<Omit<ParticipantAlertRow, 'kind'>>(
      `SELECT participant_id AS "participantId", school_urn AS "schoolUrn", delivery_partner_id AS "deliveryPartnerId", ${raisedOn} AS "raisedOn"
       FROM ${table(PARTICIPANT_SUMMARY_TABLE)} WHERE ${[where, ...scope].join(' AND ')} ORDER BY ${raisedOn}, participant_id LIMIT ?`,
      [...params, ...scopeParams, filter.limit],
    );
    rows.push(...found.map((row) => ({ kind, ...row, raisedOn: raisedOnOf(kind, row.raisedOn) })));
  }
  return rows;
}
