import { Message } from '../shared/message';
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
  { participantId: string; outcome: 'validated' | 'failed'; reasons: string[] }
>;
export type MatchMentor = Message<'MatchMentor', { participantId: string; mentorId: string; mentor: MentorFacts | null }>;
export type SubmitSteplabAccessForm = Message<'SubmitSteplabAccessForm', { participantId: string }>;
export type GrantSteplabAccess = Message<'GrantSteplabAccess', { participantId: string }>;

export type RegisterParticipant = RegisterECT | RegisterMentor | RegisterInductionTutor;
export type ParticipantCommand =
  | RegisterParticipant
  | RecordDataValidation
  | MatchMentor
  | SubmitSteplabAccessForm
  | GrantSteplabAccess;
