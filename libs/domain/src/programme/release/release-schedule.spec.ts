import { ECTRegistered } from '../../participant/participant.events';
import { ectRegistered, inductionTutorRegistered, MENTOR_ID } from '../../testing/fixtures';
import { activeECT, activeMentor, participantDeferred, participantWithdrawn } from '../../testing/lifecycle-fixtures';
import {
  CURRICULUM,
  deferralReturnDateUpdated,
  ectPaused,
  ectResumed,
  moduleAccessRecorded,
  participantReinstated,
  releaseScheduleAmended,
  returnedFromDeferral,
  timelineOf,
} from '../../testing/programme-fixtures';
import { ReleaseReason, ReleaseRow, releaseSchedule } from './release-schedule';

type Given = Parameters<typeof timelineOf>[0];

/** Given these events, when the schedule is computed, then each item reads [plannedDate, releaseDate, reason]. */
const scheduleAfter = (events: Given) => releaseSchedule(timelineOf(events), CURRICULUM);
const rowsAfter = (events: Given): Record<string, [string, string | null, ReleaseReason]> =>
  Object.fromEntries(scheduleAfter(events).rows.map((row: ReleaseRow) => [row.code, [row.plannedDate, row.releaseDate, row.reason]]));
const projectedAfter = (events: Given): Record<string, string | null> =>
  Object.fromEntries(scheduleAfter(events).rows.map((row) => [row.code, row.projectedReleaseDate]));

const onPlan = (date: string): [string, string, ReleaseReason] => [date, date, 'as-planned'];

/** The fixtures' ECT: content from Monday 1 September 2025. */
const PLAN = {
  'ect-y1-m01': onPlan('2025-09-01'),
  'ect-y1-m02': onPlan('2025-09-22'),
  'conference-1': onPlan('2025-10-06'),
  'ect-y1-m03': onPlan('2025-10-13'),
  'ect-y1-m04': onPlan('2025-11-10'),
  'clinic-behaviour': onPlan('2025-11-17'),
  'ect-y1-m05': onPlan('2025-12-01'),
  'ect-y1-m06': onPlan('2026-01-05'),
  'ect-y2-m01': onPlan('2026-08-31'),
};

describe('Module-release schedule (SPEC §4, seed 004)', () => {
  describe('Rule: each curriculum item is planned its number of weeks after the content start', () => {
    it('plans the ECT track from 1 September of the cohort, one row per item in curriculum order, with kind and title', () => {
      const schedule = scheduleAfter(activeECT);
      expect(rowsAfter(activeECT)).toEqual(PLAN);
      expect(schedule.rows.map((row) => row.code)).toEqual(CURRICULUM.ect.map((item) => item.code));
      expect(schedule.rows[2]).toEqual({
        code: 'conference-1',
        kind: 'conference',
        title: 'Conference 1: Starting the programme',
        plannedDate: '2025-10-06',
        dueDate: '2025-10-06',
        releaseDate: '2025-10-06',
        projectedReleaseDate: null,
        reason: 'as-planned',
      });
      expect(schedule).toMatchObject({ track: 'ect', contentStartDate: '2025-09-01', latestPause: null });
    });

    it('plans a participant onboarded after 1 November from January (ecf-standard-january)', () => {
      const lateRegistration: ECTRegistered = ectRegistered({ registeredOn: '2025-11-20', scheduleIdentifier: 'ecf-standard-january', contentStartDate: '2026-01-01' });
      expect(rowsAfter([lateRegistration])).toMatchObject({ 'ect-y1-m01': onPlan('2026-01-01'), 'ect-y1-m02': onPlan('2026-01-22'), 'ect-y2-m01': onPlan('2026-12-31') });
    });

    it('moves the whole plan when the release schedule is amended (content before the default January)', () => {
      const lateRegistration = ectRegistered({ registeredOn: '2025-11-20', scheduleIdentifier: 'ecf-standard-january', contentStartDate: '2026-01-01' });
      const schedule = scheduleAfter([lateRegistration, releaseScheduleAmended('2026-01-01', '2025-12-01')]);
      expect(schedule.contentStartDate).toBe('2025-12-01');
      expect(rowsAfter([lateRegistration, releaseScheduleAmended('2026-01-01', '2025-12-01')])).toMatchObject({
        'ect-y1-m01': onPlan('2025-12-01'),
        'ect-y1-m02': onPlan('2025-12-22'),
      });
    });

    it('plans a mentor on the mentor track', () =>
      expect(rowsAfter(activeMentor)).toEqual({
        'mentor-y1-m01': onPlan('2025-09-01'),
        'conference-1': onPlan('2025-10-06'),
        'mentor-y1-m02': onPlan('2025-10-20'),
        'mentor-y2-m01': onPlan('2026-08-31'),
      }));

    it('gives an induction tutor no schedule', () => expect(scheduleAfter([inductionTutorRegistered()])).toEqual({ track: null, contentStartDate: null, latestPause: null, rows: [] }));
  });

  describe('Rule: a pause stops module release only; items planned inside it are released at resume, with no catch-up and the plan after it unchanged', () => {
    const pausedMidModule = [...activeECT, ectPaused('2025-10-08', '2025-11-05'), ectResumed('2025-10-08', '2025-11-12', 'ect-y1-m02')];

    it('releases the items planned inside a pause in the middle of a module’s window on the resume date', () =>
      expect(rowsAfter(pausedMidModule)).toEqual({
        ...PLAN,
        'ect-y1-m03': ['2025-10-13', '2025-11-12', 'released-at-resume'],
        'ect-y1-m04': ['2025-11-10', '2025-11-12', 'released-at-resume'],
      }));

    it('names the module the ECT continues from: the last they accessed before the pause', () =>
      expect(scheduleAfter(pausedMidModule).latestPause).toEqual({ startDate: '2025-10-08', endDate: '2025-11-12', continueFromModule: 'ect-y1-m02' }));

    it('releases an item planned on the resume day itself on its plan', () =>
      expect(rowsAfter([...activeECT, ectPaused('2025-10-08', '2025-11-05'), ectResumed('2025-10-08', '2025-11-10')])).toMatchObject({
        'ect-y1-m03': ['2025-10-13', '2025-11-10', 'released-at-resume'],
        'ect-y1-m04': onPlan('2025-11-10'),
      }));
  });

  describe('Rule: an open pause holds the items planned from its start', () => {
    const stillPaused = [
      ...activeECT,
      moduleAccessRecorded('ect-y1-m02', '2025-10-07T10:00:00Z'),
      ectPaused('2025-10-08', '2025-11-05'),
      moduleAccessRecorded('conference-1', '2025-10-20T10:00:00Z'),
    ];

    it('holds items from the pause start, projecting them to the expected resume date or their own later date', () => {
      expect(rowsAfter(stillPaused)).toEqual({
        ...PLAN,
        'ect-y1-m03': ['2025-10-13', null, 'held-by-pause'],
        'ect-y1-m04': ['2025-11-10', null, 'held-by-pause'],
        'ect-y1-m05': ['2025-12-01', null, 'held-by-pause'],
        'ect-y1-m06': ['2026-01-05', null, 'held-by-pause'],
        'ect-y2-m01': ['2026-08-31', null, 'held-by-pause'],
      });
      expect(projectedAfter(stillPaused)).toMatchObject({ 'conference-1': null, 'ect-y1-m03': '2025-11-05', 'ect-y1-m04': '2025-11-10' });
    });

    it('holds modules only: a clinic planned inside an open pause keeps its date', () => expect(rowsAfter(stillPaused)['clinic-behaviour']).toEqual(PLAN['clinic-behaviour']));

    it('names the last module accessed before the pause (not during it) as the one to continue from', () =>
      expect(scheduleAfter(stillPaused).latestPause).toEqual({ startDate: '2025-10-08', endDate: null, continueFromModule: 'ect-y1-m02' }));
  });

  describe('Rule: "Pause does not pause the entire programme, it only pauses the release of modules" (seed 004): conferences and clinics keep their dates', () => {
    const pausedOverConferenceAndClinic = [...activeECT, ectPaused('2025-10-01', '2025-11-05'), ectResumed('2025-10-01', '2025-11-20')];

    it('releases a conference and a clinic planned inside a pause on their planned dates, and the modules at resume', () =>
      expect(rowsAfter(pausedOverConferenceAndClinic)).toEqual({
        ...PLAN,
        'ect-y1-m03': ['2025-10-13', '2025-11-20', 'released-at-resume'],
        'ect-y1-m04': ['2025-11-10', '2025-11-20', 'released-at-resume'],
      }));

    it('keeps a conference’s date while the pause is still open', () =>
      expect(rowsAfter([...activeECT, ectPaused('2025-10-01', '2025-11-05')])).toMatchObject({
        'conference-1': onPlan('2025-10-06'),
        'ect-y1-m03': ['2025-10-13', null, 'held-by-pause'],
      }));

    it('still holds a conference planned inside a deferral ("All content will be held", seed 004, Defer), and moves it on by the deferral', () => {
      const deferredOverConference = participantDeferred({ deferralDate: '2025-10-01', expectedReturnDate: '2025-11-05' });
      expect(rowsAfter([...activeECT, deferredOverConference])['conference-1']).toEqual(['2025-10-06', null, 'held-by-deferral']);
      expect(projectedAfter([...activeECT, deferredOverConference])['conference-1']).toBe('2025-11-10');
    });

    it('keeps a conference’s date inside a pause that became a deferral only up to the deferral date', () =>
      expect(
        rowsAfter([
          ...activeECT,
          ectPaused('2025-10-01', '2025-11-05'),
          participantDeferred({ deferralDate: '2025-10-20', expectedReturnDate: '2026-01-05' }),
          returnedFromDeferral('2025-10-20', '2026-01-05'),
        ]),
      ).toMatchObject({ 'conference-1': onPlan('2025-10-06'), 'ect-y1-m03': ['2025-10-13', '2026-01-05', 'released-at-return'] }));
  });

  describe('Rule: a deferral holds everything unreleased until the return, and the rest of the plan moves on by the deferral’s length', () => {
    const deferredOverChristmas = participantDeferred({ deferralDate: '2025-11-20', expectedReturnDate: '2026-01-12' });

    it('moves items planned from an autumn-term deferral date by its 53 days to a spring-term return', () =>
      expect(rowsAfter([...activeECT, deferredOverChristmas, returnedFromDeferral('2025-11-20', '2026-01-12')])).toEqual({
        ...PLAN,
        'ect-y1-m05': ['2025-12-01', '2026-01-23', 'moved-by-deferral'],
        'ect-y1-m06': ['2026-01-05', '2026-02-27', 'moved-by-deferral'],
        'ect-y2-m01': ['2026-08-31', '2026-10-23', 'moved-by-deferral'],
      }));

    it('holds items from an open deferral, projecting the move with the expected return date', () => {
      const events = [...activeECT, deferredOverChristmas];
      expect(rowsAfter(events)).toMatchObject({ 'clinic-behaviour': onPlan('2025-11-17'), 'ect-y1-m05': ['2025-12-01', null, 'held-by-deferral'] });
      expect(projectedAfter(events)).toMatchObject({ 'ect-y1-m05': '2026-01-23', 'ect-y1-m06': '2026-02-27' });
    });

    it('projects with the updated expected return date', () =>
      expect(projectedAfter([...activeECT, deferredOverChristmas, deferralReturnDateUpdated('2026-01-12', '2026-02-02')])).toMatchObject({ 'ect-y1-m05': '2026-02-13' }));

    it('holds items a pause held when the pause became a deferral, and releases them on the return date', () =>
      expect(
        rowsAfter([
          ...activeECT,
          ectPaused('2025-10-08', '2025-11-05'),
          participantDeferred({ deferralDate: '2025-10-27', expectedReturnDate: '2026-01-05' }),
          returnedFromDeferral('2025-10-27', '2026-01-05'),
        ]),
      ).toEqual({
        ...PLAN,
        'ect-y1-m03': ['2025-10-13', '2026-01-05', 'released-at-return'],
        'ect-y1-m04': ['2025-11-10', '2026-01-19', 'moved-by-deferral'],
        'clinic-behaviour': ['2025-11-17', '2026-01-26', 'moved-by-deferral'],
        'ect-y1-m05': ['2025-12-01', '2026-02-09', 'moved-by-deferral'],
        'ect-y1-m06': ['2026-01-05', '2026-03-16', 'moved-by-deferral'],
        'ect-y2-m01': ['2026-08-31', '2026-11-09', 'moved-by-deferral'],
      }));
  });

  describe('Rule: the original plan stays visible after a return from deferral, early or not, beside the date the deferral moved each item to', () => {
    const deferredUntilFebruary = participantDeferred({ deferralDate: '2025-11-20', expectedReturnDate: '2026-02-02' });
    const returnedEarly = returnedFromDeferral('2025-11-20', '2026-01-12');

    it('keeps each row’s planned date when the participant returns before the expected date, and releases it moved on by the deferral’s actual length', () => {
      const whileDeferred = scheduleAfter([...activeECT, deferredUntilFebruary]).rows;
      const afterReturn = scheduleAfter([...activeECT, deferredUntilFebruary, returnedEarly]).rows;
      expect(afterReturn.map((row) => row.plannedDate)).toEqual(whileDeferred.map((row) => row.plannedDate));
      expect(rowsAfter([...activeECT, deferredUntilFebruary, returnedEarly])).toMatchObject({
        'clinic-behaviour': onPlan('2025-11-17'),
        'ect-y1-m05': ['2025-12-01', '2026-01-23', 'moved-by-deferral'],
        'ect-y2-m01': ['2026-08-31', '2026-10-23', 'moved-by-deferral'],
      });
    });

    it('holds a moved item in a later pause from its moved date, not its original one', () => {
      const pausedAfterReturn = [...activeECT, deferredUntilFebruary, returnedEarly, ectPaused('2026-02-20', '2026-03-20')];
      const m06 = scheduleAfter(pausedAfterReturn).rows.find((row) => row.code === 'ect-y1-m06');
      expect(m06).toMatchObject({ plannedDate: '2026-01-05', dueDate: '2026-02-27', releaseDate: null, projectedReleaseDate: '2026-03-20', reason: 'held-by-pause' });
    });
  });

  describe('Rule: a deferral from registration holds all content; the return date becomes the content start', () => {
    const registeredEarly = ectRegistered({ registeredOn: '2025-07-01' });
    const deferredFromRegistration = participantDeferred({ deferralDate: '2025-07-15', expectedReturnDate: '2026-01-05', fromRegistration: true });

    it('holds every item while deferred, projecting the plan from the expected return date', () => {
      const events = [registeredEarly, deferredFromRegistration];
      expect(Object.values(rowsAfter(events)).every(([, releaseDate, reason]) => releaseDate === null && reason === 'held-by-deferral')).toBe(true);
      expect(projectedAfter(events)).toMatchObject({ 'ect-y1-m01': '2026-01-05', 'ect-y1-m02': '2026-01-26' });
    });

    it('plans from the return date once the participant returns', () =>
      expect(rowsAfter([registeredEarly, deferredFromRegistration, returnedFromDeferral('2025-07-15', '2026-01-05', '2026-01-05')])).toMatchObject({
        'ect-y1-m01': onPlan('2026-01-05'),
        'ect-y1-m02': onPlan('2026-01-26'),
        'ect-y2-m01': onPlan('2027-01-04'),
      }));
  });

  describe('Rule: a withdrawal releases nothing from its date; a reinstatement releases what fell in the withdrawn period on the reinstatement date', () => {
    const withdrawn = participantWithdrawn({ withdrawalDate: '2025-11-12' });

    it('releases nothing planned on or after the withdrawal date', () =>
      expect(rowsAfter([...activeECT, withdrawn])).toEqual({
        ...PLAN,
        'clinic-behaviour': ['2025-11-17', null, 'not-released-withdrawn'],
        'ect-y1-m05': ['2025-12-01', null, 'not-released-withdrawn'],
        'ect-y1-m06': ['2026-01-05', null, 'not-released-withdrawn'],
        'ect-y2-m01': ['2026-08-31', null, 'not-released-withdrawn'],
      }));

    it('releases items planned while withdrawn on the reinstatement date, and the rest on plan', () =>
      expect(rowsAfter([...activeECT, withdrawn, participantReinstated('2025-11-12', '2025-12-10')])).toEqual({
        ...PLAN,
        'clinic-behaviour': ['2025-11-17', '2025-12-10', 'released-at-reinstatement'],
        'ect-y1-m05': ['2025-12-01', '2025-12-10', 'released-at-reinstatement'],
      }));

    it('releases nothing a deferral held when the participant is withdrawn while deferred', () =>
      expect(rowsAfter([...activeECT, participantDeferred({ deferralDate: '2025-11-20', expectedReturnDate: '2026-01-12' }), participantWithdrawn({ withdrawalDate: '2025-12-01' })])).toMatchObject({
        'clinic-behaviour': onPlan('2025-11-17'),
        'ect-y1-m05': [expect.any(String), null, 'not-released-withdrawn'],
      }));
  });

  describe('Rule: a mentor’s deferral moves the mentor track the same way', () => {
    it('moves the mentor’s items planned from the deferral date by its length', () =>
      expect(
        rowsAfter([
          ...activeMentor,
          participantDeferred({ participantId: MENTOR_ID, participantType: 'mentor', deferralDate: '2025-10-01', expectedReturnDate: '2025-11-03' }),
          returnedFromDeferral('2025-10-01', '2025-11-03', null, MENTOR_ID),
        ]),
      ).toMatchObject({ 'mentor-y1-m01': onPlan('2025-09-01'), 'conference-1': ['2025-10-06', '2025-11-08', 'moved-by-deferral'] }));
  });
});
