import { Message, PersonalDetails } from '../shared/message';
import { DeferralReason, EngagementKind, ValidationFailureCode, WithdrawalReason } from '../shared/reference-data';

export type ParticipantType = 'ect' | 'mentor' | 'induction-tutor';

export interface Registration {
  participantId: string;
  trn: string | null;
  schoolUrn: string;
  cohort: number;
  /** The date the registration took effect (the day it was recorded, Europe/London). */
  registeredOn: string;
  /**
   * Stored encrypted with a key per participant kept outside the log; null when read after that key
   * was destroyed (UK GDPR erasure, PersonalDataErased).
   */
  personal: PersonalDetails | null;
}

export interface ReleasePlan {
  /** DfE schedule identifier, e.g. ecf-standard-september. */
  scheduleIdentifier: string;
  /** The first day content is released to the participant. */
  contentStartDate: string;
}

export type ECTRegistered = Message<'ECTRegistered', Registration & ReleasePlan>;
export type MentorRegistered = Message<'MentorRegistered', Registration & ReleasePlan>;
export type InductionTutorRegistered = Message<'InductionTutorRegistered', Registration>;
export type DataValidationPassed = Message<'DataValidationPassed', { participantId: string }>;
/** v2: each reason is a code with the text DfE gave (v1 had the text only; see versioning/upcasters.ts). */
export type DataValidationFailed = Message<'DataValidationFailed', { participantId: string; reasons: ValidationFailure[] }>;
export interface ValidationFailure {
  code: ValidationFailureCode;
  text: string;
}
export type MentorMatched = Message<
  'MentorMatched',
  {
    participantId: string;
    mentorId: string;
    /** True when the school's induction tutor assigned themselves to cover a mentor's absence. */
    interim: boolean;
    previousMentorId: string | null;
  }
>;
export type SteplabAccessFormSubmitted = Message<
  'SteplabAccessFormSubmitted',
  { participantId: string; submittedAt: string; accessDueBy: string }
>;
export type SteplabAccessGranted = Message<'SteplabAccessGranted', { participantId: string; grantedAt: string }>;


// ---- lifecycle (seed 004) -----------------------------------------------------------------------

/** Set on an event a policy caused: the ECT whose own event the mentor's follows (mentor cascades). */
export interface Cascade {
  cascadedFromEctId: string | null;
}

export type ECTPaused = Message<'ECTPaused', { participantId: string; startDate: string; expectedResumeDate: string; reason: string }>;
export type ECTResumed = Message<
  'ECTResumed',
  {
    participantId: string;
    pausedFrom: string;
    resumeDate: string;
    /** The last module the ECT accessed before the pause: they continue from it (seed 004). */
    resumeFromModule: string | null;
  }
>;
export type ParticipantDeferred = Message<
  'ParticipantDeferred',
  Cascade & {
    participantId: string;
    participantType: 'ect' | 'mentor';
    deferralDate: string;
    expectedReturnDate: string;
    reason: DeferralReason;
    /** A DPL-approved reason for a return more than 12 months after the deferral date. */
    exceptionReason: string | null;
    /** Deferred before any content was released ("registered too early"): all content waits for the return. */
    fromRegistration: boolean;
  }
>;
export type DeferralReturnDateUpdated = Message<
  'DeferralReturnDateUpdated',
  Cascade & { participantId: string; previousExpectedReturnDate: string; expectedReturnDate: string; exceptionReason: string | null }
>;
export type ReturnedFromDeferral = Message<
  'ReturnedFromDeferral',
  Cascade & {
    participantId: string;
    deferralDate: string;
    returnDate: string;
    /** Set when the deferral was from registration: content now starts on the return date. */
    contentStartDate: string | null;
  }
>;
export type ParticipantWithdrawn = Message<
  'ParticipantWithdrawn',
  Cascade & {
    participantId: string;
    participantType: ParticipantType;
    withdrawalDate: string;
    reason: WithdrawalReason;
    /** ECTs only: a DPL approved keeping the ECT's mentor on the programme. */
    retainMentor: boolean;
    /** ECTs only: the mentor at the time of withdrawal. */
    mentorId: string | null;
  }
>;
export type SteplabAccessRevoked = Message<'SteplabAccessRevoked', { participantId: string; revokedOn: string; reason: 'withdrawn' }>;
/**
 * v2 adds `cascadedFromEctId`: a request the mentor cascade records for a mentor withdrawn with their ECT.
 * Optional in the type because v1 events (upcast to null) and hand-built test events leave it out.
 */
export type WithdrawalReversalRequested = Message<
  'WithdrawalReversalRequested',
  Partial<Cascade> & { participantId: string; withdrawalDate: string; reason: string }
>;
/** v2 adds `cascadedFromEctId` and, on an ECT's reinstatement, the DPL's choice to bring back the mentor withdrawn with them. */
export type ParticipantReinstated = Message<
  'ParticipantReinstated',
  Partial<Cascade> & { participantId: string; withdrawalDate: string; reinstatedOn: string; includeCascadedMentor?: boolean }
>;
export type SchoolChanged = Message<
  'SchoolChanged',
  {
    participantId: string;
    fromSchoolUrn: string;
    toSchoolUrn: string;
    effectiveDate: string;
    toRegion: string;
    /** False when the lead provider does not cover the new school's region: no output payments from effectiveDate. */
    regionCovered: boolean;
    /** An ECT's mentor stays at the old school: the match ends with the move. */
    endedMentorMatch: string | null;
  }
>;
export type ReleaseScheduleAmended = Message<
  'ReleaseScheduleAmended',
  { participantId: string; previousContentStartDate: string | null; contentStartDate: string; reason: string; agreedWithDpl: string | null }
>;
export type EngagementRecorded = Message<
  'EngagementRecorded',
  { participantId: string; kind: EngagementKind; occurredOn: string; reference: string | null }
>;
export type ModuleAccessRecorded = Message<'ModuleAccessRecorded', { participantId: string; moduleCode: string; accessedAt: string }>;
export type AttendanceRecorded = Message<
  'AttendanceRecorded',
  { participantId: string; eventCode: string; eventKind: 'conference' | 'clinic'; attendedOn: string }
>;

/** The participant's personal details were erased: their encryption key is destroyed, the history stays. */
export type PersonalDataErased = Message<'PersonalDataErased', { participantId: string; erasedOn: string; reason: string }>;

export type ParticipantEvent =
  | ECTRegistered
  | MentorRegistered
  | InductionTutorRegistered
  | DataValidationPassed
  | DataValidationFailed
  | MentorMatched
  | SteplabAccessFormSubmitted
  | SteplabAccessGranted
  | ECTPaused
  | ECTResumed
  | ParticipantDeferred
  | DeferralReturnDateUpdated
  | ReturnedFromDeferral
  | ParticipantWithdrawn
  | SteplabAccessRevoked
  | WithdrawalReversalRequested
  | ParticipantReinstated
  | SchoolChanged
  | ReleaseScheduleAmended
  | EngagementRecorded
  | ModuleAccessRecorded
  | AttendanceRecorded
  | PersonalDataErased;

export const PARTICIPANT_EVENT_TYPES: readonly ParticipantEvent['type'][] = [
  'ECTRegistered',
  'MentorRegistered',
  'InductionTutorRegistered',
  'DataValidationPassed',
  'DataValidationFailed',
  'MentorMatched',
  'SteplabAccessFormSubmitted',
  'SteplabAccessGranted',
  'ECTPaused',
  'ECTResumed',
  'ParticipantDeferred',
  'DeferralReturnDateUpdated',
  'ReturnedFromDeferral',
  'ParticipantWithdrawn',
  'SteplabAccessRevoked',
  'WithdrawalReversalRequested',
  'ParticipantReinstated',
  'SchoolChanged',
  'ReleaseScheduleAmended',
  'EngagementRecorded',
  'ModuleAccessRecorded',
  'AttendanceRecorded',
  'PersonalDataErased',
];

export const participantStreamId = (participantId: string): string => `participant-${participantId}`;
