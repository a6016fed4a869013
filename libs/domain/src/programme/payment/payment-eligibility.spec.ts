import { dataValidationFailed, dataValidationPassed, ECT_ID, ectRegistered, inductionTutorRegistered, MENTOR_ID } from '../../testing/fixtures';
import { activeECT, activeMentor, participantDeferred, participantWithdrawn } from '../../testing/lifecycle-fixtures';
import {
  attendanceRecorded,
  ectPaused,
  engagementRecorded,
  PAYMENT_SCHEDULES,
  participantReinstated,
  returnedFromDeferral,
  schoolChanged,
  timelineOf,
} from '../../testing/programme-fixtures';
import { PaymentReason, paymentEligibility } from './payment-eligibility';

type Given = Parameters<typeof timelineOf>[0];

/** Given these events, when eligibility is computed, then each milestone reads its reason (and declaration date when eligible). */
const eligibilityAfter = (events: Given) => paymentEligibility(timelineOf(events), PAYMENT_SCHEDULES);
const reasonsAfter = (events: Given): Record<string, PaymentReason> => Object.fromEntries(eligibilityAfter(events).map((row) => [row.declarationType, row.reason]));
const declarationDatesAfter = (events: Given): Record<string, string | null> =>
  Object.fromEntries(eligibilityAfter(events).map((row) => [row.declarationType, row.declaration?.declarationDate ?? null]));

const NOTHING_YET: Record<string, PaymentReason> = {
  started: 'no-engagement-while-active',
  'retained-1': 'no-engagement-while-active',
  'retained-2': 'no-engagement-while-active',
  'retained-3': 'no-engagement-while-active',
  'retained-4': 'no-engagement-while-active',
  completed: 'no-engagement-while-active',
};

describe('Payment eligibility (SPEC §4; DfE schedules, research §2–3)', () => {
  describe('Rule: a milestone is eligible when the participant engaged inside its window while active, and the declaration is dated by that engagement', () => {
    it('gives one row per milestone of the participant’s schedule, with its window, payment date and declaration', () => {
      const rows = eligibilityAfter([...activeECT, engagementRecorded('module-completed', '2025-10-02')]);
      expect(rows.map((row) => row.declarationType)).toEqual(['started', 'retained-1', 'retained-2', 'retained-3', 'retained-4', 'completed']);
      expect(rows[0]).toEqual({
        declarationType: 'started',
        windowStart: '2025-07-01',
        windowEnd: null,
        engagementCountsUntil: '2025-12-31',
        paymentDate: '2025-11-30',
        eligible: true,
        reason: 'engaged',
        declaration: {
          participantId: ECT_ID,
          declarationType: 'started',
          declarationDate: '2025-10-02',
          courseIdentifier: 'ecf-induction',
          evidenceHeld: 'self-study-material-completed',
        },
      });
      expect(rows[5]).toMatchObject({ windowStart: '2027-04-01', engagementCountsUntil: null, eligible: false, reason: 'no-engagement-while-active', declaration: null });
    });

    it('declares the earliest qualifying engagement in each window', () =>
      expect(
        declarationDatesAfter([
          ...activeECT,
          engagementRecorded('self-study', '2025-11-03'),
          engagementRecorded('self-study', '2025-10-20'),
          engagementRecorded('conference', '2026-02-10'),
        ]),
      ).toMatchObject({ started: '2025-10-20', 'retained-1': '2026-02-10', 'retained-2': null }));

    it('counts an engagement on the deadline day, and one the day after for the next milestone (2024 cohort, with DfE deadlines)', () => {
      const registered2024 = ectRegistered({ cohort: 2024, registeredOn: '2024-09-10', contentStartDate: '2024-09-01' });
      const events = [registered2024, dataValidationPassed(), engagementRecorded('self-study', '2024-12-31'), engagementRecorded('self-study', '2025-01-01')];
      expect(declarationDatesAfter(events)).toMatchObject({ started: '2024-12-31', 'retained-1': '2025-01-01' });
      expect(eligibilityAfter(events)[0]).toMatchObject({ windowEnd: '2024-12-31', engagementCountsUntil: '2024-12-31' });
    });

    it('counts attendance at a conference or clinic as engagement', () =>
      expect(eligibilityAfter([...activeECT, attendanceRecorded('conference-1', 'conference', '2025-10-06')])[0].declaration).toMatchObject({
        declarationDate: '2025-10-06',
        evidenceHeld: 'training-event-attended',
      }));

    it('reports a window with no engagement as no engagement while active', () => expect(reasonsAfter(activeECT)).toEqual(NOTHING_YET));
  });

  describe('Rule: evidence held comes from the engagement, in DfE’s values', () => {
    it.each([
      ['conference', 'training-event-attended'],
      ['clinic', 'training-event-attended'],
      ['module-completed', 'self-study-material-completed'],
      ['self-study', 'self-study-material-completed'],
      ['coaching-session', 'other'],
    ] as const)('%s → %s', (kind, evidence) =>
      expect(eligibilityAfter([...activeECT, engagementRecorded(kind, '2025-10-02')])[0].declaration?.evidenceHeld).toBe(evidence));

    it('names the strongest evidence when several engagements qualify on the same day', () =>
      expect(
        eligibilityAfter([...activeECT, engagementRecorded('coaching-session', '2025-10-02'), engagementRecorded('clinic', '2025-10-02')])[0].declaration?.evidenceHeld,
      ).toBe('training-event-attended'));

    it('declares a mentor’s training as ecf-mentor', () =>
      expect(eligibilityAfter([...activeMentor, engagementRecorded('coaching-session', '2025-10-02', MENTOR_ID)])[0].declaration).toEqual({
        participantId: MENTOR_ID,
        declarationType: 'started',
        declarationDate: '2025-10-02',
        courseIdentifier: 'ecf-mentor',
        evidenceHeld: 'other',
      }));
  });

  describe('Rule: a participant DfE has not validated is not eligible', () => {
    it('while awaiting validation, even with engagement', () =>
      expect(new Set(Object.values(reasonsAfter([ectRegistered(), engagementRecorded('self-study', '2025-10-02')])))).toEqual(new Set(['not-validated'])));
    it('after validation failed', () =>
      expect(new Set(Object.values(reasonsAfter([ectRegistered(), dataValidationFailed(['TRN and date of birth do not match'])])))).toEqual(new Set(['not-validated'])));
  });

  describe('Rule: later milestones need a started declaration first (DfE pays only after one)', () => {
    it('withholds a retained milestone the participant engaged in when started was not earned', () =>
      expect(reasonsAfter([...activeECT, engagementRecorded('self-study', '2026-02-10')])).toMatchObject({
        started: 'no-engagement-while-active',
        'retained-1': 'no-started-declaration',
      }));
  });

  describe('Rule: paused days count as active (a pause stops module release only)', () => {
    it('counts engagement while paused', () =>
      expect(declarationDatesAfter([...activeECT, ectPaused('2025-10-08', '2025-11-05'), engagementRecorded('self-study', '2025-10-20')])).toMatchObject({
        started: '2025-10-20',
      }));
  });

  describe('Rule: payments stop from the deferral date and resume on return; engagement while deferred does not count', () => {
    const deferred = participantDeferred({ deferralDate: '2025-11-20', expectedReturnDate: '2026-04-15' });

    it('marks a window spent wholly deferred as deferred, even with engagement in it, and counts engagement after the return', () => {
      const events = [
        ...activeECT,
        engagementRecorded('self-study', '2025-10-10'),
        deferred,
        engagementRecorded('self-study', '2026-02-02'),
        returnedFromDeferral('2025-11-20', '2026-04-15'),
        engagementRecorded('self-study', '2026-04-20'),
      ];
      expect(reasonsAfter(events)).toMatchObject({ started: 'engaged', 'retained-1': 'deferred', 'retained-2': 'engaged' });
      expect(declarationDatesAfter(events)).toMatchObject({ 'retained-2': '2026-04-20' });
    });

    it('does not count engagement on the deferral date itself', () =>
      expect(reasonsAfter([...activeECT, engagementRecorded('self-study', '2025-11-20'), deferred])).toMatchObject({ started: 'no-engagement-while-active' }));

    it('marks every later window deferred while the deferral is open', () =>
      expect(reasonsAfter([...activeECT, engagementRecorded('self-study', '2025-10-10'), deferred])).toEqual({
        started: 'engaged',
        'retained-1': 'deferred',
        'retained-2': 'deferred',
        'retained-3': 'deferred',
        'retained-4': 'deferred',
        completed: 'deferred',
      }));
  });

  describe('Rule: after a withdrawal nothing counts; what was met before the withdrawal date still pays', () => {
    it('declares the engagement before a mid-window withdrawal and ignores one after it', () => {
      const events = [...activeECT, engagementRecorded('self-study', '2025-11-10'), engagementRecorded('self-study', '2025-11-20'), participantWithdrawn({ withdrawalDate: '2025-11-15' })];
      expect(declarationDatesAfter(events)).toMatchObject({ started: '2025-11-10' });
      expect(reasonsAfter(events)).toMatchObject({ started: 'engaged', 'retained-1': 'withdrawn-before-window', completed: 'withdrawn-before-window' });
    });

    it('pays nothing for the withdrawal window when the only engagement came after the (back-dated) withdrawal date', () =>
      expect(reasonsAfter([...activeECT, engagementRecorded('self-study', '2025-11-20'), participantWithdrawn({ withdrawalDate: '2025-11-15' })])).toMatchObject({
        started: 'withdrawn-before-engaging',
      }));

    it('does not count engagement on the withdrawal date itself', () =>
      expect(reasonsAfter([...activeECT, engagementRecorded('self-study', '2025-11-15'), participantWithdrawn({ withdrawalDate: '2025-11-15' })])).toMatchObject({
        started: 'withdrawn-before-engaging',
      }));
  });

  describe('Rule: "No payment will be received for a withdrawn participant if they haven’t engaged in the payment window they were active in" (seed 004, Withdraw): withdrawn before engaging', () => {
    it('gives the window the participant was withdrawn in, without engaging, the reason withdrawn before engaging, not awaiting engagement', () =>
      expect(reasonsAfter([...activeECT, participantWithdrawn({ withdrawalDate: '2025-11-15' })])).toMatchObject({
        started: 'withdrawn-before-engaging',
        'retained-1': 'withdrawn-before-window',
      }));

    it('awaits engagement again when the participant is reinstated inside the same window', () =>
      expect(reasonsAfter([...activeECT, participantWithdrawn({ withdrawalDate: '2025-11-15' }), participantReinstated('2025-11-15', '2025-12-01')])).toMatchObject({
        started: 'no-engagement-while-active',
      }));

    it('is withdrawn before engaging when withdrawn while deferred, in a window they were active in', () =>
      expect(
        reasonsAfter([
          ...activeECT,
          participantDeferred({ deferralDate: '2025-10-20', expectedReturnDate: '2026-01-12' }),
          participantWithdrawn({ withdrawalDate: '2025-11-15' }),
        ]),
      ).toMatchObject({ started: 'withdrawn-before-engaging' }));

    it('counts engagement again from a reinstatement', () =>
      expect(
        reasonsAfter([
          ...activeECT,
          engagementRecorded('self-study', '2025-10-10'),
          participantWithdrawn({ withdrawalDate: '2025-11-15' }),
          participantReinstated('2025-11-15', '2026-02-01'),
          engagementRecorded('self-study', '2026-02-10'),
        ]),
      ).toMatchObject({ started: 'engaged', 'retained-1': 'engaged', 'retained-2': 'no-engagement-while-active' }));
  });

  describe('Rule: a move into a region the lead provider does not cover stops output payments from the move date', () => {
    it('counts engagement before the move and none after it, until a move back into a covered region', () => {
      const events = [
        ...activeECT,
        engagementRecorded('self-study', '2025-10-10'),
        engagementRecorded('self-study', '2026-01-15'),
        schoolChanged('2026-02-01', false),
        engagementRecorded('self-study', '2026-02-15'),
        engagementRecorded('self-study', '2026-04-10'),
        schoolChanged('2026-09-01', true),
        engagementRecorded('self-study', '2026-09-10'),
      ];
      expect(reasonsAfter(events)).toMatchObject({ started: 'engaged', 'retained-1': 'engaged', 'retained-2': 'region-not-covered', 'retained-3': 'engaged' });
      expect(declarationDatesAfter(events)).toMatchObject({ 'retained-1': '2026-01-15', 'retained-3': '2026-09-10' });
    });
  });

  describe('Rule: the participant’s own schedule and cohort give the windows', () => {
    it('uses the January schedule for a participant onboarded after 1 November', () => {
      const lateRegistration = ectRegistered({ registeredOn: '2025-11-20', scheduleIdentifier: 'ecf-standard-january', contentStartDate: '2026-01-01' });
      const rows = eligibilityAfter([lateRegistration, dataValidationPassed(), engagementRecorded('self-study', '2025-12-10'), engagementRecorded('self-study', '2026-01-12')]);
      expect(rows[0]).toMatchObject({ windowStart: '2026-01-01', engagementCountsUntil: '2026-03-31', paymentDate: '2026-04-30', reason: 'engaged' });
      expect(rows[0].declaration?.declarationDate).toBe('2026-01-12');
    });

    it('has no rows for an induction tutor', () => expect(eligibilityAfter([inductionTutorRegistered()])).toEqual([]));
    it('has no rows for a cohort the payment schedules do not list', () => expect(eligibilityAfter([ectRegistered({ cohort: 2030 }), dataValidationPassed()])).toEqual([]));
  });
});
