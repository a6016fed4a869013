import { Decision } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { MatchMentor } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';
import { rejectIfWithdrawn } from './lifecycle-guards';

/**
 * MatchMentor: an ECT is paired with a mentor at the same school (seed 000 step 3). The school's
 * induction tutor may assign themselves as an interim mentor to cover a mentor's absence (seed 004 "Other").
 */
export function matchMentor(command: MatchMentor, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, mentorId, mentor } = command.data;
  if (state.type !== 'ect') {
    return new DomainError('NOT_AN_ECT', 'Only an ECT is matched to a mentor.', { rule: 'Mentors are matched to ECTs.' });
  }
  const withdrawn = rejectIfWithdrawn(state);
  if (withdrawn) return withdrawn;
  if (!mentor) {
    return new DomainError('MENTOR_NOT_FOUND', `No mentor ${mentorId} is registered.`, {
      nextStep: 'Register the mentor first (POST /mentors).',
      fields: [{ field: 'mentorId', code: 'NOT_FOUND', message: 'No such mentor.' }],
    });
  }
  if (mentor.type === 'ect') {
    return new DomainError('NOT_A_MENTOR', 'An ECT cannot mentor another ECT.', {
      rule: 'An ECT is matched to a mentor, or to the school’s induction tutor as an interim mentor.',
      fields: [{ field: 'mentorId', code: 'NOT_A_MENTOR', message: 'This participant is an ECT.' }],
    });
  }
  if (mentor.schoolUrn !== state.schoolUrn) {
    return new DomainError('MENTOR_AT_DIFFERENT_SCHOOL', 'The mentor is registered at a different school.', {
      rule: 'An ECT and their mentor are at the same school.',
      nextStep: 'Choose a mentor registered at the ECT’s school, or register one there.',
      fields: [{ field: 'mentorId', code: 'DIFFERENT_SCHOOL', message: 'The mentor is at another school.' }],
    });
  }
  if (mentor.status === 'withdrawn') {
    return new DomainError('PARTICIPANT_WITHDRAWN', 'The mentor has been withdrawn.', {
      rule: 'An ECT is matched with a mentor who is on the programme.',
      nextStep: 'Choose another mentor, or have the withdrawal reversed first.',
      fields: [{ field: 'mentorId', code: 'WITHDRAWN', message: 'This mentor is withdrawn.' }],
    });
  }
  if (state.mentor?.id === mentorId) return [];
  return [
    {
      type: 'MentorMatched',
      data: { participantId, mentorId, interim: mentor.type === 'induction-tutor', previousMentorId: state.mentor?.id ?? null },
    },
  ];
}
