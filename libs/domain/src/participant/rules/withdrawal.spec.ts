import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import { ctx, ECT_ID, inductionTutorRegistered, MENTOR_ID, steplabAccessFormSubmitted, steplabAccessGranted, TUTOR_ID, grantSteplabAccess } from '../../testing/fixtures';
import { activeECT, activeMentor, participantWithdrawn, withdrawECT, withdrawMentor } from '../../testing/lifecycle-fixtures';

const participant = deciderSpecification(participantDecider, ctx);
const withAccess = [...activeECT, steplabAccessFormSubmitted(), steplabAccessGranted()];
const revoked = { type: 'SteplabAccessRevoked' as const, data: { participantId: ECT_ID, revokedOn: '2025-10-01', reason: 'withdrawn' as const } };
const requestReversal = { type: 'RequestWithdrawalReversal' as const, data: { participantId: ECT_ID, reason: 'Withdrawn in error' } };
const reversalRequested = { type: 'WithdrawalReversalRequested' as const, data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reason: 'Withdrawn in error', cascadedFromEctId: null } };
const reinstate = { type: 'ReinstateParticipant' as const, data: { participantId: ECT_ID } };

describe('Withdraw (WithdrawECT, WithdrawMentor, WithdrawInductionTutor — seed 004)', () => {
  describe('Rule: a withdrawal needs a reason; mentor-no-longer-being-mentor is for mentors only', () => {
    it('withdraws an ECT, recording their mentor', () => participant.given(activeECT).when(withdrawECT()).then([participantWithdrawn()]));

    it('withdraws a mentor who is no longer mentoring', () =>
      participant
        .given(activeMentor)
        .when(withdrawMentor({ reason: 'mentor-no-longer-being-mentor' }))
        .then([participantWithdrawn({ participantId: MENTOR_ID, participantType: 'mentor', reason: 'mentor-no-longer-being-mentor', mentorId: null })]));

    it('withdraws an induction tutor whose role ended', () =>
      participant
        .given([inductionTutorRegistered()])
        .when({ type: 'WithdrawInductionTutor', data: { participantId: TUTOR_ID, withdrawalDate: '2025-10-01', reason: 'induction-tutor-role-ended', byDpl: false } })
        .then([participantWithdrawn({ participantId: TUTOR_ID, participantType: 'induction-tutor', reason: 'induction-tutor-role-ended', mentorId: null })]));

    it('rejects mentor-no-longer-being-mentor for an ECT', () =>
      participant.given(activeECT).when(withdrawECT({ reason: 'mentor-no-longer-being-mentor' })).thenRejects('REASON_NOT_FOR_PARTICIPANT_TYPE'));

    it('rejects an unknown reason', () => participant.given(activeECT).when(withdrawECT({ reason: 'bored' as never })).thenRejects('INVALID_INPUT'));
    it('rejects withdrawing twice', () => participant.given([...activeECT, participantWithdrawn()]).when(withdrawECT()).thenRejects('ALREADY_WITHDRAWN'));
  });

  describe('Rule: the withdrawal date is never in the future and not before registration', () => {
    it('rejects tomorrow, naming the reason', () =>
      participant
        .given(activeECT)
        .when(withdrawECT({ withdrawalDate: '2025-10-02' }))
        .thenRejects('WITHDRAWAL_DATE_IN_FUTURE', (error) => expect(error.details.rule).toMatch(/Steplab access/)));

    it('rejects a date before registration', () =>
      participant.given(activeECT).when(withdrawECT({ withdrawalDate: '2025-09-30' })).thenRejects('DATE_BEFORE_REGISTRATION'));
  });

  describe('Rule: withdrawal revokes Steplab access from the withdrawal date', () => {
    it('revokes active access', () => participant.given(withAccess).when(withdrawECT()).then([participantWithdrawn(), revoked]));
  });

  describe('Rule: keeping the mentor of a withdrawn ECT needs a DPL (retainMentor)', () => {
    it('rejects retainMentor from an ECF Lead', () => participant.given(activeECT).when(withdrawECT({ retainMentor: true })).thenRejects('RETAIN_MENTOR_NEEDS_DPL'));
    it('records retainMentor from a DPL', () =>
      participant.given(activeECT).when(withdrawECT({ retainMentor: true, byDpl: true })).then([participantWithdrawn({ retainMentor: true })]));
  });

  describe('Rule: the ECF Lead requests a reversal, the DPL reinstates, and access is pending until granted again', () => {
    it('records the reversal request', () => participant.given([...withAccess, participantWithdrawn(), revoked]).when(requestReversal).then([reversalRequested]));
    it('rejects reinstatement that nobody requested', () =>
      participant.given([...withAccess, participantWithdrawn(), revoked]).when(reinstate).thenRejects('REVERSAL_NOT_REQUESTED'));
    it('reinstates a participant whose reversal was requested', () =>
      participant
        .given([...withAccess, participantWithdrawn(), revoked, reversalRequested])
        .when(reinstate)
        .then([{ type: 'ParticipantReinstated', data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-01', includeCascadedMentor: false, cascadedFromEctId: null } }]));
    it('leaves access pending after reinstatement, and grants it without a new form', () => {
      const state = [...withAccess, participantWithdrawn(), revoked, reversalRequested, { type: 'ParticipantReinstated' as const, data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-01' } }].reduce(
        participantDecider.evolve,
        participantDecider.initialState(),
      );
      expect(state.steplab.status).toBe('reinstatement-pending');
      expect(state.status).toBe('active');
      const granted = participantDecider.decide(grantSteplabAccess(), state, ctx);
      expect(granted).toEqual([steplabAccessGranted()]);
    });
    it('rejects a reversal for a participant who is not withdrawn', () => participant.given(activeECT).when(requestReversal).thenRejects('NOT_WITHDRAWN'));
    it('rejects Steplab access for a withdrawn participant', () => participant.given([...withAccess, participantWithdrawn(), revoked]).when(grantSteplabAccess()).thenRejects('PARTICIPANT_WITHDRAWN'));
  });

  describe('Rule: a mentor withdrawn with their ECT is reinstated with the ECT when the DPL brings the pair back, and only after a request', () => {
    // Seed 004, Withdraw: "If the ECT has been withdrawn, then the mentor also needs to be withdrawn." and "The ECF
    // Lead will need to inform their delivery partner lead (DPL) if they want to reverse a withdrawal."
    const withdrawnWithEct = [...activeMentor, participantWithdrawn({ participantId: MENTOR_ID, participantType: 'mentor', reason: 'mentor-no-longer-being-mentor', mentorId: null, cascadedFromEctId: ECT_ID })];
    const cascadedRequest = { type: 'RequestWithdrawalReversal' as const, data: { participantId: MENTOR_ID, reason: 'With the ECT’s reversal', cascadedFromEctId: ECT_ID } };
    const mentorRequested = { type: 'WithdrawalReversalRequested' as const, data: { participantId: MENTOR_ID, withdrawalDate: '2025-10-01', reason: 'With the ECT’s reversal', cascadedFromEctId: ECT_ID } };
    const cascadedReinstatement = { type: 'ReinstateParticipant' as const, data: { participantId: MENTOR_ID, cascadedFromEctId: ECT_ID } };

    it('records the ECT’s DPL choice to bring back the mentor withdrawn with them', () =>
      participant
        .given([...activeECT, participantWithdrawn(), reversalRequested])
        .when({ type: 'ReinstateParticipant', data: { participantId: ECT_ID, includeCascadedMentor: true } })
        .then([{ type: 'ParticipantReinstated', data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-01', includeCascadedMentor: true, cascadedFromEctId: null } }]));
    it('rejects includeCascadedMentor on anyone but an ECT, naming the field', () =>
      participant
        .given([...withdrawnWithEct, mentorRequested])
        .when({ type: 'ReinstateParticipant', data: { participantId: MENTOR_ID, includeCascadedMentor: true } })
        .thenRejects('INVALID_INPUT', (error) => expect(error.details.fields).toEqual([expect.objectContaining({ field: 'includeCascadedMentor', code: 'NOT_APPLICABLE' })])));
    it('records the reversal request the cascade makes for the mentor, marked as following the ECT', () =>
      participant.given(withdrawnWithEct).when(cascadedRequest).then([mentorRequested]));
    it('reinstates the mentor on the cascade’s command once the request is there', () =>
      participant
        .given([...withdrawnWithEct, mentorRequested])
        .when(cascadedReinstatement)
        .then([{ type: 'ParticipantReinstated', data: { participantId: MENTOR_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-01', includeCascadedMentor: false, cascadedFromEctId: ECT_ID } }]));
    it('still refuses the cascade’s reinstatement when no reversal was requested for the mentor', () =>
      participant.given(withdrawnWithEct).when(cascadedReinstatement).thenRejects('REVERSAL_NOT_REQUESTED'));
    it('leaves alone a mentor withdrawn on their own account, or already brought back', () => {
      const ownWithdrawal = [...activeMentor, participantWithdrawn({ participantId: MENTOR_ID, participantType: 'mentor', reason: 'moved-school', mentorId: null })];
      participant.given(ownWithdrawal).when(cascadedRequest).thenNothingHappens();
      participant.given([...ownWithdrawal, mentorRequested]).when(cascadedReinstatement).thenNothingHappens();
      participant.given(activeMentor).when(cascadedReinstatement).thenNothingHappens();
    });
    it('takes a request already made for the mentor as the request (a repeated cascade writes nothing)', () =>
      participant.given([...withdrawnWithEct, mentorRequested]).when(cascadedRequest).thenNothingHappens());
  });
});
