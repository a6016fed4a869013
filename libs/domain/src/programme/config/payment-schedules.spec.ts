import { PAYMENT_SCHEDULES } from '../../testing/programme-fixtures';
import { ProgrammeConfigError } from './config-validation';
import { engagementCountsUntil, findPaymentSchedule, parsePaymentSchedules } from './payment-schedules';

const standard2024 = PAYMENT_SCHEDULES.schedules[0];
const withMilestones = (milestones: unknown[], scheduleIdentifier = 'ecf-standard-september') => ({ schedules: [{ cohort: 2024, scheduleIdentifier, milestones }] });
const problemsOf = (json: unknown): readonly string[] => {
  try {
    parsePaymentSchedules(json);
    return [];
  } catch (error) {
    if (error instanceof ProgrammeConfigError) return error.problems;
    throw error;
  }
};

describe('Payment schedules config (config/payment-schedules.json)', () => {
  it('accepts schedules per cohort with DfE milestones (start, deadline or null, payment date)', () => expect(parsePaymentSchedules(PAYMENT_SCHEDULES)).toEqual(PAYMENT_SCHEDULES));

  it('finds a participant’s schedule by cohort and identifier', () => {
    expect(findPaymentSchedule(PAYMENT_SCHEDULES, 2025, 'ecf-standard-january')?.milestones[0].startDate).toBe('2026-01-01');
    expect(findPaymentSchedule(PAYMENT_SCHEDULES, 2030, 'ecf-standard-september')).toBeUndefined();
  });

  describe('Rule: milestones follow DfE’s declaration order, one window after another', () => {
    it('rejects an unknown identifier and declaration type', () =>
      expect(problemsOf({ schedules: [{ cohort: 2024, scheduleIdentifier: 'ecf-standard-june', milestones: [{ ...standard2024.milestones[0], declarationType: 'begun' }] }] })).toEqual([
        '/schedules/0/scheduleIdentifier must match pattern "^ecf-(standard|extended|reduced|replacement)-(september|january|april)$"',
        '/schedules/0/milestones/0/declarationType must be equal to one of the allowed values',
      ]));

    it('rejects milestones that do not start with started or are out of order', () =>
      expect(problemsOf(withMilestones([standard2024.milestones[1], standard2024.milestones[0]]))).toContain(
        '2024 ecf-standard-september: milestones must start with started and follow DfE\'s order (started, retained-1, retained-2, retained-3, retained-4, completed, extended-1, extended-2, extended-3)',
      ));

    it('rejects extension points outside an extended schedule', () =>
      expect(problemsOf(withMilestones([standard2024.milestones[0], { ...standard2024.milestones[1], declarationType: 'extended-1' }]))).toEqual([
        '2024 ecf-standard-september: only extended schedules have extension points',
      ]));

    it('rejects a window overlapping the next, a deadline before the start and a date that does not exist', () =>
      expect(
        problemsOf(
          withMilestones([
            { ...standard2024.milestones[0], milestoneDate: '2025-01-01' },
            { ...standard2024.milestones[1], milestoneDate: '2024-12-01' },
            { ...standard2024.milestones[2], paymentDate: '2025-02-30' },
          ]),
        ),
      ).toEqual([
        '2024 ecf-standard-september: retained-1 must start after the started window',
        '2024 ecf-standard-september: retained-1: the deadline is before the start',
        '2024 ecf-standard-september: retained-2: 2025-02-30 is not a calendar date',
      ]));

    it('rejects a schedule listed twice for a cohort', () =>
      expect(problemsOf({ schedules: [standard2024, standard2024] })).toEqual(['2024 ecf-standard-september is listed twice']));
  });

  describe('Rule: engagement counts for a milestone until its deadline, or, without one, until the next milestone starts', () => {
    it('uses the deadline', () => expect(engagementCountsUntil(standard2024.milestones, 0)).toBe('2024-12-31'));
    const cohort2025 = PAYMENT_SCHEDULES.schedules[1].milestones;
    it('ends the day before the next milestone starts when DfE sets no deadline', () => expect(engagementCountsUntil(cohort2025, 0)).toBe('2025-12-31'));
    it('leaves the last milestone without a deadline open', () => expect(engagementCountsUntil(cohort2025, 5)).toBeNull());
  });
});
