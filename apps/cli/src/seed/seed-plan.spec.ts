import { join } from 'node:path';
import { loadProgrammeCalendar, loadProgrammeData, projectRoot } from '@ecf/runtime';
import { isoDay, SEED_FIRST_DAY, SEED_LAST_DAY, seedPlan } from './seed-plan';

const PROGRAMME_FILE = join(projectRoot(), 'config', 'programme.json');
const programme = loadProgrammeData(PROGRAMME_FILE);
const { curriculum } = loadProgrammeCalendar(PROGRAMME_FILE, programme);
const plan = (participants: number, seed: number) => seedPlan(participants, seed, programme, curriculum);

describe('The seed plan', () => {
  const big = plan(3000, 42);
  const registrations = big.actions.filter((action) => action.kind === 'registration');
  const steps = big.actions.flatMap((action) => (action.kind === 'participant' ? [action.input.type] : []));
  const count = (type: string) => steps.filter((step) => step === type).length;

  it('is the same for the same participants and seed, and different for another seed', () => {
    expect(plan(300, 7)).toEqual(plan(300, 7));
    expect(plan(300, 8).actions.map((action) => action.key)).not.toEqual(plan(300, 7).actions.map((action) => action.key));
  });

  it('registers every participant once, one induction tutor per school of about thirty participants', () => {
    expect(big.schools).toHaveLength(100);
    expect(new Set(registrations.map((action) => action.participantId)).size).toBe(registrations.length);
    expect(registrations.filter((action) => action.input.type === 'RegisterInductionTutor')).toHaveLength(100);
    // January and April starters of the latest cohort would register after the seed's last day.
    expect(registrations.length).toBeGreaterThan(3000 * 0.93);
    expect(registrations.length).toBeLessThanOrEqual(3000);
  });

  it('never plans a command on a participant before their registration', () => {
    const registeredOn = new Map(registrations.map((action) => [action.participantId, action.day]));
    const early = big.actions.filter((action) => action.kind === 'participant' && !(action.day >= (registeredOn.get(action.participantId) ?? Infinity)));
    expect(early).toEqual([]);
  });

  it('orders actions by day within the seed window, with unique keys', () => {
    const days = big.actions.map((action) => action.day);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(isoDay(days[0]) >= SEED_FIRST_DAY.toString()).toBe(true);
    expect(isoDay(days[days.length - 1]) <= SEED_LAST_DAY.toString()).toBe(true);
    expect(new Set(big.actions.map((action) => action.key)).size).toBe(big.actions.length);
  });

  it('holds a realistic share of each lifecycle event beside the everyday records', () => {
    const ects = registrations.filter((action) => action.input.type === 'RegisterECT').length;
    expect(count('PauseECT') / ects).toBeGreaterThan(0.04);
    expect(count('PauseECT') / ects).toBeLessThan(0.12);
    expect((count('DeferECT') + count('DeferMentor')) / registrations.length).toBeGreaterThan(0.03);
    expect((count('WithdrawECT') + count('WithdrawMentor')) / registrations.length).toBeGreaterThan(0.02);
    for (const type of ['ResumeECT', 'UpdateDeferralReturnDate', 'ReturnFromDeferral', 'RequestWithdrawalReversal', 'ReinstateParticipant', 'ChangeSchool', 'AmendReleaseSchedule', 'MatchMentor', 'RecordAttendance']) {
      expect({ type, planned: count(type) > 0 }).toEqual({ type, planned: true });
    }
    expect(count('RecordEngagement')).toBeGreaterThan(steps.length * 0.3);
  });

  it('refuses a size too small to plan', () => {
    expect(() => plan(5, 1)).toThrow('at least 10');
  });
});
