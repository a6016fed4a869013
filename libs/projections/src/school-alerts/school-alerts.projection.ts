import { effectiveDayOf, ParticipantEvent } from '@ecf/domain';
import type { RecordedEvent } from '@ecf/event-store';
import { dispatch, EventHandlers, EventOf, handledTypes } from '../engine/event-handlers';
import { eachEvent, Projection, TableName } from '../engine/projection';
import { SqlSession } from '../read-models/sql-database';

/**
 * Alerts for a school left without what the programme needs (seed 004, Withdraw): no active ECTs or
 * mentors (the ECF Lead tells their DPL), or active ECTs with no active, DfE-validated induction tutor
 * (the school needs one: seed 000 puts registering ECTs and monitoring their engagement on the tutor).
 * The roster keeps every participant who was ever at a school, so "left" is known after a move.
 */
export const SCHOOL_ROSTER_TABLE = 'school_roster';
export const SCHOOL_ALERTS_TABLE = 'school_alerts';
export const SCHOOL_DELIVERY_PARTNERS_TABLE = 'school_alert_partners';

export type SchoolAlertKind = 'no-active-participants' | 'no-induction-tutor';

const schema = (table: TableName): string[] => [
  `CREATE TABLE IF NOT EXISTS ${table(SCHOOL_ROSTER_TABLE)} (
    school_urn TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    type TEXT NOT NULL,
    active INTEGER NOT NULL,
    validated INTEGER NOT NULL,
    joined_at_position BIGINT NOT NULL,
    PRIMARY KEY (school_urn, participant_id))`,
  `CREATE INDEX IF NOT EXISTS ${table(SCHOOL_ROSTER_TABLE)}_participant ON ${table(SCHOOL_ROSTER_TABLE)} (participant_id, joined_at_position)`,
  `CREATE TABLE IF NOT EXISTS ${table(SCHOOL_ALERTS_TABLE)} (
    school_urn TEXT NOT NULL,
    kind TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    caused_by_event_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (school_urn, kind))`,
  `CREATE TABLE IF NOT EXISTS ${table(SCHOOL_DELIVERY_PARTNERS_TABLE)} (
    school_urn TEXT NOT NULL,
    cohort INTEGER NOT NULL,
    delivery_partner_id TEXT NOT NULL,
    PRIMARY KEY (school_urn, cohort))`,
  `CREATE INDEX IF NOT EXISTS ${table(SCHOOL_DELIVERY_PARTNERS_TABLE)}_partner ON ${table(SCHOOL_DELIVERY_PARTNERS_TABLE)} (delivery_partner_id)`,
];

class SchoolRoster {
  private readonly roster: string;
  private readonly alerts: string;

  constructor(
    private readonly db: SqlSession,
    table: TableName,
    private readonly recorded: RecordedEvent,
  ) {
    this.roster = table(SCHOOL_ROSTER_TABLE);
    this.alerts = table(SCHOOL_ALERTS_TABLE);
  }

  async join(schoolUrn: string, participantId: string, { type, active, validated }: RosterMember): Promise<void> {
    await this.db.run(
      `INSERT INTO ${this.roster} (school_urn, participant_id, type, active, validated, joined_at_position) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (school_urn, participant_id) DO UPDATE SET active = excluded.active, validated = excluded.validated, joined_at_position = excluded.joined_at_position`,
      [schoolUrn, participantId, type, active, validated, this.recorded.position],
    );
  }

  async member(schoolUrn: string, participantId: string): Promise<RosterMember | undefined> {
    return this.db.get(`SELECT type, active, validated FROM ${this.roster} WHERE school_urn = ? AND participant_id = ?`, [schoolUrn, participantId]);
  }

  /** DfE validated the participant; a validation stays (a later failure does not undo it). Returns their current school. */
  async validate(participantId: string): Promise<string[]> {
    await this.db.run(`UPDATE ${this.roster} SET validated = 1 WHERE participant_id = ?`, [participantId]);
    return this.currentSchoolOf(participantId);
  }

  async leave(schoolUrn: string, participantId: string): Promise<void> {
    await this.db.run(`UPDATE ${this.roster} SET active = 0 WHERE school_urn = ? AND participant_id = ?`, [schoolUrn, participantId]);
  }

  /** Marks the participant (in)active at their current school, the one they joined last; returns that school. */
  async setActiveAtCurrentSchool(participantId: string, active: 0 | 1): Promise<string[]> {
    const current = await this.currentSchoolOf(participantId);
    for (const schoolUrn of current) await this.db.run(`UPDATE ${this.roster} SET active = ? WHERE participant_id = ? AND school_urn = ?`, [active, participantId, schoolUrn]);
    return current;
  }

  private async currentSchoolOf(participantId: string): Promise<string[]> {
    const current = await this.db.get<{ school_urn: string }>(
      `SELECT school_urn FROM ${this.roster} WHERE participant_id = ? ORDER BY joined_at_position DESC LIMIT 1`,
      [participantId],
    );
    return current ? [current.school_urn] : [];
  }

  /**
   * Induction tutors are not counted as participants for `no-active-participants`: the tutor's role is to run
   * the programme for the school's ECTs and mentors, so a school left with its tutor alone has nobody in training.
   * A tutor awaiting DfE validation does not clear `no-induction-tutor`: until validated they cannot complete
   * their Steplab access form, so nobody at the school can monitor engagement yet.
   */
  async reassess(schoolUrn: string, raisedOn: string): Promise<void> {
    const counts = await this.db.get<{ trainees: number; activeTrainees: number; activeEcts: number; activeValidatedTutors: number }>(
      `SELECT COALESCE(SUM(CASE WHEN type <> 'induction-tutor' THEN 1 ELSE 0 END), 0) AS trainees,
              COALESCE(SUM(CASE WHEN type <> 'induction-tutor' AND active = 1 THEN 1 ELSE 0 END), 0) AS "activeTrainees",
              COALESCE(SUM(CASE WHEN type = 'ect' AND active = 1 THEN 1 ELSE 0 END), 0) AS "activeEcts",
              COALESCE(SUM(CASE WHEN type = 'induction-tutor' AND active = 1 AND validated = 1 THEN 1 ELSE 0 END), 0) AS "activeValidatedTutors"
       FROM ${this.roster} WHERE school_urn = ?`,
      [schoolUrn],
    );
    if (!counts) return;
    await this.raiseOrClear(schoolUrn, 'no-active-participants', Number(counts.trainees) > 0 && Number(counts.activeTrainees) === 0, raisedOn);
    await this.raiseOrClear(schoolUrn, 'no-induction-tutor', Number(counts.activeEcts) > 0 && Number(counts.activeValidatedTutors) === 0, raisedOn);
  }

  private async raiseOrClear(schoolUrn: string, kind: SchoolAlertKind, raise: boolean, raisedOn: string): Promise<void> {
    if (!raise) {
      await this.db.run(`DELETE FROM ${this.alerts} WHERE school_urn = ? AND kind = ?`, [schoolUrn, kind]);
      return;
    }
    await this.db.run(
      `INSERT INTO ${this.alerts} (school_urn, kind, raised_on, caused_by_event_id, position) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (school_urn, kind) DO NOTHING`,
      [schoolUrn, kind, raisedOn, this.recorded.eventId, this.recorded.position],
    );
  }
}

interface RosterMember {
  readonly type: string;
  readonly active: number;
  readonly validated: number;
}

const TYPE_OF_REGISTRATION = { ECTRegistered: 'ect', MentorRegistered: 'mentor', InductionTutorRegistered: 'induction-tutor' } as const;

/** What each handler works with: the batch's session, the generation's tables, and the event as stored. */
interface AlertsWrite {
  readonly db: SqlSession;
  readonly table: TableName;
  readonly recorded: RecordedEvent;
}

/** A change to the roster: it answers the schools whose alerts must be looked at again, as of the event's effective day. */
const rosterChange =
  <Event extends ParticipantEvent>(change: (event: Event, roster: SchoolRoster) => Promise<string[]>) =>
  async (event: Event, { db, table, recorded }: AlertsWrite): Promise<void> => {
    const roster = new SchoolRoster(db, table, recorded);
    const affected = await change(event, roster);
    const raisedOn = effectiveDayOf(event, recorded.recordedAt);
    for (const schoolUrn of affected) await roster.reassess(schoolUrn, raisedOn);
  };

const joined = rosterChange(async (event: EventOf<'ECTRegistered' | 'MentorRegistered' | 'InductionTutorRegistered'>, roster) => {
  await roster.join(event.data.schoolUrn, event.data.participantId, { type: TYPE_OF_REGISTRATION[event.type], active: 1, validated: 0 });
  return [event.data.schoolUrn];
});
const leftProgramme = rosterChange((event: EventOf<'ParticipantDeferred' | 'ParticipantWithdrawn'>, roster) => roster.setActiveAtCurrentSchool(event.data.participantId, 0));
const backInProgramme = rosterChange((event: EventOf<'ReturnedFromDeferral' | 'ParticipantReinstated'>, roster) => roster.setActiveAtCurrentSchool(event.data.participantId, 1));

const handlers: EventHandlers<AlertsWrite> = {
  SchoolPartnershipRegistered: async (event, { db, table }) => {
    await db.run(
      `INSERT INTO ${table(SCHOOL_DELIVERY_PARTNERS_TABLE)} (school_urn, cohort, delivery_partner_id) VALUES (?, ?, ?)
       ON CONFLICT (school_urn, cohort) DO UPDATE SET delivery_partner_id = excluded.delivery_partner_id`,
      [event.data.urn, event.data.cohort, event.data.deliveryPartnerId],
    );
  },
  ECTRegistered: joined,
  MentorRegistered: joined,
  InductionTutorRegistered: joined,
  DataValidationPassed: rosterChange((event: EventOf<'DataValidationPassed'>, roster) => roster.validate(event.data.participantId)),
  ParticipantDeferred: leftProgramme,
  ParticipantWithdrawn: leftProgramme,
  ReturnedFromDeferral: backInProgramme,
  ParticipantReinstated: backInProgramme,
  SchoolChanged: rosterChange(async (event: EventOf<'SchoolChanged'>, roster) => {
    const { participantId, fromSchoolUrn, toSchoolUrn } = event.data;
    const member = await roster.member(fromSchoolUrn, participantId);
    if (!member) return [];
    await roster.leave(fromSchoolUrn, participantId);
    await roster.join(toSchoolUrn, participantId, member);
    return [fromSchoolUrn, toSchoolUrn];
  }),
};

export const schoolAlertsProjection: Projection = {
  name: 'school-alerts',
  version: 3,
  handles: handledTypes(handlers),
  schema,
  tables: [SCHOOL_ROSTER_TABLE, SCHOOL_ALERTS_TABLE, SCHOOL_DELIVERY_PARTNERS_TABLE],
  apply: eachEvent((recorded, db, table) => dispatch(handlers, recorded, { db, table, recorded })),
};
