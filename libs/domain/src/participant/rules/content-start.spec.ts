import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import { ctxOn, ectRegistered, partneredSchool, registerECT } from '../../testing/fixtures';
import { defaultReleasePlan } from './content-start';

const september = (cohort: number) => ({ scheduleIdentifier: 'ecf-standard-september', contentStartDate: `${cohort}-09-01` });
const january = (cohort: number) => ({ scheduleIdentifier: 'ecf-standard-january', contentStartDate: `${cohort + 1}-01-01` });
const april = (contentStartDate: string) => ({ scheduleIdentifier: 'ecf-standard-april', contentStartDate });

describe('Default release plan (content start)', () => {
  describe('Rule: a participant registered on or before 1 November of the cohort year starts on ecf-standard-september from 1 September', () => {
    it.each([
      ['before the cohort year starts', '2025-06-15'],
      ['on 1 September', '2025-09-01'],
      ['during the autumn term', '2025-10-01'],
      ['on 31 October', '2025-10-31'],
      ['on 1 November itself', '2025-11-01'],
    ])('registered %s (%s)', (_when, registeredOn) => expect(defaultReleasePlan(2025, registeredOn)).toEqual(september(2025)));

    it('registered in the calendar year before the cohort year (2024-12-01 for cohort 2025)', () =>
      expect(defaultReleasePlan(2025, '2024-12-01')).toEqual(september(2025)));
  });

  describe('Rule: a participant registered after 1 November of the cohort year waits for content from 1 January (ecf-standard-january)', () => {
    it.each([
      ['on 2 November', '2025-11-02'],
      ['in December', '2025-12-10'],
      ['on 31 December', '2025-12-31'],
    ])('registered %s (%s)', (_when, registeredOn) => expect(defaultReleasePlan(2025, registeredOn)).toEqual(january(2025)));
  });

  describe('Rule: a participant registered in the calendar year after the cohort year starts on ecf-standard-april', () => {
    it('registered on 1 January gets content from 1 April', () => expect(defaultReleasePlan(2025, '2026-01-01')).toEqual(april('2026-04-01')));

    it('registered on 31 March gets content from 1 April', () => expect(defaultReleasePlan(2025, '2026-03-31')).toEqual(april('2026-04-01')));

    it('registered on 1 April gets content from 1 April', () => expect(defaultReleasePlan(2025, '2026-04-01')).toEqual(april('2026-04-01')));

    it('registered after 1 April gets content from the registration date', () =>
      expect(defaultReleasePlan(2025, '2026-05-20')).toEqual(april('2026-05-20')));
  });

  describe('the registration command applies the default plan for the day it is decided', () => {
    const registeredOn = (today: string) => deciderSpecification(participantDecider, ctxOn(today)).given([]);

    it('an ECT registered on 1 November 2025 for cohort 2025 starts on 1 September 2025', () =>
      registeredOn('2025-11-01')
        .when(registerECT())
        .then([ectRegistered({ registeredOn: '2025-11-01', ...september(2025) })]));

    it('an ECT registered on 31 December 2025 for cohort 2025 starts on 1 January 2026', () =>
      registeredOn('2025-12-31')
        .when(registerECT())
        .then([ectRegistered({ registeredOn: '2025-12-31', ...january(2025) })]));

    it('an ECT registered on 1 January 2026 for cohort 2025 starts on 1 April 2026', () =>
      registeredOn('2026-01-01')
        .when(registerECT())
        .then([ectRegistered({ registeredOn: '2026-01-01', ...april('2026-04-01') })]));

    it('an ECT registered on 1 October 2025 for cohort 2024 starts on the registration date (ecf-standard-april)', () =>
      registeredOn('2025-10-01')
        .when(registerECT({ cohort: 2024, school: partneredSchool({ partnerships: { 2024: 'dp-north' } }) }))
        .then([ectRegistered({ cohort: 2024, registeredOn: '2025-10-01', ...april('2025-10-01') })]));
  });
});
