import { TableName } from '../engine/projection';
import { placeholders, SqlSession, SqlValue } from '../read-models/sql-database';
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
export async function listSchoolAlerts(db: SqlSession, table: TableName, filter: SchoolAlertFilter): Promise<SchoolAlertRow[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.schoolUrn !== undefined) {
    where.push('a.school_urn = ?');
    params.push(filter.schoolUrn);
  }
  if (filter.kind !== undefined) {
    where.push('a.kind = ?');
    params.push(filter.kind);
  }
  if (filter.schoolUrns !== undefined) {
    where.push(filter.schoolUrns.length > 0 ? `a.school_urn IN (${placeholders(filter.schoolUrns.length)})` : '1 = 0');
    params.push(...filter.schoolUrns);
  }
  if (filter.deliveryPartnerId !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM ${table(SCHOOL_DELIVERY_PARTNERS_TABLE)} p WHERE p.school_urn = a.school_urn AND p.delivery_partner_id = ?)`);
    params.push(filter.deliveryPartnerId);
  }
  return db.all<SchoolAlertRow>(
    `SELECT a.school_urn AS "schoolUrn", a.kind, a.raised_on AS "raisedOn", a.caused_by_event_id AS "causedByEventId", a.position
     FROM ${table(SCHOOL_ALERTS_TABLE)} a ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY a.position, a.kind`,
    params,
  );
}
