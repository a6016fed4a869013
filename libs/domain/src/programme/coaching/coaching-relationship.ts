import { ParticipantStatus } from '../../participant/participant.state';

/**
 * What the check needs of each side of a pair (e.g. from the participant summary). The mentor side may
 * be an induction tutor standing in as interim mentor (seed 004).
 */
export interface CoachingParticipant {
  readonly id: string;
  readonly status: ParticipantStatus;
  /** An ECT's mentor (or interim mentor); not read on the mentor side. */
  readonly mentorId: string | null;
  readonly formSubmitted: boolean;
  readonly accessGranted: boolean;
}

/** Seed 000, step 5: why a pair is not yet visible under "Manage coaching relationships" on Steplab. */
export type CoachingBlocker =
  | 'not-matched'
  | 'ect-form-not-submitted'
  | 'mentor-form-not-submitted'
  | 'ect-access-not-granted'
  | 'mentor-access-not-granted'
  | 'ect-not-active'
  | 'mentor-not-active';

export interface CoachingRelationshipVisibility {
  readonly visibleOnSteplab: boolean;
  /** In the order an induction tutor works through the checklist: match (step 3), form and access (step 4), then status. */
  readonly blockers: readonly CoachingBlocker[];
}

/**
 * A pair is visible on Steplab when the ECT is matched with this mentor (step 3) and both have
 * submitted their Steplab access form and gained access (step 4). A paused ECT stays visible (a pause
 * stops module release only); a deferred or withdrawn participant, or one DfE has not validated, does
 * not count as active. Access not granted is reported only once the form is in, since the form comes first.
 * `mentor` is null when the ECT has no mentor.
 */
export function coachingRelationshipBlockers(ect: CoachingParticipant, mentor: CoachingParticipant | null): CoachingRelationshipVisibility {
  const blockers: CoachingBlocker[] = [];
  if (mentor === null || ect.mentorId !== mentor.id) blockers.push('not-matched');
  blockers.push(...sideBlockers('ect', ect));
  if (mentor !== null) blockers.push(...sideBlockers('mentor', mentor));
  return { visibleOnSteplab: blockers.length === 0, blockers };
}

function sideBlockers(side: 'ect' | 'mentor', participant: CoachingParticipant): CoachingBlocker[] {
  const blockers: CoachingBlocker[] = [];
  if (!participant.formSubmitted) blockers.push(`${side}-form-not-submitted`);
  else if (!participant.accessGranted) blockers.push(`${side}-access-not-granted`);
  if (participant.status !== 'active' && participant.status !== 'paused') blockers.push(`${side}-not-active`);
  return blockers;
}
