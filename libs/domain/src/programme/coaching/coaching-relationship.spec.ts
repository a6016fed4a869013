import { ECT_ID, MENTOR_ID, TUTOR_ID } from '../../testing/fixtures';
import { CoachingParticipant, coachingRelationshipBlockers } from './coaching-relationship';

const ready = (overrides: Partial<CoachingParticipant> = {}): CoachingParticipant => ({ id: ECT_ID, status: 'active', mentorId: MENTOR_ID, formSubmitted: true, accessGranted: true, ...overrides });
const ect = (overrides: Partial<CoachingParticipant> = {}) => ready(overrides);
const mentor = (overrides: Partial<CoachingParticipant> = {}) => ready({ id: MENTOR_ID, mentorId: null, ...overrides });

describe('Coaching relationship visibility on Steplab (seed 000, step 5 checklist)', () => {
  describe('Rule: a pair is visible when matched and both have submitted the form and gained access', () => {
    it('is visible with nothing blocking', () => expect(coachingRelationshipBlockers(ect(), mentor())).toEqual({ visibleOnSteplab: true, blockers: [] }));
    it('is visible with an induction tutor as interim mentor', () =>
      expect(coachingRelationshipBlockers(ect({ mentorId: TUTOR_ID }), mentor({ id: TUTOR_ID })).visibleOnSteplab).toBe(true));
    it('stays visible while the ECT is paused (a pause stops module release only)', () =>
      expect(coachingRelationshipBlockers(ect({ status: 'paused' }), mentor()).visibleOnSteplab).toBe(true));
  });

  describe('Rule: each unmet step of the checklist is a blocker', () => {
    it.each([
      ['not-matched: the ECT has no mentor', ect({ mentorId: null }), null, ['not-matched']],
      ['not-matched: the ECT is matched with someone else', ect({ mentorId: TUTOR_ID }), mentor(), ['not-matched']],
      ['ect-form-not-submitted', ect({ formSubmitted: false, accessGranted: false }), mentor(), ['ect-form-not-submitted']],
      ['mentor-form-not-submitted', ect(), mentor({ formSubmitted: false, accessGranted: false }), ['mentor-form-not-submitted']],
      ['ect-access-not-granted', ect({ accessGranted: false }), mentor(), ['ect-access-not-granted']],
      ['mentor-access-not-granted', ect(), mentor({ accessGranted: false }), ['mentor-access-not-granted']],
      ['ect-not-active: deferred', ect({ status: 'deferred' }), mentor(), ['ect-not-active']],
      ['ect-not-active: withdrawn, access revoked', ect({ status: 'withdrawn', accessGranted: false }), mentor(), ['ect-access-not-granted', 'ect-not-active']],
      ['mentor-not-active: withdrawn', ect(), mentor({ status: 'withdrawn' }), ['mentor-not-active']],
      ['mentor-not-active: awaiting DfE validation', ect(), mentor({ status: 'awaiting-validation', formSubmitted: false, accessGranted: false }), ['mentor-form-not-submitted', 'mentor-not-active']],
    ])('%s', (_rule, ectSide, mentorSide, blockers) => expect(coachingRelationshipBlockers(ectSide, mentorSide)).toEqual({ visibleOnSteplab: false, blockers }));

    it('lists every blocker at once, in checklist order', () =>
      expect(coachingRelationshipBlockers(ect({ mentorId: null, formSubmitted: false, accessGranted: false }), mentor({ accessGranted: false })).blockers).toEqual([
        'not-matched',
        'ect-form-not-submitted',
        'mentor-access-not-granted',
      ]));
  });
});
