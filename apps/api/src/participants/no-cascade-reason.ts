import { ApiProperty } from '@nestjs/swagger';
import { MENTOR_CASCADE_TRIGGERS, type MentorCascadeFacts, type ParticipantEvent } from '@ecf/domain';

/** Why a change that can move a mentor moves none: the words staff read under "Who else is affected". */
export const NO_CASCADE_REASONS = ['not-an-ect', 'no-mentor', 'interim-mentor', 'mentor-retained', 'mentor-has-other-active-ect', 'mentor-not-affected'] as const;
export type NoCascadeReason = (typeof NO_CASCADE_REASONS)[number];

export class NoCascadeView {
  @ApiProperty({
    enum: NO_CASCADE_REASONS,
    description:
      'not-an-ect: only an ECT’s change moves a mentor; no-mentor: no mentor is matched; interim-mentor: the induction tutor stands in; '
      + 'mentor-retained: a DPL keeps the mentor; mentor-has-other-active-ect: the mentor mentors another active ECT; mentor-not-affected: the mentor did not follow the ECT before',
  })
  reason!: NoCascadeReason;

  @ApiProperty({ format: 'uuid', nullable: true, description: 'The ECT’s mentor, when there is one' })
  mentorId!: string | null;
}

/** The ECT events after which the mentor may follow: the mentor-cascade policy's own triggers. */
const MENTOR_MAY_FOLLOW = new Set<string>(MENTOR_CASCADE_TRIGGERS);

/**
 * Why `event` moves no mentor, read from the same facts the policy decides on (null when the event is
 * not one a mentor follows). Only asked when the policy issued nothing for the event.
 */
export function noCascadeReason(event: ParticipantEvent, facts: Pick<MentorCascadeFacts, 'mentorId' | 'interim' | 'mentorHasOtherActiveMentee'>): NoCascadeView | null {
  if (!MENTOR_MAY_FOLLOW.has(event.type)) return null;
  const { mentorId } = facts;
  const because = (reason: NoCascadeReason): NoCascadeView => ({ reason, mentorId });
  if ((event.type === 'ParticipantDeferred' || event.type === 'ParticipantWithdrawn') && event.data.participantType !== 'ect') return because('not-an-ect');
  if (mentorId === null) return because('no-mentor');
  if (facts.interim) return because('interim-mentor');
  if (event.type === 'ParticipantWithdrawn' && event.data.retainMentor) return because('mentor-retained');
  if ((event.type === 'ParticipantDeferred' || event.type === 'ParticipantWithdrawn') && facts.mentorHasOtherActiveMentee) return because('mentor-has-other-active-ect');
  return because('mentor-not-affected');
}
