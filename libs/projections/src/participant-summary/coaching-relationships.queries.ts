import { coachingRelationshipBlockers, CoachingParticipant, CoachingRelationshipVisibility, ParticipantStatus } from '@ecf/domain';
import { TableName } from '../engine/projection';
import { SqlSession } from '../read-models/sql-database';
import { PARTICIPANT_SUMMARY_TABLE } from './participant-summary.projection';

export interface CoachingRelationshipRow extends CoachingRelationshipVisibility {
  ectId: string;
  mentorId: string | null;
  interimMentor: boolean;
}

interface PairRow {
  ect_id: string;
  ect_status: ParticipantStatus;
  ect_steplab: string;
  interim_mentor: number;
  mentor_id: string | null;
  mentor_status: ParticipantStatus | null;
  mentor_steplab: string | null;
}

const HAS_SUBMITTED = new Set(['form-submitted', 'active', 'revoked', 'reinstatement-pending']);
const side = (id: string, status: ParticipantStatus, steplab: string, mentorId: string | null): CoachingParticipant => ({
  id,
  status,
  mentorId,
  formSubmitted: HAS_SUBMITTED.has(steplab),
  accessGranted: steplab === 'active',
});

/**
 * The coaching relationships of a school and cohort year (seed 000, step 5): every ECT there with
 * their mentor, and what keeps the pair from showing on Steplab (the domain's checklist).
 */
export async function listCoachingRelationships(db: SqlSession, table: TableName, schoolUrn: string, cohort: number): Promise<CoachingRelationshipRow[]> {
  const participants = table(PARTICIPANT_SUMMARY_TABLE);
  const pairs = await db.all<PairRow>(
    `SELECT e.participant_id AS ect_id, e.status AS ect_status, e.steplab_status AS ect_steplab, e.interim_mentor,
            m.participant_id AS mentor_id, m.status AS mentor_status, m.steplab_status AS mentor_steplab
     FROM ${participants} e LEFT JOIN ${participants} m ON m.participant_id = e.mentor_id
     WHERE e.type = 'ect' AND e.school_urn = ? AND e.cohort = ? AND e.status <> 'withdrawn'
     ORDER BY e.participant_id`,
    [schoolUrn, cohort],
  );
  return pairs.map((pair) => {
    const mentor = pair.mentor_id === null || pair.mentor_status === null ? null : side(pair.mentor_id, pair.mentor_status, pair.mentor_steplab ?? 'not-requested', null);
    return {
      ectId: pair.ect_id,
      mentorId: pair.mentor_id,
      interimMentor: Boolean(pair.interim_mentor),
      ...coachingRelationshipBlockers(side(pair.ect_id, pair.ect_status, pair.ect_steplab, pair.mentor_id), mentor),
    };
  });
}
