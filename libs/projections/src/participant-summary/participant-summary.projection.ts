import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '@ecf/event-store';
import type { DomainEvent } from '@ecf/domain';
import { Projection } from '../engine/projection';

/**
 * One row per participant (status, school, cohort, mentor, Steplab access) plus the schools'
 * partnerships, which give each participant the delivery partner that scopes ECF Leads.
 */
export const PARTICIPANT_SUMMARY_TABLE = 'participant_summary_v3';
export const SCHOOL_PARTNERSHIPS_TABLE = 'school_partnerships_v3';

const schema = [
  `CREATE TABLE IF NOT EXISTS ${SCHOOL_PARTNERSHIPS_TABLE} (
    urn TEXT NOT NULL, cohort INTEGER NOT NULL, delivery_partner_id TEXT NOT NULL, name TEXT NOT NULL, region TEXT NOT NULL,
    PRIMARY KEY (urn, cohort))`,
  `CREATE TABLE IF NOT EXISTS ${PARTICIPANT_SUMMARY_TABLE} (
    participant_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    trn TEXT,
    first_name TEXT,
    last_name TEXT,
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
    pause_start_date TEXT,
    expected_resume_date TEXT,
    deferral_date TEXT,
    expected_return_date TEXT,
    withdrawal_date TEXT,
    region_covered INTEGER NOT NULL DEFAULT 1,
    revision INTEGER NOT NULL,
    updated_at TEXT NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS ${PARTICIPANT_SUMMARY_TABLE}_school ON ${PARTICIPANT_SUMMARY_TABLE} (school_urn, cohort, type, status)`,
  `CREATE INDEX IF NOT EXISTS ${PARTICIPANT_SUMMARY_TABLE}_partner ON ${PARTICIPANT_SUMMARY_TABLE} (delivery_partner_id, cohort, type, status)`,
  `CREATE INDEX IF NOT EXISTS ${PARTICIPANT_SUMMARY_TABLE}_mentor ON ${PARTICIPANT_SUMMARY_TABLE} (mentor_id)`,
];

/** The status a participant falls back to when a pause, deferral or withdrawal ends. */
const IN_PROGRAMME = Symbol('in-programme');
const IN_PROGRAMME_SQL = `CASE WHEN validation = 'validated' THEN 'active' ELSE 'awaiting-validation' END`;

type Assignments = Record<string, string | number | null | typeof IN_PROGRAMME>;

function update(db: Database, event: RecordedEvent, set: Assignments): void {
  const columns = Object.keys(set);
  const values = Object.fromEntries(Object.entries(set).filter(([, value]) => value !== IN_PROGRAMME));
  const assignments = [
    ...columns.map((column) => (set[column] === IN_PROGRAMME ? `${column} = ${IN_PROGRAMME_SQL}` : `${column} = @${column}`)),
    'revision = @revision',
    'updated_at = @updated_at',
  ];
  db.prepare(`UPDATE ${PARTICIPANT_SUMMARY_TABLE} SET ${assignments.join(', ')} WHERE participant_id = @participant_id`).run({
    ...values,
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
        participantId, type, trn, personal?.firstName ?? null, personal?.lastName ?? null, schoolUrn, cohort, partnership?.delivery_partner_id ?? null,
        registeredOn, plan?.scheduleIdentifier ?? null, plan?.contentStartDate ?? null, recorded.revision, recorded.recordedAt,
      );
      return;
    }
    case 'DataValidationPassed':
      // A participant paused or deferred before validation keeps that status; validation only unblocks them.
      update(db, recorded, { validation: 'validated' });
      db.prepare(`UPDATE ${PARTICIPANT_SUMMARY_TABLE} SET status = 'active' WHERE participant_id = ? AND status = 'awaiting-validation'`).run(event.data.participantId);
      return;
    case 'DataValidationFailed':
      return update(db, recorded, { validation: 'failed' });
    case 'MentorMatched':
      return update(db, recorded, { mentor_id: event.data.mentorId, interim_mentor: event.data.interim ? 1 : 0 });
    case 'SteplabAccessFormSubmitted':
      return update(db, recorded, { steplab_status: 'form-submitted' });
    case 'SteplabAccessGranted':
      return update(db, recorded, { steplab_status: 'active' });
    case 'ECTPaused':
      return update(db, recorded, { status: 'paused', pause_start_date: event.data.startDate, expected_resume_date: event.data.expectedResumeDate });
    case 'ECTResumed':
      return update(db, recorded, { status: IN_PROGRAMME, pause_start_date: null, expected_resume_date: null });
    case 'ParticipantDeferred':
      return update(db, recorded, {
        status: 'deferred', pause_start_date: null, expected_resume_date: null,
        deferral_date: event.data.deferralDate, expected_return_date: event.data.expectedReturnDate,
      });
    case 'DeferralReturnDateUpdated':
      return update(db, recorded, { expected_return_date: event.data.expectedReturnDate });
    case 'ReturnedFromDeferral': {
      const set: Assignments = { status: IN_PROGRAMME, deferral_date: null, expected_return_date: null };
      if (event.data.contentStartDate !== null) set.content_start_date = event.data.contentStartDate;
      return update(db, recorded, set);
    }
    case 'ParticipantWithdrawn':
      return update(db, recorded, {
        status: 'withdrawn', withdrawal_date: event.data.withdrawalDate,
        pause_start_date: null, expected_resume_date: null, deferral_date: null, expected_return_date: null,
      });
    case 'SteplabAccessRevoked':
      return update(db, recorded, { steplab_status: 'revoked' });
    case 'ParticipantReinstated':
      update(db, recorded, { status: IN_PROGRAMME, withdrawal_date: null });
      db.prepare(`UPDATE ${PARTICIPANT_SUMMARY_TABLE} SET steplab_status = 'reinstatement-pending' WHERE participant_id = ? AND steplab_status = 'revoked'`).run(event.data.participantId);
      return;
    case 'SchoolChanged': {
      const row = db.prepare(`SELECT cohort FROM ${PARTICIPANT_SUMMARY_TABLE} WHERE participant_id = ?`).get(event.data.participantId) as { cohort: number } | undefined;
      const partnership = db
        .prepare(`SELECT delivery_partner_id FROM ${SCHOOL_PARTNERSHIPS_TABLE} WHERE urn = ? AND cohort = ?`)
        .get(event.data.toSchoolUrn, row?.cohort ?? 0) as { delivery_partner_id: string } | undefined;
      const set: Assignments = {
        school_urn: event.data.toSchoolUrn, delivery_partner_id: partnership?.delivery_partner_id ?? null,
        region_covered: event.data.regionCovered ? 1 : 0,
      };
      if (event.data.endedMentorMatch !== null) Object.assign(set, { mentor_id: null, interim_mentor: 0 });
      return update(db, recorded, set);
    }
    case 'ReleaseScheduleAmended':
      return update(db, recorded, { content_start_date: event.data.contentStartDate });
    case 'PersonalDataErased':
      return update(db, recorded, { first_name: null, last_name: null });
    case 'TrnClaimed':
      return;
  }
}

export const participantSummaryProjection: Projection = {
  name: 'participant-summary',
  version: 3,
  handles: [
    'SchoolPartnershipRegistered', 'ECTRegistered', 'MentorRegistered', 'InductionTutorRegistered', 'DataValidationPassed',
    'DataValidationFailed', 'MentorMatched', 'SteplabAccessFormSubmitted', 'SteplabAccessGranted', 'ECTPaused', 'ECTResumed',
    'ParticipantDeferred', 'DeferralReturnDateUpdated', 'ReturnedFromDeferral', 'ParticipantWithdrawn', 'SteplabAccessRevoked',
    'ParticipantReinstated', 'SchoolChanged', 'ReleaseScheduleAmended', 'PersonalDataErased',
  ],
  schema,
  tables: [PARTICIPANT_SUMMARY_TABLE, SCHOOL_PARTNERSHIPS_TABLE],
  apply,
};
