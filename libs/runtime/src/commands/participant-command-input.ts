import {
  MentorFacts,
  NewSchoolFacts,
  ParticipantCommand,
  ParticipantState,
  RegisterParticipant,
  SchoolFacts,
  SchoolState,
} from '@ecf/domain';
import { readCurrentParticipant, readCurrentSchool } from '@ecf/command-handling';
import type { EventStore } from '@ecf/event-store';

/** Fields the command path fills in itself: the participant, the caller's authority, and facts read from other streams. */
type ServerSideField = 'participantId' | 'byDpl' | 'cascadedFromEctId' | 'mentor' | 'newSchool';
type InputOf<C> = C extends { type: infer T; data: infer D } ? { type: T } & Omit<D, ServerSideField> : never;

/** What a caller sends for a command on an existing participant (an HTTP body, a planned seed step). */
export type ParticipantCommandInput = InputOf<Exclude<ParticipantCommand, RegisterParticipant>>;

/** Where the facts a command needs from other streams come from (the API limits them to the caller's scope). */
export interface ParticipantCommandFacts {
  /** True when a delivery partner lead (DPL) issues the command: exceptions need one. */
  readonly byDpl: boolean;
  mentor(mentorId: string): Promise<MentorFacts | null>;
  newSchool(urn: string): Promise<NewSchoolFacts | null>;
}

/** The full command from a caller's input: the participant from the path, authority and facts added server-side. */
export async function completeParticipantCommand(participantId: string, input: ParticipantCommandInput, facts: ParticipantCommandFacts): Promise<ParticipantCommand> {
  switch (input.type) {
    case 'MatchMentor':
      return { type: input.type, data: { participantId, mentorId: input.mentorId, mentor: await facts.mentor(input.mentorId) } };
    case 'ChangeSchool': {
      const { type, ...data } = input;
      return { type, data: { ...data, participantId, newSchool: await facts.newSchool(input.newSchoolUrn) } };
    }
    case 'DeferECT':
    case 'DeferMentor':
    case 'UpdateDeferralReturnDate':
    case 'WithdrawECT':
    case 'WithdrawMentor':
    case 'WithdrawInductionTutor':
    case 'AmendReleaseSchedule': {
      const { type, ...data } = input;
      return { type, data: { ...data, participantId, byDpl: facts.byDpl } } as ParticipantCommand;
    }
    default: {
      const { type, ...data } = input;
      return { type, data: { ...data, participantId } } as ParticipantCommand;
    }
  }
}

/**
 * Facts commands read from streams other than their own, from the source of truth: the stream's tail past
 * the fold this process keeps, so every read sees every append, other processes' included.
 */
export const readSchool = async (store: EventStore, urn: string): Promise<SchoolState> => (await readCurrentSchool(store, urn)).state;

export const readParticipant = async (store: EventStore, participantId: string): Promise<ParticipantState> => (await readCurrentParticipant(store, participantId)).state;

/** A registration's school: null when no partnership has ever been registered for the URN. */
export const schoolFactsOf = (school: SchoolState): SchoolFacts | null => (school.exists && school.urn !== null ? { urn: school.urn, partnerships: school.partnerships } : null);

/** The school moved to; null when no partnership has ever been registered for it. */
export const newSchoolFactsOf = (school: SchoolState): NewSchoolFacts | null => (school.urn === null || school.region === null ? null : { urn: school.urn, region: school.region });

/** The proposed mentor as their own stream says; null when there is no such participant. */
export const mentorFactsOf = (mentorId: string, state: ParticipantState): MentorFacts | null =>
  !state.registered || state.type === null || state.schoolUrn === null ? null : { participantId: mentorId, type: state.type, schoolUrn: state.schoolUrn, status: state.status };
