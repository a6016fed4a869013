import { MentorCascadeFacts, mentorCascade } from '@ecf/domain';
import { ectPaused, MENTOR_ID, participantDeferred, participantWithdrawn, TUTOR_ID } from '@ecf/domain/testing';
import { noCascadeReason } from './no-cascade-reason';

const matched: MentorCascadeFacts = { mentorId: MENTOR_ID, interim: false, mentorHasOtherActiveMentee: false } as MentorCascadeFacts;

/** A dry run that shows no mentor following says why, from the facts the mentor-cascade policy decides on. */
describe('why a previewed change moves no mentor', () => {
  // Seed 004, Defer: "they should also be deferred unless they are also mentoring another ECT."
  it('given the mentor mentors another active ECT, when the ECT’s deferral is previewed, then no mentor follows because the mentor has another active ECT', () => {
    const facts = { ...matched, mentorHasOtherActiveMentee: true };
    expect(mentorCascade(participantDeferred(), facts)).toEqual([]);
    expect(noCascadeReason(participantDeferred(), facts)).toEqual({ reason: 'mentor-has-other-active-ect', mentorId: MENTOR_ID });
  });

  // Seed 004, Withdraw: "If the ECT has been withdrawn, then the mentor also needs to be withdrawn. If the DP or school
  // particularly wants that mentor to continue in some capacity […] the ECF Lead can discuss this option with their DPL."
  it('given a DPL keeps the mentor, when the ECT’s withdrawal is previewed, then no mentor follows because the mentor is retained', () => {
    const withdrawal = participantWithdrawn({ retainMentor: true });
    expect(mentorCascade(withdrawal, matched)).toEqual([]);
    expect(noCascadeReason(withdrawal, matched)).toEqual({ reason: 'mentor-retained', mentorId: MENTOR_ID });
  });

  // Seed 004, Other: "the induction coordinator can always step in to coach the ECT on Steplab as an interim solution."
  it('given the induction tutor stands in as interim mentor, when the ECT’s deferral is previewed, then no mentor follows because the mentor is interim', () => {
    const facts = { ...matched, mentorId: TUTOR_ID, interim: true };
    expect(mentorCascade(participantDeferred(), facts)).toEqual([]);
    expect(noCascadeReason(participantDeferred(), facts)).toEqual({ reason: 'interim-mentor', mentorId: TUTOR_ID });
  });

  // Seed 004, Defer: "an ECT deferral will mean that the mentor associated to them should also be deferred" — only an ECT's.
  it('given a mentor is deferred on their own account, when previewed, then no one follows because only an ECT’s change moves a mentor', () => {
    expect(noCascadeReason(participantDeferred({ participantType: 'mentor', participantId: MENTOR_ID }), { ...matched, mentorId: null })).toEqual({ reason: 'not-an-ect', mentorId: null });
  });

  it('given an ECT with no mentor matched, when the ECT’s withdrawal is previewed, then no mentor follows because there is none', () => {
    expect(noCascadeReason(participantWithdrawn(), { ...matched, mentorId: null })).toEqual({ reason: 'no-mentor', mentorId: null });
  });

  // SPEC §3, Pause: "A mentor whose ECT is paused is not paused." A pause is not a change a mentor follows, so there is nothing to explain.
  it('given a pause, when previewed, then no reason is given: a mentor never follows a pause', () => {
    expect(noCascadeReason(ectPaused('2025-10-01', '2025-10-20'), matched)).toBeNull();
  });
});
