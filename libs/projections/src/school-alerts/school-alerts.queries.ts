import type { Database } from 'better-sqlite3';
import { SCHOOL_ALERTS_TABLE, SCHOOL_DELIVERY_PARTNERS_TABLE, SchoolAlertKind } from './school-alerts.projection';

export interface SchoolAlertRow {
  schoolUrn: string;
  kind: SchoolAlertKind;
  raisedOn: string;
  causedByEventId: string;
  position: number;
}

export interface SchoolAlertFilter {
  schoolUrn?: string;
  kind?: SchoolAlertKind;
  /** Restricts to these schools (induction tutors' scope). */
  schoolUrns?: readonly string[];
  /** Restricts to schools partnered with this delivery partner in any cohort (ECF Leads' scope). */
  deliveryPartnerId?: string;
}

/** Open alerts, oldest first. */
export function listSchoolAlerts(db: Database, filter: SchoolAlertFilter): SchoolAlertRow[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.schoolUrn !== undefined) {
    where.push('a.school_urn = @schoolUrn');
    params.schoolUrn = filter.schoolUrn;
  }
  if (filter.kind !== undefined) {
    where.push('a.kind = @kind');
    params.kind = filter.kind;
  }
  if (filter.schoolUrns !== undefined) {
    where.push(`a.school_urn IN (SELECT value FROM json_each(@schoolUrns))`);
    params.schoolUrns = JSON.stringify(filter.schoolUrns);
  }
  if (filter.deliveryPartnerId !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM ${SCHOOL_DELIVERY_PARTNERS_TABLE} p WHERE p.school_urn = a.school_urn AND p.delivery_partner_id = @deliveryPartnerId)`);
    params.deliveryPartnerId = filter.deliveryPartnerId;
  }
  return db
    .prepare(
      `SELECT a.school_urn AS schoolUrn, a.kind, a.raised_on AS raisedOn, a.caused_by_event_id AS causedByEventId, a.position
       FROM ${SCHOOL_ALERTS_TABLE} a ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.position, a.kind`,
    )
    .all(params) as SchoolAlertRow[];
}
