import { EventStore, RecordedEvent } from './event-store.port';

/** A stored event as the domain knows it: its type and data, nothing of how it was stored. */
export const toDomainEvent = <Event extends { readonly type: string; readonly data: unknown }>(recorded: RecordedEvent): Event =>
  ({ type: recorded.type, data: recorded.data }) as unknown as Event;

/** What folding a stream needs of a decider. */
export interface StreamFold<State, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
}

/** Folds a stream into state with a decider's evolve (for queries and enrichment). */
export async function aggregateStream<State, Event extends { readonly type: string; readonly data: unknown }>(
  store: EventStore,
  decider: StreamFold<State, Event>,
  streamId: string,
): Promise<{ state: State; revision: number; events: RecordedEvent[] }> {
  const events = await store.readStream(streamId);
  const state = events.reduce((current, event) => decider.evolve(current, toDomainEvent<Event>(event)), decider.initialState());
  return { state, revision: events.length - 1, events };
}
