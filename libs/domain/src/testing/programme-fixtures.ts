import {
  AttendanceRecorded,
  DeferralReturnDateUpdated,
  ECTPaused,
  ECTResumed,
  EngagementRecorded,
  ModuleAccessRecorded,
  ParticipantEvent,
  ParticipantReinstated,
  ReleaseScheduleAmended,
  ReturnedFromDeferral,
  SchoolChanged,
  SteplabAccessRevoked,
} from '../participant/participant.events';
import { DeclarationType, EngagementKind } from '../shared/reference-data';
import { Curriculum } from '../programme/config/curriculum';
import { Milestone, PaymentSchedules } from '../programme/config/payment-schedules';
import { foldTimeline, ProgrammeTimeline } from '../programme/timeline/programme-timeline';
import { ECT_ID, NOW } from './fixtures';

/**
 * Fixed copies of config/curriculum.json (first-year items and the start of year two) and
 * config/payment-schedules.json (the schedules the tests use), so these tests do not change when the
 * config does. With the fixtures' content start of Monday 1 September 2025, week n is 1 September + n weeks.
 */
export const CURRICULUM: Curriculum = {
  ect: [
    { code: 'ect-y1-m01', title: 'Year 1: High expectations and the learning environment', kind: 'module', releaseWeek: 0 }, // 2025-09-01
    { code: 'ect-y1-m02', title: 'Year 1: How pupils learn', kind: 'module', releaseWeek: 3 }, // 2025-09-22
    { code: 'conference-1', title: 'Conference 1: Starting the programme', kind: 'conference', releaseWeek: 5 }, // 2025-10-06
    { code: 'ect-y1-m03', title: 'Year 1: Classroom routines and behaviour', kind: 'module', releaseWeek: 6 }, // 2025-10-13
    { code: 'ect-y1-m04', title: 'Year 1: Subject and curriculum knowledge', kind: 'module', releaseWeek: 10 }, // 2025-11-10
    { code: 'clinic-behaviour', title: 'Clinic: Behaviour', kind: 'clinic', releaseWeek: 11 }, // 2025-11-17
    { code: 'ect-y1-m05', title: 'Year 1: Explaining and modelling', kind: 'module', releaseWeek: 13 }, // 2025-12-01
    { code: 'ect-y1-m06', title: 'Year 1: Questioning and checking for understanding', kind: 'module', releaseWeek: 18 }, // 2026-01-05
    { code: 'ect-y2-m01', title: 'Year 2: Revisiting high expectations', kind: 'module', releaseWeek: 52 }, // 2026-08-31
  ],
  mentor: [
    { code: 'mentor-y1-m01', title: 'Year 1: The mentor’s role and instructional coaching', kind: 'module', releaseWeek: 0 }, // 2025-09-01
    { code: 'conference-1', title: 'Conference 1: Starting the programme', kind: 'conference', releaseWeek: 5 }, // 2025-10-06
    { code: 'mentor-y1-m02', title: 'Year 1: Setting precise action steps', kind: 'module', releaseWeek: 7 }, // 2025-10-20
    { code: 'mentor-y2-m01', title: 'Year 2: Coaching a second-year ECT', kind: 'module', releaseWeek: 52 }, // 2026-08-31
  ],
};

const milestone = (declarationType: DeclarationType, startDate: string, milestoneDate: string | null, paymentDate: string): Milestone => ({
  declarationType,
  startDate,
  milestoneDate,
  paymentDate,
});

export const PAYMENT_SCHEDULES: PaymentSchedules = {
  schedules: [
    {
      cohort: 2024,
      scheduleIdentifier: 'ecf-standard-september',
      milestones: [
        milestone('started', '2024-06-01', '2024-12-31', '2024-11-30'),
        milestone('retained-1', '2025-01-01', '2025-03-31', '2025-04-30'),
        milestone('retained-2', '2025-04-01', '2025-07-31', '2025-08-31'),
        milestone('retained-3', '2025-08-01', '2025-12-31', '2026-01-31'),
        milestone('retained-4', '2026-01-01', '2026-03-31', '2026-04-30'),
        milestone('completed', '2026-04-01', '2026-07-31', '2026-08-31'),
      ],
    },
    {
      cohort: 2025,
      scheduleIdentifier: 'ecf-standard-september',
      milestones: [
        milestone('started', '2025-07-01', null, '2025-11-30'),
        milestone('retained-1', '2026-01-01', null, '2026-04-30'),
        milestone('retained-2', '2026-04-01', null, '2026-08-31'),
        milestone('retained-3', '2026-08-01', null, '2027-01-31'),
        milestone('retained-4', '2027-01-01', null, '2027-04-30'),
        milestone('completed', '2027-04-01', null, '2027-08-31'),
      ],
    },
    {
      cohort: 2025,
      scheduleIdentifier: 'ecf-standard-january',
      milestones: [
        milestone('started', '2026-01-01', null, '2026-04-30'),
        milestone('retained-1', '2026-04-01', null, '2026-08-31'),
        milestone('retained-2', '2026-08-01', null, '2027-01-31'),
        milestone('retained-3', '2027-01-01', null, '2027-04-30'),
        milestone('retained-4', '2027-04-01', null, '2027-08-31'),
        milestone('completed', '2027-08-01', null, '2028-01-31'),
      ],
    },
  ],
};

/** The timeline a projection would hold after these events, each recorded at `recordedAt`. */
export const timelineOf = (events: readonly ParticipantEvent[], recordedAt: string = NOW): ProgrammeTimeline =>
  foldTimeline(events.map((event) => ({ event, recordedAt })));

// ---- events the calculations read (dates in the fixtures' 2025/26 school year) ----------------

export const ectPaused = (startDate: string, expectedResumeDate: string, participantId: string = ECT_ID): ECTPaused => ({
  type: 'ECTPaused',
  data: { participantId, startDate, expectedResumeDate, reason: 'Short illness' },
});

export const ectResumed = (pausedFrom: string, resumeDate: string, resumeFromModule: string | null = null): ECTResumed => ({
  type: 'ECTResumed',
  data: { participantId: ECT_ID, pausedFrom, resumeDate, resumeFromModule },
});

export const deferralReturnDateUpdated = (previousExpectedReturnDate: string, expectedReturnDate: string): DeferralReturnDateUpdated => ({
  type: 'DeferralReturnDateUpdated',
  data: { participantId: ECT_ID, previousExpectedReturnDate, expectedReturnDate, exceptionReason: null, cascadedFromEctId: null },
});

export const returnedFromDeferral = (
  deferralDate: string,
  returnDate: string,
  contentStartDate: string | null = null,
  participantId: string = ECT_ID,
): ReturnedFromDeferral => ({
  type: 'ReturnedFromDeferral',
  data: { participantId, deferralDate, returnDate, contentStartDate, cascadedFromEctId: null },
});

export const participantReinstated = (withdrawalDate: string, reinstatedOn: string): ParticipantReinstated => ({
  type: 'ParticipantReinstated',
  data: { participantId: ECT_ID, withdrawalDate, reinstatedOn },
});

export const steplabAccessRevoked = (revokedOn: string): SteplabAccessRevoked => ({
  type: 'SteplabAccessRevoked',
  data: { participantId: ECT_ID, revokedOn, reason: 'withdrawn' },
});

export const schoolChanged = (effectiveDate: string, regionCovered: boolean, toRegion = regionCovered ? 'north-east' : 'south-west'): SchoolChanged => ({
  type: 'SchoolChanged',
  data: { participantId: ECT_ID, fromSchoolUrn: '100001', toSchoolUrn: '200002', effectiveDate, toRegion, regionCovered, endedMentorMatch: null },
});

export const releaseScheduleAmended = (previousContentStartDate: string, contentStartDate: string): ReleaseScheduleAmended => ({
  type: 'ReleaseScheduleAmended',
  data: { participantId: ECT_ID, previousContentStartDate, contentStartDate, reason: 'Agreed at the weekly KIT', agreedWithDpl: 'Dana Price' },
});

export const engagementRecorded = (kind: EngagementKind, occurredOn: string, participantId: string = ECT_ID): EngagementRecorded => ({
  type: 'EngagementRecorded',
  data: { participantId, kind, occurredOn, reference: null },
});

export const moduleAccessRecorded = (moduleCode: string, accessedAt: string): ModuleAccessRecorded => ({
  type: 'ModuleAccessRecorded',
  data: { participantId: ECT_ID, moduleCode, accessedAt },
});

export const attendanceRecorded = (eventCode: string, eventKind: 'conference' | 'clinic', attendedOn: string): AttendanceRecorded => ({
  type: 'AttendanceRecorded',
  data: { participantId: ECT_ID, eventCode, eventKind, attendedOn },
});
