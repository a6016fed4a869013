import { MentorFacts, NewSchoolFacts, participantDecider, ParticipantState, participantStreamId, schoolDecider, SchoolFacts, SchoolState, schoolStreamId } from '@ecf/domain';
import { aggregateStream, EventStore } from '@ecf/event-store';

/** Facts commands read from streams other than their own, straight from the source of truth. */
export const readSchool = async (store: EventStore, urn: string): Promise<SchoolState> => (await aggregateStream(store, schoolDecider, schoolStreamId(urn))).state;

export const readParticipant = async (store: EventStore, participantId: string): Promise<ParticipantState> =>
  (await aggregateStream(store, participantDecider, participantStreamId(participantId))).state;

/** A registration's school: null when no partnership has ever been registered for the URN. */
export const schoolFactsOf = (school: SchoolState): SchoolFacts | null => (school.exists && school.urn !== null ? { urn: school.urn, partnerships: school.partnerships } : null);

/** The school moved to; null when no partnership has ever been registered for it. */
export const newSchoolFactsOf = (school: SchoolState): NewSchoolFacts | null => (school.urn === null || school.region === null ? null : { urn: school.urn, region: school.region });

/** The proposed mentor as their own stream says; null when there is no such participant. */
export const mentorFactsOf = (mentorId: string, state: ParticipantState): MentorFacts | null =>
  !state.registered || state.type === null || state.schoolUrn === null ? null : { participantId: mentorId, type: state.type, schoolUrn: state.schoolUrn, status: state.status };
