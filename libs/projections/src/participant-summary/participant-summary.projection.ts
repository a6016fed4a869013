import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '@ecf/event-store';
import type { DomainEvent } from '@ecf/domain';
import { Projection } from '../engine/projection';

/**
 * One row per participant (status, school, cohort, mentor, Steplab access) plus the schools'
 * partnerships, which give each participant the delivery partner that scopes ECF Leads.
 */
export const PARTICIPANT_SUMMARY_TABLE = 'participant_summary_v1';
export const SCHOOL_PARTNERSHIPS_TABLE = 'school_partnerships_v1';

const schema = [
  `CREATE TABLE IF NOT EXISTS ${SCHOOL_PARTNERSHIPS_TABLE} (
    urn TEXT NOT NULL, cohort INTEGER NOT NULL, delivery_partner_id TEXT NOT NULL, name TEXT NOT NULL, region TEXT NOT NULL,
    PRIMARY KEY (urn, cohort))`,
  `CREATE TABLE IF NOT EXISTS ${PARTICIPANT_SUMMARY_TABLE} (
    participant_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    trn TEXT,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    school_urn TEXT NOT NULL,
    cohort INTEGER NOT NULL,
    delivery_partner_id TEXT,
    status TEXT NOT NULL,
    validation TEXT NOT NULL,
    mentor_id TEXT,
    interim_mentor INTEGER NOT NULL DEFAULT 0,
    steplab_status TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    schedule_identifier TEXT,
    content_start_date TEXT,
    revision INTEGER NOT NULL,
    updated_at TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS ${PARTICIPANT_SUMMARY_TABLE}_school ON ${PARTICIPANT_SUMMARY_TABLE} (school_urn, cohort, type, status)`,
  `CREATE INDEX IF NOT EXISTS ${PARTICIPANT_SUMMARY_TABLE}_partner ON ${PARTICIPANT_SUMMARY_TABLE} (delivery_partner_id, cohort, type, status)`,
  `CREATE INDEX IF NOT EXISTS ${PARTICIPANT_SUMMARY_TABLE}_mentor ON ${PARTICIPANT_SUMMARY_TABLE} (mentor_id)`,
];

function update(db: Database, event: RecordedEvent, set: Record<string, string | number | null>): void {
  const columns = Object.keys(set);
  const assignments = [...columns.map((column) => `${column} = @${column}`), 'revision = @revision', 'updated_at = @updated_at'];
  db.prepare(`UPDATE ${PARTICIPANT_SUMMARY_TABLE} SET ${assignments.join(', ')} WHERE participant_id = @participant_id`).run({
    ...set,
    revision: event.revision,
    updated_at: event.recordedAt,
    participant_id: event.data.participantId as string,
  });
}

function apply(recorded: RecordedEvent, db: Database): void {
  const event = { type: recorded.type, data: recorded.data } as DomainEvent;
  switch (event.type) {
    case 'SchoolPartnershipRegistered': {
      const { urn, cohort, deliveryPartnerId, name, region } = event.data;
      db.prepare(
        `INSERT INTO ${SCHOOL_PARTNERSHIPS_TABLE} (urn, cohort, delivery_partner_id, name, region) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (urn, cohort) DO UPDATE SET delivery_partner_id = excluded.delivery_partner_id, name = excluded.name, region = excluded.region`,
      ).run(urn, cohort, deliveryPartnerId, name, region);
      db.prepare(`UPDATE ${PARTICIPANT_SUMMARY_TABLE} SET delivery_partner_id = ? WHERE school_urn = ? AND cohort = ?`).run(deliveryPartnerId, urn, cohort);
      return;
    }
    case 'ECTRegistered':
    case 'MentorRegistered':
    case 'InductionTutorRegistered': {
      const { participantId, trn, schoolUrn, cohort, registeredOn, personal } = event.data;
      const plan = 'scheduleIdentifier' in event.data ? event.data : null;
      const type = event.type === 'ECTRegistered' ? 'ect' : event.type === 'MentorRegistered' ? 'mentor' : 'induction-tutor';
      const partnership = db
        .prepare(`SELECT delivery_partner_id FROM ${SCHOOL_PARTNERSHIPS_TABLE} WHERE urn = ? AND cohort = ?`)
        .get(schoolUrn, cohort) as { delivery_partner_id: string } | undefined;
      db.prepare(
        `INSERT INTO ${PARTICIPANT_SUMMARY_TABLE} (participant_id, type, trn, first_name, last_name, school_urn, cohort, delivery_partner_id,
           status, validation, steplab_status, registered_on, schedule_identifier, content_start_date, revision, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'awaiting-validation', 'awaiting', 'not-requested', ?, ?, ?, ?, ?)`,
      ).run(
        participantId, type, trn, personal.firstName, personal.lastName, schoolUrn, cohort, partnership?.delivery_partner_id ?? null,
        registeredOn, plan?.scheduleIdentifier ?? null, plan?.contentStartDate ?? null, recorded.revision, recorded.recordedAt,
      );
      return;
    }
    case 'DataValidationPassed':
      return update(db, recorded, { status: 'active', validation: 'validated' });
    case 'DataValidationFailed':
      return update(db, recorded, { validation: 'failed' });
    case 'MentorMatched':
      return update(db, recorded, { mentor_id: event.data.mentorId, interim_mentor: event.data.interim ? 1 : 0 });
    case 'SteplabAccessFormSubmitted':
      return update(db, recorded, { steplab_status: 'form-submitted' });
    case 'SteplabAccessGranted':
      return update(db, recorded, { steplab_status: 'active' });
    case 'TrnClaimed':
      return;
  }
}

export const participantSummaryProjection: Projection = {
  name: 'participant-summary',
  version: 1,
  handles: [
    'SchoolPartnershipRegistered', 'ECTRegistered', 'MentorRegistered', 'InductionTutorRegistered', 'DataValidationPassed',
    'DataValidationFailed', 'MentorMatched', 'SteplabAccessFormSubmitted', 'SteplabAccessGranted',
  ],
  schema,
  tables: [PARTICIPANT_SUMMARY_TABLE, SCHOOL_PARTNERSHIPS_TABLE],
  apply,
};
