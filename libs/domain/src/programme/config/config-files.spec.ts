import curriculumJson from '../../../../../config/curriculum.json';
import paymentSchedulesJson from '../../../../../config/payment-schedules.json';
import programmeJson from '../../../../../config/programme.json';
import { ProgrammeData } from '../../shared/decider';
import { DECLARATION_TYPES } from '../../shared/reference-data';
import { parseCurriculum } from './curriculum';
import { findPaymentSchedule, parsePaymentSchedules } from './payment-schedules';

/** The shipped config files, checked as the services will check them at start. */
describe('config/ files', () => {
  const programme = programmeJson as Pick<ProgrammeData, 'programmeEvents'>;

  it('config/curriculum.json is valid against config/programme.json, with two years of content per track', () => {
    const curriculum = parseCurriculum(curriculumJson, programme);
    for (const track of ['ect', 'mentor'] as const) {
      expect(curriculum[track].some((item) => item.releaseWeek < 52)).toBe(true);
      expect(curriculum[track].some((item) => item.releaseWeek >= 52)).toBe(true);
    }
    expect(curriculum.mentor.filter((item) => item.kind === 'module').length).toBeLessThan(curriculum.ect.filter((item) => item.kind === 'module').length);
  });

  it('config/payment-schedules.json is valid, with six milestones for every standard and replacement schedule of cohorts 2024–2026', () => {
    const schedules = parsePaymentSchedules(paymentSchedulesJson);
    for (const cohort of [2024, 2025, 2026]) {
      for (const identifier of ['ecf-standard-september', 'ecf-standard-january', 'ecf-standard-april', 'ecf-replacement-september']) {
        expect(findPaymentSchedule(schedules, cohort, identifier)?.milestones.map((milestone) => milestone.declarationType)).toEqual(DECLARATION_TYPES.slice(0, 6));
      }
    }
  });
});
