import { Message, PersonalDetails } from '../shared/message';

export type ParticipantType = 'ect' | 'mentor' | 'induction-tutor';

export interface Registration {
  participantId: string;
  trn: string | null;
  schoolUrn: string;
  cohort: number;
  /** The date the registration took effect (the day it was recorded, Europe/London). */
  registeredOn: string;
  personal: PersonalDetails;
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
export type DataValidationFailed = Message<'DataValidationFailed', { participantId: string; reasons: string[] }>;
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

export type ParticipantEvent =
  | ECTRegistered
  | MentorRegistered
  | InductionTutorRegistered
  | DataValidationPassed
  | DataValidationFailed
  | MentorMatched
  | SteplabAccessFormSubmitted
  | SteplabAccessGranted;

export const PARTICIPANT_EVENT_TYPES: readonly ParticipantEvent['type'][] = [
  'ECTRegistered',
  'MentorRegistered',
  'InductionTutorRegistered',
  'DataValidationPassed',
  'DataValidationFailed',
  'MentorMatched',
  'SteplabAccessFormSubmitted',
  'SteplabAccessGranted',
];

export const participantStreamId = (participantId: string): string => `participant-${participantId}`;
