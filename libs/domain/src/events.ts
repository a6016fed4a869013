import { PARTICIPANT_EVENT_TYPES, ParticipantEvent } from './participant/participant.events';
import { SCHOOL_EVENT_TYPES, SchoolEvent } from './school/school.events';
import { TRN_EVENT_TYPES, TrnEvent } from './trn-registry/trn-registry';

/** Every event type the domain writes; the store, schemas and projections are checked against this list. */
export type DomainEvent = SchoolEvent | ParticipantEvent | TrnEvent;
export const DOMAIN_EVENT_TYPES: readonly DomainEvent['type'][] = [...SCHOOL_EVENT_TYPES, ...PARTICIPANT_EVENT_TYPES, ...TRN_EVENT_TYPES];
