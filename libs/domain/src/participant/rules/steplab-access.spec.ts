import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import {
  ctx,
  ctxAt,
  dataValidationFailed,
  dataValidationPassed,
  ectRegistered,
  grantSteplabAccess,
  inductionTutorRegistered,
  MENTOR_ID,
  mentorRegistered,
  NOW,
  steplabAccessFormSubmitted,
  steplabAccessGranted,
  submitSteplabAccessForm,
  TUTOR_ID,
} from '../../testing/fixtures';
import { STEPLAB_ACCESS_DEADLINE_HOURS } from './steplab-access';

const participant = deciderSpecification(participantDecider, ctx);
const validatedECT = [ectRegistered(), dataValidationPassed()];
const GRANTED_AT = '2025-10-01T15:30:00.000Z';

describe('Steplab access (SubmitSteplabAccessForm, GrantSteplabAccess)', () => {
  describe('Rule: the Steplab access form opens once DfE has validated the participant’s data', () => {
    it('records the form of a validated ECT', () =>
      participant.given(validatedECT).when(submitSteplabAccessForm()).then([steplabAccessFormSubmitted()]));

    it('records the forms of validated mentors and induction tutors', () => {
      participant
        .given([mentorRegistered(), dataValidationPassed(MENTOR_ID)])
        .when(submitSteplabAccessForm(MENTOR_ID))
        .then([steplabAccessFormSubmitted(MENTOR_ID)]);
      participant
        .given([inductionTutorRegistered(), dataValidationPassed(TUTOR_ID)])
        .when(submitSteplabAccessForm(TUTOR_ID))
        .then([steplabAccessFormSubmitted(TUTOR_ID)]);
    });

    it('rejects the form of a participant awaiting validation', () =>
      participant.given([ectRegistered()]).when(submitSteplabAccessForm()).thenRejects('DATA_NOT_VALIDATED'));

    it('rejects the form of a participant whose validation failed', () =>
      participant
        .given([ectRegistered(), dataValidationFailed(['TRN mismatch'])])
        .when(submitSteplabAccessForm())
        .thenRejects('DATA_NOT_VALIDATED', (error) => expect(error.details.nextStep).toBeDefined()));

    it('rejects the form of an unregistered participant', () =>
      participant.given([]).when(submitSteplabAccessForm()).thenRejects('PARTICIPANT_NOT_FOUND'));
  });

  describe('Rule: access is due within 24 hours of the form', () => {
    it('sets accessDueBy 24 hours after the form was submitted', () => {
      expect(STEPLAB_ACCESS_DEADLINE_HOURS).toBe(24);
      participant
        .given(validatedECT)
        .when(submitSteplabAccessForm())
        .then([steplabAccessFormSubmitted(undefined, NOW, '2025-10-02T09:00:00Z')]);
    });

    it('counts 24 elapsed hours across the change from British Summer Time', () =>
      deciderSpecification(participantDecider, ctxAt('2025-10-25T12:00:00Z'))
        .given(validatedECT)
        .when(submitSteplabAccessForm())
        .then([steplabAccessFormSubmitted(undefined, '2025-10-25T12:00:00Z', '2025-10-26T12:00:00Z')]));

    it('remembers when the form was submitted and when access is due', () => {
      const state = [...validatedECT, steplabAccessFormSubmitted()].reduce(participantDecider.evolve, participantDecider.initialState());
      expect(state.steplab).toEqual({ status: 'form-submitted', formSubmittedAt: NOW, accessDueBy: '2025-10-02T09:00:00Z', grantedAt: null });
    });
  });

  describe('Rule: a participant submits one Steplab access form', () => {
    it('rejects a second form', () =>
      participant
        .given([...validatedECT, steplabAccessFormSubmitted()])
        .when(submitSteplabAccessForm())
        .thenRejects('STEPLAB_FORM_ALREADY_SUBMITTED'));

    it('rejects a second form from an induction tutor, even one who holds several schools', () =>
      participant
        .given([inductionTutorRegistered(), dataValidationPassed(TUTOR_ID), steplabAccessFormSubmitted(TUTOR_ID)])
        .when(submitSteplabAccessForm(TUTOR_ID))
        .thenRejects('STEPLAB_FORM_ALREADY_SUBMITTED', (error) => expect(error.details.rule).toMatch(/several schools/)));

    it('rejects a form once access has been granted', () =>
      participant
        .given([...validatedECT, steplabAccessFormSubmitted(), steplabAccessGranted()])
        .when(submitSteplabAccessForm())
        .thenRejects('STEPLAB_FORM_ALREADY_SUBMITTED'));
  });

  describe('Rule: Steplab access is granted after the access form', () => {
    it('grants access to a participant who submitted the form', () =>
      deciderSpecification(participantDecider, ctxAt(GRANTED_AT))
        .given([...validatedECT, steplabAccessFormSubmitted()])
        .when(grantSteplabAccess())
        .then([steplabAccessGranted(undefined, GRANTED_AT)]));

    it('grants access after the 24-hour deadline too (the breach is for the projection to flag)', () =>
      deciderSpecification(participantDecider, ctxAt('2025-10-03T09:00:00.000Z'))
        .given([...validatedECT, steplabAccessFormSubmitted()])
        .when(grantSteplabAccess())
        .then([steplabAccessGranted(undefined, '2025-10-03T09:00:00.000Z')]));

    it('rejects access for a participant who has not submitted the form', () =>
      participant.given(validatedECT).when(grantSteplabAccess()).thenRejects('STEPLAB_FORM_NOT_SUBMITTED'));

    it('rejects access for a participant awaiting validation', () =>
      participant.given([ectRegistered()]).when(grantSteplabAccess()).thenRejects('STEPLAB_FORM_NOT_SUBMITTED'));

    it('rejects access for an unregistered participant', () =>
      participant.given([]).when(grantSteplabAccess()).thenRejects('PARTICIPANT_NOT_FOUND'));

    it('changes nothing when access is granted twice', () =>
      participant.given([...validatedECT, steplabAccessFormSubmitted(), steplabAccessGranted()]).when(grantSteplabAccess()).thenNothingHappens());

    it('makes access active and remembers when it was granted', () => {
      const state = [...validatedECT, steplabAccessFormSubmitted(), steplabAccessGranted(undefined, GRANTED_AT)].reduce(
        participantDecider.evolve,
        participantDecider.initialState(),
      );
      expect(state.steplab).toMatchObject({ status: 'active', grantedAt: GRANTED_AT, formSubmittedAt: NOW });
    });
  });
});
