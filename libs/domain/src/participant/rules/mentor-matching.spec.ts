import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import {
  ctx,
  dataValidationPassed,
  ectRegistered,
  fieldCodes,
  inductionTutorRegistered,
  matchMentor,
  MENTOR_ID,
  mentorFacts,
  mentorMatched,
  mentorRegistered,
  OTHER_ECT_ID,
  OTHER_MENTOR_ID,
  OTHER_SCHOOL_URN,
  TUTOR_ID,
} from '../../testing/fixtures';

const participant = deciderSpecification(participantDecider, ctx);

const tutor = mentorFacts({ participantId: TUTOR_ID, type: 'induction-tutor' });
const otherMentor = mentorFacts({ participantId: OTHER_MENTOR_ID });

describe('Mentor matching (MatchMentor)', () => {
  describe('Rule: an ECT is matched with a mentor at the same school', () => {
    it('matches an ECT with a mentor registered at the ECT’s school', () =>
      participant.given([ectRegistered()]).when(matchMentor(mentorFacts())).then([mentorMatched()]));

    it('matches an ECT before DfE has validated their data (matching is step 3, validation follows)', () =>
      participant.given([ectRegistered()]).when(matchMentor()).then([mentorMatched()]));

    it('matches a validated ECT', () => participant.given([ectRegistered(), dataValidationPassed()]).when(matchMentor()).then([mentorMatched()]));

    it('rejects a mentor registered at a different school', () =>
      participant
        .given([ectRegistered()])
        .when(matchMentor(mentorFacts({ schoolUrn: OTHER_SCHOOL_URN })))
        .thenRejects('MENTOR_AT_DIFFERENT_SCHOOL', (error) => expect(fieldCodes(error)).toEqual([['mentorId', 'DIFFERENT_SCHOOL']])));

    it('rejects a mentor who is not registered', () =>
      participant
        .given([ectRegistered()])
        .when(matchMentor(null))
        .thenRejects('MENTOR_NOT_FOUND', (error) => expect(fieldCodes(error)).toEqual([['mentorId', 'NOT_FOUND']])));

    it('remembers the ECT’s mentor', () => {
      const state = [ectRegistered(), mentorMatched()].reduce(participantDecider.evolve, participantDecider.initialState());
      expect(state.mentor).toEqual({ id: MENTOR_ID, interim: false });
    });
  });

  describe('Rule: an ECT cannot mentor another ECT', () => {
    it('rejects an ECT proposed as the mentor', () =>
      participant
        .given([ectRegistered()])
        .when(matchMentor(mentorFacts({ participantId: OTHER_ECT_ID, type: 'ect' })))
        .thenRejects('NOT_A_MENTOR', (error) => expect(fieldCodes(error)).toEqual([['mentorId', 'NOT_A_MENTOR']])));
  });

  describe('Rule: only an ECT is matched to a mentor', () => {
    it('rejects matching a mentor to a mentor', () =>
      participant.given([mentorRegistered()]).when(matchMentor(otherMentor, MENTOR_ID)).thenRejects('NOT_AN_ECT'));

    it('rejects matching an induction tutor to a mentor', () =>
      participant.given([inductionTutorRegistered()]).when(matchMentor(mentorFacts(), TUTOR_ID)).thenRejects('NOT_AN_ECT'));

    it('rejects matching an unregistered participant', () =>
      participant.given([]).when(matchMentor()).thenRejects('PARTICIPANT_NOT_FOUND'));
  });

  describe('Rule: the school’s induction tutor may act as an interim mentor', () => {
    it('matches an ECT with the induction tutor of the same school as an interim mentor', () =>
      participant
        .given([ectRegistered()])
        .when(matchMentor(tutor))
        .then([mentorMatched({ mentorId: TUTOR_ID, interim: true })]));

    it('rejects an induction tutor of another school as interim mentor', () =>
      participant
        .given([ectRegistered()])
        .when(matchMentor(mentorFacts({ participantId: TUTOR_ID, type: 'induction-tutor', schoolUrn: OTHER_SCHOOL_URN })))
        .thenRejects('MENTOR_AT_DIFFERENT_SCHOOL'));

    it('replaces the interim mentor with a mentor, recording the induction tutor as the previous mentor', () =>
      participant
        .given([ectRegistered(), mentorMatched({ mentorId: TUTOR_ID, interim: true })])
        .when(matchMentor(mentorFacts()))
        .then([mentorMatched({ previousMentorId: TUTOR_ID })]));

    it('remembers that the mentor is interim', () => {
      const state = [ectRegistered(), mentorMatched({ mentorId: TUTOR_ID, interim: true })].reduce(
        participantDecider.evolve,
        participantDecider.initialState(),
      );
      expect(state.mentor).toEqual({ id: TUTOR_ID, interim: true });
    });
  });

  describe('Rule: an ECT has one mentor at a time', () => {
    it('changes nothing when the ECT is matched with their current mentor again', () =>
      participant.given([ectRegistered(), mentorMatched()]).when(matchMentor()).thenNothingHappens());

    it('replaces the mentor and records the previous one', () =>
      participant
        .given([ectRegistered(), mentorMatched()])
        .when(matchMentor(otherMentor))
        .then([mentorMatched({ mentorId: OTHER_MENTOR_ID, previousMentorId: MENTOR_ID })]));

    it('still rejects a replacement mentor at a different school', () =>
      participant
        .given([ectRegistered(), mentorMatched()])
        .when(matchMentor(mentorFacts({ participantId: OTHER_MENTOR_ID, schoolUrn: OTHER_SCHOOL_URN })))
        .thenRejects('MENTOR_AT_DIFFERENT_SCHOOL'));
  });
});
