import { addDays, londonDateOf, PAUSE_LIMIT_WEEKS } from '@ecf/domain';
import { TableName } from '../engine/projection';
import { PARTICIPANT_SUMMARY_TABLE } from '../participant-summary/participant-summary.projection';
import { placeholders, SqlSession, SqlValue } from '../read-models/sql-database';

export const PARTICIPANT_ALERT_KINDS = [
  'pause-over-6-weeks',
  'steplab-access-overdue',
  'ect-without-mentor',
  'deferral-past-return-date',
  'mentor-withdrawn-with-reinstated-ect',
] as const;
export type ParticipantAlertKind = (typeof PARTICIPANT_ALERT_KINDS)[number];

export interface ParticipantAlertRow {
  kind: ParticipantAlertKind;
  participantId: string;
  schoolUrn: string;
  deliveryPartnerId: string | null;
  /** The other participant the alert is about (the reinstated ECT of a mentor still withdrawn with them), or null. */
  relatedParticipantId: string | null;
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

interface KindQuery {
  /** Conditions on the alerted participant's row `p` (and on `related`, when the kind joins another). */
  where: string;
  raisedOn: string;
  params: SqlValue[];
  /** Joins the other participant's row as `related` on this condition. */
  related?: string;
}

/**
 * Each kind as a query over the participant summary: which participants it applies to at `clock`, and
 * the day it began to apply. Pause over the pause limit (seed 004: consider a deferral); Steplab access not
 * granted 24 hours after the form; ECT in the programme with no mentor; deferral past its expected return;
 * a mentor the cascade withdrew with their ECT, still withdrawn once that ECT is back and still theirs
 * (seed 004 ties the mentor to the ECT's withdrawal: a DPL can bring the mentor back too).
 */
function kindQueries(clock: AlertClock): Record<ParticipantAlertKind, KindQuery> {
  return {
    'pause-over-6-weeks': {
      where: `p.status = 'paused' AND p.pause_start_date <= ?`,
      raisedOn: 'p.pause_start_date',
      params: [addDays(clock.today, -PAUSE_ALERT_DAYS)],
    },
    'steplab-access-overdue': {
      where: `p.steplab_status = 'form-submitted' AND p.steplab_access_due_by < ?`,
      raisedOn: 'p.steplab_access_due_by',
      params: [clock.now],
    },
    'ect-without-mentor': {
      where: `p.type = 'ect' AND p.status IN ('awaiting-validation', 'active', 'paused') AND p.mentor_id IS NULL`,
      raisedOn: 'p.registered_on',
      params: [],
    },
    'deferral-past-return-date': {
      where: `p.status = 'deferred' AND p.expected_return_date < ?`,
      raisedOn: 'p.expected_return_date',
      params: [clock.today],
    },
    'mentor-withdrawn-with-reinstated-ect': {
      related: 'related.participant_id = p.withdrawn_with_ect_id',
      where: `p.status = 'withdrawn' AND related.status <> 'withdrawn' AND related.reinstated_on IS NOT NULL AND related.mentor_id = p.participant_id`,
      raisedOn: 'related.reinstated_on',
      params: [],
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
    case 'mentor-withdrawn-with-reinstated-ect':
      return stored;
  }
}

export async function listParticipantAlerts(db: SqlSession, table: TableName, clock: AlertClock, filter: ParticipantAlertFilter): Promise<ParticipantAlertRow[]> {
  const scope: string[] = [];
  const scopeParams: SqlValue[] = [];
  if (filter.schoolUrn !== undefined) {
    scope.push('p.school_urn = ?');
    scopeParams.push(filter.schoolUrn);
  }
  if (filter.schoolUrns !== undefined) {
    scope.push(filter.schoolUrns.length > 0 ? `p.school_urn IN (${placeholders(filter.schoolUrns.length)})` : '1 = 0');
    scopeParams.push(...filter.schoolUrns);
  }
  if (filter.deliveryPartnerId !== undefined) {
    scope.push('p.delivery_partner_id = ?');
    scopeParams.push(filter.deliveryPartnerId);
  }
  const queries = kindQueries(clock);
  const kinds = filter.kind ? [filter.kind] : PARTICIPANT_ALERT_KINDS;
  const rows: ParticipantAlertRow[] = [];
  for (const kind of kinds) {
    const { where, raisedOn, params, related } = queries[kind];
    const summary = table(PARTICIPANT_SUMMARY_TABLE);
    const found = await db.all<Omit<ParticipantAlertRow, 'kind'>>(
      `SELECT p.participant_id AS "participantId", p.school_urn AS "schoolUrn", p.delivery_partner_id AS "deliveryPartnerId",
         ${related ? 'related.participant_id' : 'NULL'} AS "relatedParticipantId", ${raisedOn} AS "raisedOn"
       FROM ${summary} p ${related ? `JOIN ${summary} related ON ${related}` : ''}
       WHERE ${[where, ...scope].join(' AND ')} ORDER BY ${raisedOn}, p.participant_id LIMIT ?`,
      [...params, ...scopeParams, filter.limit],
    );
    rows.push(...found.map((row) => ({ kind, ...row, raisedOn: raisedOnOf(kind, row.raisedOn) })));
  }
  return rows;
}
