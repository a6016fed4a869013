import type { Decider, Message } from '@ecf/domain';
import { EventStore, RecordedEvent, toDomainEvent } from '@ecf/event-store';
import { FoldedStream, StreamStateCache } from './stream-state-cache';

/** What a command found in its stream: the fold, or the result of the command itself when it is a retry. */
export type LoadedStream<State, Event> =
  | { readonly kind: 'folded'; readonly folded: FoldedStream<State> }
  | { readonly kind: 'replay'; readonly state: State; readonly revision: number; readonly position: number; readonly events: Event[] };

function foldOnto<State, Event extends Message<string, unknown>>(decider: Decider<State, unknown, Event>, from: FoldedStream<State>, events: readonly RecordedEvent[]): FoldedStream<State> {
  if (events.length === 0) return from;
  const commandIds = new Set(from.commandIds);
  let state = from.state;
  for (const event of events) {
    state = decider.evolve(state, toDomainEvent<Event>(event));
    commandIds.add(event.metadata.commandId);
  }
  const last = events[events.length - 1];
  return { revision: last.revision, state, lastPosition: last.position, commandIds };
}

const EMPTY: FoldedStream<never> = { revision: -1, state: undefined as never, lastPosition: 0, commandIds: new Set() };

/**
 * Reads and folds a command's stream: from the cached fold, only the tail past its revision; the whole
 * stream when nothing is cached, when the tail does not follow on, or when the command may be a retry
 * (its result is rebuilt from the events it wrote, which the cache does not keep).
 */
export async function loadStream<State, Event extends Message<string, unknown>>(
  store: EventStore,
  decider: Decider<State, unknown, Event>,
  streamId: string,
  commandId: string,
  cache?: StreamStateCache<State>,
): Promise<LoadedStream<State, Event>> {
  const cached = cache?.get(streamId);
  if (cached && !cached.commandIds.has(commandId)) {
    const tail = await store.readStream(streamId, { fromRevision: cached.revision + 1 });
    const followsOn = tail.length === 0 || tail[0].revision === cached.revision + 1;
    if (followsOn && !tail.some((event) => event.metadata.commandId === commandId)) {
      const folded = foldOnto(decider, cached, tail);
      cache?.remember(streamId, folded);
      return { kind: 'folded', folded };
    }
  }

  const recorded = await store.readStream(streamId);
  const earlier = recorded.filter((event) => event.metadata.commandId === commandId);
  if (earlier.length > 0) {
    const last = earlier[earlier.length - 1];
    const stateThen = foldOnto(decider, { ...EMPTY, state: decider.initialState() }, recorded.filter((event) => event.revision <= last.revision)).state;
    return { kind: 'replay', state: stateThen, revision: last.revision, position: last.position, events: earlier.map((event) => toDomainEvent<Event>(event)) };
  }
  const folded = foldOnto(decider, { ...EMPTY, state: decider.initialState() }, recorded);
  cache?.remember(streamId, folded);
  return { kind: 'folded', folded };
}
