import { Message } from '../shared/message';
import { DeferralReason, EngagementKind, ValidationFailureCode, WithdrawalReason } from '../shared/reference-data';
import { ParticipantType } from './participant.events';
import { ParticipantStatus } from './participant.state';

/** What the registering handler read from the school's stream, so the decision stays pure. */
export interface SchoolFacts {
  urn: string;
  /** Delivery partner per cohort year. */
  partnerships: Readonly<Record<number, string>>;
}

export interface RegistrationInput {
  participantId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  trn?: string | null;
  email: string;
  schoolUrn: string;
  cohort: number;
  /** The school as read from its stream, or null when no school has that URN. */
  school: SchoolFacts | null;
}

/** The proposed mentor as read from their own stream (null when there is no such participant). */
export interface MentorFacts {
  participantId: string;
  type: ParticipantType;
  schoolUrn: string;
  status: ParticipantStatus;
}

export type RegisterECT = Message<'RegisterECT', RegistrationInput>;
export type RegisterMentor = Message<'RegisterMentor', RegistrationInput>;
export type RegisterInductionTutor = Message<'RegisterInductionTutor', RegistrationInput>;
export type RecordDataValidation = Message<
  'RecordDataValidation',
  {
    participantId: string;
    outcome: 'validated' | 'failed';
    reasons: string[];
    /** One code per reason; when left out each reason's text is classified. */
    reasonCodes?: ValidationFailureCode[] | null;
  }
>;
export type MatchMentor = Message<'MatchMentor', { participantId: string; mentorId: string; mentor: MentorFacts | null }>;
export type SubmitSteplabAccessForm = Message<'SubmitSteplabAccessForm', { participantId: string }>;
export type GrantSteplabAccess = Message<'GrantSteplabAccess', { participantId: string }>;


// ---- lifecycle (seed 004) -----------------------------------------------------------------------

/** Who decided, where a rule depends on it: exceptions need a delivery partner lead (DPL). */
export interface DecidedBy {
  /** True when the command comes from a DPL. */
  byDpl: boolean;
}

/** Set on the commands a policy issues for a mentor because of their ECT (mentor cascades). */
export interface CascadeSource {
  cascadedFromEctId?: string | null;
}

export type PauseECT = Message<'PauseECT', { participantId: string; startDate: string; expectedResumeDate: string; reason: string }>;
export type ResumeECT = Message<'ResumeECT', { participantId: string; resumeDate: string }>;

export interface DeferralInput extends DecidedBy, CascadeSource {
  participantId: string;
  deferralDate: string;
  expectedReturnDate: string;
  reason: DeferralReason;
  exceptionReason?: string | null;
}
export type DeferECT = Message<'DeferECT', DeferralInput>;
export type DeferMentor = Message<'DeferMentor', DeferralInput>;
export type UpdateDeferralReturnDate = Message<
  'UpdateDeferralReturnDate',
  DecidedBy & CascadeSource & { participantId: string; expectedReturnDate: string; exceptionReason?: string | null }
>;
export type ReturnFromDeferral = Message<'ReturnFromDeferral', CascadeSource & { participantId: string; returnDate: string }>;

export interface WithdrawalInput extends DecidedBy, CascadeSource {
  participantId: string;
  withdrawalDate: string;
  reason: WithdrawalReason;
  /** WithdrawECT only: keep the ECT's mentor (a DPL-approved exception). */
  retainMentor?: boolean;
}
export type WithdrawECT = Message<'WithdrawECT', WithdrawalInput>;
export type WithdrawMentor = Message<'WithdrawMentor', WithdrawalInput>;
export type WithdrawInductionTutor = Message<'WithdrawInductionTutor', WithdrawalInput>;
export type RequestWithdrawalReversal = Message<'RequestWithdrawalReversal', CascadeSource & { participantId: string; reason: string }>;
export type ReinstateParticipant = Message<
  'ReinstateParticipant',
  CascadeSource & {
    participantId: string;
    /** ECTs only: also reinstate the mentor whose withdrawal followed this ECT's (the DPL's choice, carried out by the mentor cascade). */
    includeCascadedMentor?: boolean;
  }
>;

/** The school a participant moves to, as read from its stream (null: not a school we know). */
export interface NewSchoolFacts {
  urn: string;
  region: string;
}
export type ChangeSchool = Message<
  'ChangeSchool',
  {
    participantId: string;
    newSchoolUrn: string;
    effectiveDate: string;
    newSchool: NewSchoolFacts | null;
    /** Needed only when the new school is not one we know: its region decides payment coverage. */
    newSchoolRegion?: string | null;
  }
>;
export type AmendReleaseSchedule = Message<
  'AmendReleaseSchedule',
  DecidedBy & { participantId: string; contentStartDate: string; reason: string; agreedWithDpl?: string | null }
>;
export type RecordEngagement = Message<'RecordEngagement', { participantId: string; kind: EngagementKind; occurredOn: string; reference?: string | null }>;
export type RecordModuleAccess = Message<'RecordModuleAccess', { participantId: string; moduleCode: string; accessedAt: string }>;
export type RecordAttendance = Message<'RecordAttendance', { participantId: string; eventCode: string; attendedOn: string }>;

/** UK GDPR erasure, from the operator CLI: the history stays, the personal details become unreadable. */
export type ErasePersonalData = Message<'ErasePersonalData', { participantId: string; reason: string }>;

export type RegisterParticipant = RegisterECT | RegisterMentor | RegisterInductionTutor;
export type DeferParticipant = DeferECT | DeferMentor;
export type WithdrawParticipant = WithdrawECT | WithdrawMentor | WithdrawInductionTutor;
export type ParticipantCommand =
  | RegisterParticipant
  | RecordDataValidation
  | MatchMentor
  | SubmitSteplabAccessForm
  | GrantSteplabAccess
  | PauseECT
  | ResumeECT
  | DeferParticipant
  | UpdateDeferralReturnDate
  | ReturnFromDeferral
  | WithdrawParticipant
  | RequestWithdrawalReversal
  | ReinstateParticipant
  | ChangeSchool
  | AmendReleaseSchedule
  | RecordEngagement
  | RecordModuleAccess
  | RecordAttendance
  | ErasePersonalData;
