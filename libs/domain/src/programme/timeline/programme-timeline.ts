import { londonDateOf } from '../../shared/calendar';
import { EngagementKind } from '../../shared/reference-data';
import { ParticipantEvent, ParticipantType } from '../../participant/participant.events';

/**
 * A participant's history kept for the read-model calculations (release schedule, payment
 * eligibility, Steplab access): every pause, deferral and withdrawal with its dates, where the
 * decider's state keeps only the current one. Plain JSON, so a projection can store it between batches.
 */
export interface ProgrammeTimeline {
  readonly participantId: string | null;
  readonly type: ParticipantType | null;
  readonly cohort: number | null;
  readonly registeredOn: string | null;
  readonly scheduleIdentifier: string | null;
  /** After amendments and a return from a deferral from registration. */
  readonly contentStartDate: string | null;
  readonly validation: { readonly outcome: 'awaiting' | 'validated' | 'failed'; readonly decidedOn: string | null };
  readonly pauses: readonly TimelinePause[];
  readonly deferrals: readonly TimelineDeferral[];
  readonly withdrawals: readonly TimelineWithdrawal[];
  readonly moduleAccesses: readonly { readonly moduleCode: string; readonly accessedAt: string }[];
  readonly engagements: readonly { readonly kind: EngagementKind; readonly occurredOn: string }[];
  readonly attendance: readonly { readonly eventCode: string; readonly eventKind: 'conference' | 'clinic'; readonly attendedOn: string }[];
  /** School moves, each saying whether the lead provider covers the new school's region. */
  readonly regionChanges: readonly { readonly effectiveDate: string; readonly region: string; readonly regionCovered: boolean }[];
  readonly steplab: TimelineSteplab;
}

/** An open pause has no end; one ends at its resume, or where a deferral or withdrawal replaced it. */
export interface TimelinePause {
  readonly startDate: string;
  readonly expectedResumeDate: string;
  readonly endDate: string | null;
  readonly endedBy: 'resume' | 'deferral' | 'withdrawal' | null;
  /** Set on resume: the last module accessed before the pause (seed 004). */
  readonly resumeFromModule: string | null;
}

export interface TimelineDeferral {
  readonly deferralDate: string;
  readonly expectedReturnDate: string;
  readonly fromRegistration: boolean;
  readonly endDate: string | null;
  readonly endedBy: 'return' | 'withdrawal' | null;
}

export interface TimelineWithdrawal {
  readonly withdrawalDate: string;
  readonly reinstatedOn: string | null;
}

export interface TimelineSteplab {
  readonly formSubmittedAt: string | null;
  readonly accessDueBy: string | null;
  /** The grant that answered the form, judged against the 24-hour deadline. */
  readonly firstGrantedAt: string | null;
  readonly lastGrantedAt: string | null;
  readonly hasAccess: boolean;
  readonly revokedOn: string | null;
  readonly reinstatedOn: string | null;
}

export const initialTimeline = (): ProgrammeTimeline => ({
  participantId: null,
  type: null,
  cohort: null,
  registeredOn: null,
  scheduleIdentifier: null,
  contentStartDate: null,
  validation: { outcome: 'awaiting', decidedOn: null },
  pauses: [],
  deferrals: [],
  withdrawals: [],
  moduleAccesses: [],
  engagements: [],
  attendance: [],
  regionChanges: [],
  steplab: { formSubmittedAt: null, accessDueBy: null, firstGrantedAt: null, lastGrantedAt: null, hasAccess: false, revokedOn: null, reinstatedOn: null },
});

/** Replaces the last item of a list that is still open (no end yet); the decider allows one open at a time. */
function closeOpen<T>(items: readonly T[], isOpen: (item: T) => boolean, close: (item: T) => T): readonly T[] {
  const last = items[items.length - 1];
  return last !== undefined && isOpen(last) ? [...items.slice(0, -1), close(last)] : items;
}

const pauseIsOpen = (pause: TimelinePause) => pause.endDate === null;
const deferralIsOpen = (deferral: TimelineDeferral) => deferral.endDate === null;

/**
 * Applies one participant event. `recordedAt` (the event's metadata) dates the facts that carry no
 * business date of their own: DfE's validation outcome is dated the London day it was recorded.
 */
export function evolveTimeline(timeline: ProgrammeTimeline, event: ParticipantEvent, recordedAt: string): ProgrammeTimeline {
  switch (event.type) {
    case 'ECTRegistered':
    case 'MentorRegistered': {
      const { participantId, cohort, registeredOn, scheduleIdentifier, contentStartDate } = event.data;
      return { ...timeline, participantId, type: event.type === 'ECTRegistered' ? 'ect' : 'mentor', cohort, registeredOn, scheduleIdentifier, contentStartDate };
    }
    case 'InductionTutorRegistered': {
      const { participantId, cohort, registeredOn } = event.data;
      return { ...timeline, participantId, type: 'induction-tutor', cohort, registeredOn };
    }
    case 'DataValidationPassed':
      return { ...timeline, validation: { outcome: 'validated', decidedOn: londonDateOf(recordedAt) } };
    case 'DataValidationFailed':
      return { ...timeline, validation: { outcome: 'failed', decidedOn: londonDateOf(recordedAt) } };
    case 'SteplabAccessFormSubmitted':
      return { ...timeline, steplab: { ...timeline.steplab, formSubmittedAt: event.data.submittedAt, accessDueBy: event.data.accessDueBy } };
    case 'SteplabAccessGranted': {
      const { grantedAt } = event.data;
      return { ...timeline, steplab: { ...timeline.steplab, firstGrantedAt: timeline.steplab.firstGrantedAt ?? grantedAt, lastGrantedAt: grantedAt, hasAccess: true } };
    }
    case 'SteplabAccessRevoked':
      return { ...timeline, steplab: { ...timeline.steplab, hasAccess: false, revokedOn: event.data.revokedOn } };
    case 'ECTPaused': {
      const { startDate, expectedResumeDate } = event.data;
      return { ...timeline, pauses: [...timeline.pauses, { startDate, expectedResumeDate, endDate: null, endedBy: null, resumeFromModule: null }] };
    }
    case 'ECTResumed': {
      const { resumeDate, resumeFromModule } = event.data;
      return { ...timeline, pauses: closeOpen(timeline.pauses, pauseIsOpen, (pause) => ({ ...pause, endDate: resumeDate, endedBy: 'resume', resumeFromModule })) };
    }
    case 'ParticipantDeferred': {
      const { deferralDate, expectedReturnDate, fromRegistration } = event.data;
      return {
        ...timeline,
        // The absence proved longer than a pause: the deferral takes over from the open pause.
        pauses: closeOpen(timeline.pauses, pauseIsOpen, (pause) => ({ ...pause, endDate: deferralDate, endedBy: 'deferral' })),
        deferrals: [...timeline.deferrals, { deferralDate, expectedReturnDate, fromRegistration, endDate: null, endedBy: null }],
      };
    }
    case 'DeferralReturnDateUpdated': {
      const { expectedReturnDate } = event.data;
      return { ...timeline, deferrals: closeOpen(timeline.deferrals, deferralIsOpen, (deferral) => ({ ...deferral, expectedReturnDate })) };
    }
    case 'ReturnedFromDeferral': {
      const { returnDate, contentStartDate } = event.data;
      return {
        ...timeline,
        contentStartDate: contentStartDate ?? timeline.contentStartDate,
        deferrals: closeOpen(timeline.deferrals, deferralIsOpen, (deferral) => ({ ...deferral, endDate: returnDate, endedBy: 'return' })),
      };
    }
    case 'ParticipantWithdrawn': {
      const { withdrawalDate } = event.data;
      return {
        ...timeline,
        pauses: closeOpen(timeline.pauses, pauseIsOpen, (pause) => ({ ...pause, endDate: withdrawalDate, endedBy: 'withdrawal' })),
        deferrals: closeOpen(timeline.deferrals, deferralIsOpen, (deferral) => ({ ...deferral, endDate: withdrawalDate, endedBy: 'withdrawal' })),
        withdrawals: [...timeline.withdrawals, { withdrawalDate, reinstatedOn: null }],
      };
    }
    case 'ParticipantReinstated': {
      const { reinstatedOn } = event.data;
      return {
        ...timeline,
        withdrawals: closeOpen(timeline.withdrawals, (withdrawal) => withdrawal.reinstatedOn === null, (withdrawal) => ({ ...withdrawal, reinstatedOn })),
        steplab: { ...timeline.steplab, reinstatedOn },
      };
    }
    case 'SchoolChanged': {
      const { effectiveDate, toRegion, regionCovered } = event.data;
      return { ...timeline, regionChanges: [...timeline.regionChanges, { effectiveDate, region: toRegion, regionCovered }] };
    }
    case 'ReleaseScheduleAmended':
      return { ...timeline, contentStartDate: event.data.contentStartDate };
    case 'EngagementRecorded': {
      const { kind, occurredOn } = event.data;
      return { ...timeline, engagements: [...timeline.engagements, { kind, occurredOn }] };
    }
    case 'ModuleAccessRecorded': {
      const { moduleCode, accessedAt } = event.data;
      return { ...timeline, moduleAccesses: [...timeline.moduleAccesses, { moduleCode, accessedAt }] };
    }
    case 'AttendanceRecorded': {
      const { eventCode, eventKind, attendedOn } = event.data;
      return { ...timeline, attendance: [...timeline.attendance, { eventCode, eventKind, attendedOn }] };
    }
    case 'MentorMatched':
    case 'WithdrawalReversalRequested':
    case 'PersonalDataErased':
      return timeline;
  }
}

/** A participant's events as the store recorded them. */
export interface RecordedParticipantEvent {
  readonly event: ParticipantEvent;
  readonly recordedAt: string;
}

/** The timeline of a whole stream, e.g. for a rebuild or a time-travel read. */
export const foldTimeline = (history: readonly RecordedParticipantEvent[]): ProgrammeTimeline =>
  history.reduce((timeline, { event, recordedAt }) => evolveTimeline(timeline, event, recordedAt), initialTimeline());
