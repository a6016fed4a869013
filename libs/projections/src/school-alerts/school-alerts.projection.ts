import type { Database } from 'better-sqlite3';
import { effectiveDayOf, ParticipantEvent, SchoolEvent } from '@ecf/domain';
import { RecordedEvent, toDomainEvent } from '@ecf/event-store';
import { Projection } from '../engine/projection';

/**
 * Alerts for a school left without what the programme needs (seed 004, "Other"): no active
 * participants (the ECF Lead tells their DPL), or no induction tutor (a replacement is needed).
 * The roster keeps every participant who was ever at a school, so "left" is known after a move.
 */
export const SCHOOL_ROSTER_TABLE = 'school_roster_v1';
export const SCHOOL_ALERTS_TABLE = 'school_alerts_v1';
export const SCHOOL_DELIVERY_PARTNERS_TABLE = 'school_alert_partners_v1';

export type SchoolAlertKind = 'no-active-participants' | 'no-induction-tutor';

const schema = [
  `CREATE TABLE IF NOT EXISTS ${SCHOOL_ROSTER_TABLE} (
    school_urn TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    type TEXT NOT NULL,
    active INTEGER NOT NULL,
    PRIMARY KEY (school_urn, participant_id))`,
  `CREATE INDEX IF NOT EXISTS ${SCHOOL_ROSTER_TABLE}_participant ON ${SCHOOL_ROSTER_TABLE} (participant_id)`,
  `CREATE TABLE IF NOT EXISTS ${SCHOOL_ALERTS_TABLE} (
    school_urn TEXT NOT NULL,
    kind TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    caused_by_event_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (school_urn, kind))`,
  `CREATE TABLE IF NOT EXISTS ${SCHOOL_DELIVERY_PARTNERS_TABLE} (
    school_urn TEXT NOT NULL,
    cohort INTEGER NOT NULL,
    delivery_partner_id TEXT NOT NULL,
    PRIMARY KEY (school_urn, cohort))`,
  `CREATE INDEX IF NOT EXISTS ${SCHOOL_DELIVERY_PARTNERS_TABLE}_partner ON ${SCHOOL_DELIVERY_PARTNERS_TABLE} (delivery_partner_id)`,
];

function raiseOrClear(db: Database, schoolUrn: string, kind: SchoolAlertKind, raise: boolean, recorded: RecordedEvent, raisedOn: string): void {
  if (!raise) {
    db.prepare(`DELETE FROM ${SCHOOL_ALERTS_TABLE} WHERE school_urn = ? AND kind = ?`).run(schoolUrn, kind);
    return;
  }
  db.prepare(
    `INSERT INTO ${SCHOOL_ALERTS_TABLE} (school_urn, kind, raised_on, caused_by_event_id, position) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (school_urn, kind) DO NOTHING`,
  ).run(schoolUrn, kind, raisedOn, recorded.eventId, recorded.position);
}

function reassess(db: Database, schoolUrn: string, recorded: RecordedEvent, raisedOn: string): void {
  const counts = db
    .prepare(
      `SELECT COUNT(*) AS everyone, COALESCE(SUM(active), 0) AS active,
              COALESCE(SUM(type = 'induction-tutor'), 0) AS tutors, COALESCE(SUM(type = 'induction-tutor' AND active = 1), 0) AS activeTutors
       FROM ${SCHOOL_ROSTER_TABLE} WHERE school_urn = ?`,
    )
    .get(schoolUrn) as { everyone: number; active: number; tutors: number; activeTutors: number };
  raiseOrClear(db, schoolUrn, 'no-active-participants', counts.everyone > 0 && counts.active === 0, recorded, raisedOn);
  raiseOrClear(db, schoolUrn, 'no-induction-tutor', counts.tutors > 0 && counts.activeTutors === 0, recorded, raisedOn);
}

/** Marks the participant (in)active at their current school, the one they joined last; returns that school. */
function setActiveAtCurrentSchool(db: Database, participantId: string, active: 0 | 1): string[] {
  const current = db.prepare(`SELECT school_urn FROM ${SCHOOL_ROSTER_TABLE} WHERE participant_id = ? ORDER BY rowid DESC LIMIT 1`).get(participantId) as
    | { school_urn: string }
    | undefined;
  if (!current) return [];
  db.prepare(`UPDATE ${SCHOOL_ROSTER_TABLE} SET active = ? WHERE participant_id = ? AND school_urn = ?`).run(active, participantId, current.school_urn);
  return [current.school_urn];
}

function apply(recorded: RecordedEvent, db: Database): void {
  const event = toDomainEvent<ParticipantEvent | SchoolEvent>(recorded);
  if (event.type === 'SchoolPartnershipRegistered') {
    db.prepare(
      `INSERT INTO ${SCHOOL_DELIVERY_PARTNERS_TABLE} (school_urn, cohort, delivery_partner_id) VALUES (?, ?, ?)
       ON CONFLICT (school_urn, cohort) DO UPDATE SET delivery_partner_id = excluded.delivery_partner_id`,
    ).run(event.data.urn, event.data.cohort, event.data.deliveryPartnerId);
    return;
  }
  const raisedOn = effectiveDayOf(event, recorded.recordedAt);
  const participantId = event.data.participantId;
  let affected: string[] = [];
  switch (event.type) {
    case 'ECTRegistered':
    case 'MentorRegistered':
    case 'InductionTutorRegistered': {
      const type = event.type === 'ECTRegistered' ? 'ect' : event.type === 'MentorRegistered' ? 'mentor' : 'induction-tutor';
      db.prepare(`INSERT OR IGNORE INTO ${SCHOOL_ROSTER_TABLE} (school_urn, participant_id, type, active) VALUES (?, ?, ?, 1)`).run(event.data.schoolUrn, participantId, type);
      affected = [event.data.schoolUrn];
      break;
    }
    case 'ParticipantDeferred':
    case 'ParticipantWithdrawn':
      affected = setActiveAtCurrentSchool(db, participantId, 0);
      break;
    case 'ReturnedFromDeferral':
    case 'ParticipantReinstated':
      affected = setActiveAtCurrentSchool(db, participantId, 1);
      break;
    case 'SchoolChanged': {
      const { fromSchoolUrn, toSchoolUrn } = event.data;
      const row = db.prepare(`SELECT type, active FROM ${SCHOOL_ROSTER_TABLE} WHERE school_urn = ? AND participant_id = ?`).get(fromSchoolUrn, participantId) as
        | { type: string; active: number }
        | undefined;
      if (!row) return;
      db.prepare(`UPDATE ${SCHOOL_ROSTER_TABLE} SET active = 0 WHERE school_urn = ? AND participant_id = ?`).run(fromSchoolUrn, participantId);
      // Re-inserted, not updated, so a return to an earlier school makes it the latest row again.
      db.prepare(`DELETE FROM ${SCHOOL_ROSTER_TABLE} WHERE school_urn = ? AND participant_id = ?`).run(toSchoolUrn, participantId);
      db.prepare(`INSERT INTO ${SCHOOL_ROSTER_TABLE} (school_urn, participant_id, type, active) VALUES (?, ?, ?, ?)`).run(toSchoolUrn, participantId, row.type, row.active);
      affected = [fromSchoolUrn, toSchoolUrn];
      break;
    }
    default:
      return;
  }
  for (const schoolUrn of affected) reassess(db, schoolUrn, recorded, raisedOn);
}

export const schoolAlertsProjection: Projection = {
  name: 'school-alerts',
  version: 1,
  handles: [
    'SchoolPartnershipRegistered', 'ECTRegistered', 'MentorRegistered', 'InductionTutorRegistered', 'ParticipantDeferred', 'ParticipantWithdrawn',
    'ReturnedFromDeferral', 'ParticipantReinstated', 'SchoolChanged',
  ],
  schema,
  tables: [SCHOOL_ROSTER_TABLE, SCHOOL_ALERTS_TABLE, SCHOOL_DELIVERY_PARTNERS_TABLE],
  apply,
};
