import { effectiveDayOf, participantDecider, ParticipantEvent, ParticipantState, participantStreamId } from '@ecf/domain';
import { EventStore, RecordedEvent, toDomainEvent } from '@ecf/event-store';

/**
 * The two time axes of an audit question:
 * - `asOf` (effective, a date): the participant on that day as we know it now — events whose
 *   business date is after it are left out, whenever they were recorded;
 * - `knownAt` (recorded, an instant): what the system believed then — events recorded after it are
 *   left out, so a later back-dated withdrawal is not yet known.
 */
export interface TimeTravel {
  readonly asOf?: string;
  readonly knownAt?: string;
}

export interface ParticipantAt {
  readonly state: ParticipantState;
  /** The revision of the last event taken into account (-1: none). */
  readonly revision: number;
  /** The events taken into account, in stream order. */
  readonly events: readonly RecordedEvent[];
}

export const isTimeTravel = (travel: TimeTravel): boolean => travel.asOf !== undefined || travel.knownAt !== undefined;

/** Events of a stream that count on both axes, in stream order. */
export function eventsAt(events: readonly RecordedEvent[], { asOf, knownAt: knownAtAsGiven }: TimeTravel): RecordedEvent[] {
  // Stored instants are normalised ISO (…T10:00:00.000Z); compare like with like.
  const knownAt = knownAtAsGiven === undefined ? undefined : new Date(knownAtAsGiven).toISOString();
  return events.filter(
    (event) =>
      (knownAt === undefined || event.recordedAt <= knownAt) &&
      (asOf === undefined || effectiveDayOf(toDomainEvent<ParticipantEvent>(event), event.recordedAt) <= asOf),
  );
}

/** Replays the participant's stream through the decider's own `evolve`: time travel uses no separate logic. */
export function foldParticipant(events: readonly RecordedEvent[]): ParticipantState {
  return events.reduce((state, event) => participantDecider.evolve(state, toDomainEvent<ParticipantEvent>(event)), participantDecider.initialState());
}

/** The participant on the time axes asked for, from events already read (the whole stream, or a prefix of it). */
export function participantFrom(stored: readonly RecordedEvent[], travel: TimeTravel = {}): ParticipantAt {
  const events = eventsAt(stored, travel);
  return { state: foldParticipant(events), revision: events.at(-1)?.revision ?? -1, events };
}

export async function participantAt(store: EventStore, participantId: string, travel: TimeTravel = {}): Promise<ParticipantAt> {
  const stored = await store.readStream(participantStreamId(participantId), travel.knownAt === undefined ? {} : { recordedAtOrBefore: travel.knownAt });
  return participantFrom(stored, travel);
}
