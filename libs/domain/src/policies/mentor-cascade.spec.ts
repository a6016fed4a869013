import { ECT_ID, MENTOR_ID, TUTOR_ID } from '../testing/fixtures';
import { participantDeferred, participantWithdrawn } from '../testing/lifecycle-fixtures';
import { MentorCascadeFacts, mentorCascade } from './mentor-cascade';

const soleMentor: MentorCascadeFacts = { mentorId: MENTOR_ID, interim: false, mentorHasOtherActiveMentee: false, mentorWithdrawnWithEct: false };
const busyMentor: MentorCascadeFacts = { ...soleMentor, mentorHasOtherActiveMentee: true };

describe('Mentor cascades (policy, seed 004)', () => {
  describe('Rule: deferring an ECT defers their mentor with the same return date unless the mentor has another active ECT', () => {
    it('defers the sole mentor with the ECT’s dates and reason', () =>
      expect(mentorCascade(participantDeferred(), soleMentor)).toEqual([
        {
          type: 'DeferMentor',
          data: { participantId: MENTOR_ID, deferralDate: '2025-10-01', expectedReturnDate: '2026-06-01', reason: 'parental-leave', exceptionReason: null, byDpl: true, cascadedFromEctId: ECT_ID },
        },
      ]));
    it('leaves a mentor with another active ECT alone', () => expect(mentorCascade(participantDeferred(), busyMentor)).toEqual([]));
    it('never defers an induction tutor standing in as interim mentor', () =>
      expect(mentorCascade(participantDeferred(), { ...soleMentor, mentorId: TUTOR_ID, interim: true })).toEqual([]));
    it('does nothing for an ECT without a mentor, or for a mentor’s own deferral', () => {
      expect(mentorCascade(participantDeferred(), { ...soleMentor, mentorId: null })).toEqual([]);
      expect(mentorCascade(participantDeferred({ participantId: MENTOR_ID, participantType: 'mentor' }), soleMentor)).toEqual([]);
    });
  });

  describe('Rule: a change to the ECT’s return date, and the ECT’s return, carry over to the mentor', () => {
    it('updates the mentor’s return date', () =>
      expect(
        mentorCascade(
          { type: 'DeferralReturnDateUpdated', data: { participantId: ECT_ID, previousExpectedReturnDate: '2026-06-01', expectedReturnDate: '2026-04-01', exceptionReason: null, cascadedFromEctId: null } },
          soleMentor,
        ),
      ).toEqual([{ type: 'UpdateDeferralReturnDate', data: { participantId: MENTOR_ID, expectedReturnDate: '2026-04-01', exceptionReason: null, byDpl: true, cascadedFromEctId: ECT_ID } }]));
    it('returns the mentor with the ECT', () =>
      expect(
        mentorCascade({ type: 'ReturnedFromDeferral', data: { participantId: ECT_ID, deferralDate: '2025-10-01', returnDate: '2026-04-01', contentStartDate: null, cascadedFromEctId: null } }, soleMentor),
      ).toEqual([{ type: 'ReturnFromDeferral', data: { participantId: MENTOR_ID, returnDate: '2026-04-01', cascadedFromEctId: ECT_ID } }]));
  });

  describe('Rule: withdrawing an ECT withdraws their mentor unless the mentor has another active ECT or a DPL approved retainMentor', () => {
    it('withdraws the sole mentor on the same date', () =>
      expect(mentorCascade(participantWithdrawn(), soleMentor)).toEqual([
        { type: 'WithdrawMentor', data: { participantId: MENTOR_ID, withdrawalDate: '2025-10-01', reason: 'mentor-no-longer-being-mentor', byDpl: true, cascadedFromEctId: ECT_ID } },
      ]));
    it('keeps a mentor with another active ECT', () => expect(mentorCascade(participantWithdrawn(), busyMentor)).toEqual([]));
    it('keeps a mentor a DPL chose to retain', () => expect(mentorCascade(participantWithdrawn({ retainMentor: true }), soleMentor)).toEqual([]));
  });

  describe('Rule: reversing an ECT’s withdrawal reverses the mentor’s withdrawal that followed it, when the DPL brings the pair back', () => {
    // Seed 004, Withdraw: "If the ECT has been withdrawn, then the mentor also needs to be withdrawn." and
    // "The ECF Lead will need to inform their delivery partner lead (DPL) if they want to reverse a withdrawal."
    const withdrawnWithEct: MentorCascadeFacts = { ...soleMentor, mentorWithdrawnWithEct: true };
    const reversalRequested = { type: 'WithdrawalReversalRequested' as const, data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reason: 'Withdrawn in error', cascadedFromEctId: null } };
    const reinstated = (includeCascadedMentor: boolean) => ({
      type: 'ParticipantReinstated' as const,
      data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-02', includeCascadedMentor, cascadedFromEctId: null },
    });

    it('given a mentor withdrawn with the ECT, when the ECF Lead requests the ECT’s reversal, then the same request is recorded for the mentor', () =>
      expect(mentorCascade(reversalRequested, withdrawnWithEct)).toEqual([
        {
          type: 'RequestWithdrawalReversal',
          data: { participantId: MENTOR_ID, reason: `Requested with the reversal of ECT ${ECT_ID}'s withdrawal, which withdrew this mentor.`, cascadedFromEctId: ECT_ID },
        },
      ]));
    it('given a mentor withdrawn with the ECT, when the DPL reinstates the ECT with includeCascadedMentor, then the mentor is reinstated too', () =>
      expect(mentorCascade(reinstated(true), withdrawnWithEct)).toEqual([{ type: 'ReinstateParticipant', data: { participantId: MENTOR_ID, cascadedFromEctId: ECT_ID } }]));
    it('given a mentor withdrawn with the ECT, when the DPL reinstates the ECT alone, then the mentor stays withdrawn (the alert says so)', () =>
      expect(mentorCascade(reinstated(false), withdrawnWithEct)).toEqual([]));
    it('given a mentor the ECT’s withdrawal did not withdraw (retained, busy or withdrawn on their own account), then nothing follows the ECT’s reversal', () => {
      expect(mentorCascade(reversalRequested, soleMentor)).toEqual([]);
      expect(mentorCascade(reinstated(true), soleMentor)).toEqual([]);
    });
    it('never touches an induction tutor standing in as interim mentor', () =>
      expect(mentorCascade(reinstated(true), { ...withdrawnWithEct, mentorId: TUTOR_ID, interim: true })).toEqual([]));
  });

  it('Rule: a mentor whose ECT is paused is not paused', () =>
    expect(
      mentorCascade({ type: 'ECTPaused', data: { participantId: ECT_ID, startDate: '2025-10-06', expectedResumeDate: '2025-11-03', reason: 'ill' } }, soleMentor),
    ).toEqual([]));
});
