import { ECT_ID, MENTOR_ID, TUTOR_ID } from '../testing/fixtures';
import { participantDeferred, participantWithdrawn } from '../testing/lifecycle-fixtures';
import { MentorCascadeFacts, mentorCascade } from './mentor-cascade';

const soleMentor: MentorCascadeFacts = { mentorId: MENTOR_ID, interim: false, mentorHasOtherActiveMentee: false };
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

  it('Rule: a mentor whose ECT is paused is not paused', () =>
    expect(
      mentorCascade({ type: 'ECTPaused', data: { participantId: ECT_ID, startDate: '2025-10-06', expectedResumeDate: '2025-11-03', reason: 'ill' } }, soleMentor),
    ).toEqual([]));
});
