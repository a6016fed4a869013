import { v5 as uuidv5 } from 'uuid';
import { currentSchemaVersion, Decider, DecisionContext, isRejection, Message } from '@ecf/domain';
import { Actor, EventStore, isWrongExpectedRevision, NewEvent, RecordedEvent, StreamFold, toDomainEvent, WrongExpectedRevisionError } from '@ecf/event-store';
import { activeTraceparent, observeAppend } from '@ecf/event-store/telemetry';
import { FoldedStream, StreamStateCache, StreamStateCaches } from './stream-state-cache';

/** Who asked, on whose behalf, and how to recognise a retry of the same command. */
export interface CommandEnvelope {
  /** Same id ⇒ same command: a retry returns the first result and writes nothing. */
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  readonly reason?: string;
  /** The caller's view of the stream (HTTP If-Match); a mismatch fails fast instead of retrying. */
  readonly expectedRevision?: number;
}

export interface CommandOutcome<State, Event> {
  readonly state: State;
  /** The stream's revision after the command (-1: the stream does not exist). */
  readonly revision: number;
  /** `$all` position of the command's last event (or of the stream's last event when nothing was written). */
  readonly position: number;
  /** The events the command produced (already stored unless dryRun). */
  readonly events: Event[];
  /** True when this was a retry of a command already in the stream: nothing was decided or written. */
  readonly replayed: boolean;
}

export interface HandleCommandOptions<State = unknown> {
  readonly dryRun?: boolean;
  /** Attempts on a concurrency conflict when the caller gave no expected revision. */
  readonly maxAttempts?: number;
  /** Folded state of recently used streams, read past by their tail only (one cache per store). */
  readonly cache?: StreamStateCache<State>;
}

/** A decider bound to its streams: handles a command on the stream of `id`. */
export type BoundCommandHandler<State, Command, Event> = (
  store: EventStore,
  id: string,
  buildCommand: (state: State) => Command | Promise<Command>,
  envelope: CommandEnvelope,
  context: () => DecisionContext,
  options?: HandleCommandOptions<State>,
) => Promise<CommandOutcome<State, Event>>;

/**
 * Binds a decider to the stream naming of its aggregate once, so no call site passes the pair again;
 * with `caches`, each store the handler is used with keeps folded streams in its own cache.
 */
export function commandHandlerFor<State, Command, Event extends Message<string, unknown>>(
  decider: Decider<State, Command, Event>,
  streamIdOf: (id: string) => string,
  binding: { readonly caches?: StreamStateCaches<State> } = {},
): BoundCommandHandler<State, Command, Event> {
  return (store, id, buildCommand, envelope, context, options) =>
    handleCommand(store, decider, streamIdOf(id), buildCommand, envelope, context, { cache: binding.caches?.of(store), ...options });
}

const EVENT_ID_NAMESPACE = '6f1c3b0e-2d8a-4a57-9c1e-3f0f7c2b9a10';

/** Event ids derive from the command, so a retried append is recognised by the store itself. */
export const deterministicEventId = (streamId: string, commandId: string, index: number): string =>
  uuidv5(`${streamId}:${commandId}:${index}`, EVENT_ID_NAMESPACE);

/**
 * Load → decide → append, Emmett-style:
 * 1. read the stream and fold it into state (with a cache: only the tail past the cached fold, and not even
 *    that on a first attempt that appends: see attemptOnKeptFold);
 * 2. if the stream already holds this command's events, return their result (idempotent retry);
 * 3. fail fast when the caller's expected revision is stale;
 * 4. build the command from the state (handlers may read other streams here) and decide;
 * 5. no events ⇒ nothing to write; dryRun ⇒ report the events and write nothing;
 * 6. append with the revision read in step 1; on a conflict, start again (unless the caller pinned a revision).
 * Rejections are DomainErrors and are thrown to the caller.
 */
export async function handleCommand<State, Command, Event extends Message<string, unknown>>(
  store: EventStore,
  decider: Decider<State, Command, Event>,
  streamId: string,
  buildCommand: (state: State) => Command | Promise<Command>,
  envelope: CommandEnvelope,
  context: () => DecisionContext,
  options: HandleCommandOptions<State> = {},
): Promise<CommandOutcome<State, Event>> {
  const call: CommandCall<State, Command, Event> = { store, decider, streamId, buildCommand, envelope, context, options };
  const onKeptFold = await attemptOnKeptFold(call);
  if (onKeptFold !== null) return onKeptFold;
  const maxAttempts = envelope.expectedRevision === undefined ? (options.maxAttempts ?? 5) : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptCommand(call);
    } catch (error) {
      if (!isWrongExpectedRevision(error) || attempt >= maxAttempts || envelope.expectedRevision !== undefined) throw error;
    }
  }
}

/** One command as handleCommand received it. */
interface CommandCall<State, Command, Event> {
  readonly store: EventStore;
  readonly decider: Decider<State, Command, Event>;
  readonly streamId: string;
  readonly buildCommand: (state: State) => Command | Promise<Command>;
  readonly envelope: CommandEnvelope;
  readonly context: () => DecisionContext;
  readonly options: HandleCommandOptions<State>;
}

/**
 * With a fold kept for the stream, the first attempt decides on it without reading, and appends at the
 * kept revision: the append's expected revision is the check, so a decision on a stale fold can never take
 * effect (the append is refused). Only an appended decision is answered from here; anything else (a
 * rejection, no events, a dry run, a conflict, an error) reads the tail and decides again, so no answer is
 * ever given from a stale fold. On PostgreSQL that is one round trip per command instead of two.
 */
async function attemptOnKeptFold<State, Command, Event extends Message<string, unknown>>(call: CommandCall<State, Command, Event>): Promise<CommandOutcome<State, Event> | null> {
  const { envelope, options } = call;
  const kept = options.cache?.get(call.streamId);
  if (kept === undefined || kept.commandIds.has(envelope.commandId) || options.dryRun) return null;
  if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== kept.revision) return null;
  try {
    const decided = await decideAndAppend(call, kept);
    // Already stored: another process wrote this very command; its first result is read from the stream.
    return decided.appended && !decided.alreadyStored ? decided.outcome : null;
  } catch {
    return null;
  }
}

async function attemptCommand<State, Command, Event extends Message<string, unknown>>(call: CommandCall<State, Command, Event>): Promise<CommandOutcome<State, Event>> {
  // #region attempt
  const { store, decider, streamId, envelope, options } = call;
  const loaded = await loadStream(store, decider, streamId, envelope.commandId, options.cache);
  if (loaded.kind === 'replay') return { ...loaded, replayed: true };
  const { revision } = loaded.folded;
  if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== revision) {
    throw new WrongExpectedRevisionError(streamId, envelope.expectedRevision, revision < 0 ? 'no_stream' : revision);
  }
  return (await decideAndAppend(call, loaded.folded)).outcome;
  // #endregion attempt
}

/** Decides on the fold and appends the events at the fold's revision (unless there are none, or it is a dry run). */
async function decideAndAppend<State, Command, Event extends Message<string, unknown>>(
  { store, decider, streamId, buildCommand, envelope, context, options }: CommandCall<State, Command, Event>,
  folded: FoldedStream<State>,
): Promise<{ readonly appended: boolean; readonly alreadyStored?: boolean; readonly outcome: CommandOutcome<State, Event> }> {
  // #region decide-and-append
  const { state, revision, lastPosition } = folded;
  const decision = decider.decide(await buildCommand(state), state, context());
  if (isRejection(decision)) throw decision;

  const newState = decision.reduce(decider.evolve, state);
  if (decision.length === 0 || options.dryRun) {
    return { appended: false, outcome: { state: newState, revision, position: lastPosition, events: decision, replayed: false } };
  }

  // The span deciding this command (when traced), so a policy acting on these events can link to it.
  const traceparent = activeTraceparent();
  const toAppend: NewEvent[] = decision.map((event, index) => ({
    eventId: deterministicEventId(streamId, envelope.commandId, index),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: {
      commandId: envelope.commandId,
      correlationId: envelope.correlationId,
      causationId: envelope.causationId,
      actor: envelope.actor,
      ...(envelope.reason === undefined ? {} : { reason: envelope.reason }),
      ...(traceparent === undefined ? {} : { traceparent }),
      schemaVersion: currentSchemaVersion(event.type),
    },
  }));
  const expectedRevision = revision < 0 ? 'no_stream' : revision;
  const result = await observeAppend(streamId, toAppend, expectedRevision, () => store.appendToStream(streamId, toAppend, { expectedRevision }));
  if (result.alreadyStored) return { appended: true, alreadyStored: true, outcome: { state: newState, revision: result.nextExpectedRevision, position: result.position, events: decision, replayed: true } };
  const commandIds = new Set(folded.commandIds).add(envelope.commandId);
  options.cache?.remember(streamId, { revision: result.nextExpectedRevision, state: newState, lastPosition: result.position, commandIds });
  return { appended: true, outcome: { state: newState, revision: result.nextExpectedRevision, position: result.position, events: decision, replayed: false } };
  // #endregion decide-and-append
}

/** What a command found in its stream: the fold, or the result of the command itself when it is a retry. */
export type LoadedStream<State, Event> =
  | { readonly kind: 'folded'; readonly folded: FoldedStream<State> }
  | { readonly kind: 'replay'; readonly state: State; readonly revision: number; readonly position: number; readonly events: Event[] };

function foldOnto<State, Event extends Message<string, unknown>>(decider: StreamFold<State, Event>, from: FoldedStream<State>, events: readonly RecordedEvent[]): FoldedStream<State> {
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

const foldFromStart = <State, Event extends Message<string, unknown>>(decider: StreamFold<State, Event>, events: readonly RecordedEvent[]): FoldedStream<State> =>
  foldOnto(decider, { revision: -1, state: decider.initialState(), lastPosition: 0, commandIds: new Set() }, events);

/** The events past a kept fold, or undefined when they do not follow on from it (the whole stream must be read). */
async function tailAfter<State>(store: EventStore, streamId: string, kept: FoldedStream<State>): Promise<RecordedEvent[] | undefined> {
  const tail = await store.readStream(streamId, { fromRevision: kept.revision + 1 });
  return tail.length === 0 || tail[0].revision === kept.revision + 1 ? tail : undefined;
}

/**
 * A stream as it is now, folded: from the cached fold, only the tail past its revision (the log is
 * immutable, so the kept prefix stays true and the tail read sees every append, other processes' too);
 * the whole stream when nothing is cached or the tail does not follow on. For reads that need the current
 * state and revision but not the events.
 */
export async function readFolded<State, Event extends Message<string, unknown>>(
  store: EventStore,
  decider: StreamFold<State, Event>,
  streamId: string,
  cache?: StreamStateCache<State>,
): Promise<FoldedStream<State>> {
  const cached = cache?.get(streamId);
  const tail = cached && (await tailAfter(store, streamId, cached));
  if (cached && tail) return keptFold(cache, streamId, foldOnto(decider, cached, tail));
  return keptFold(cache, streamId, foldFromStart(decider, await store.readStream(streamId)));
}

function keptFold<State>(cache: StreamStateCache<State> | undefined, streamId: string, folded: FoldedStream<State>): FoldedStream<State> {
  cache?.remember(streamId, folded);
  return folded;
}

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
    const tail = await tailAfter(store, streamId, cached);
    if (tail && !tail.some((event) => event.metadata.commandId === commandId)) return { kind: 'folded', folded: keptFold(cache, streamId, foldOnto(decider, cached, tail)) };
  }

  const recorded = await store.readStream(streamId);
  const earlier = recorded.filter((event) => event.metadata.commandId === commandId);
  if (earlier.length > 0) {
    const last = earlier[earlier.length - 1];
    const stateThen = foldFromStart(decider, recorded.filter((event) => event.revision <= last.revision)).state;
    return { kind: 'replay', state: stateThen, revision: last.revision, position: last.position, events: earlier.map((event) => toDomainEvent<Event>(event)) };
  }
  return { kind: 'folded', folded: keptFold(cache, streamId, foldFromStart(decider, recorded)) };
}

/**
 * Facts a command needs from other streams (scope, the proposed mentor, the school moved to), gathered
 * once per command rather than on every attempt of the retry loop: the closure handleCommand calls with
 * each attempt's state reads them on the first attempt and reuses them while the part of the state they
 * were drawn from (`basis`) is unchanged. A conflict retried after a concurrent transfer, say, changes the
 * basis and gathers them again, so a decision is still taken on facts that match the revision it appends to.
 */
export function enrichOnce<State, Facts>(basis: (state: State) => string, gather: (state: State) => Promise<Facts>): (state: State) => Promise<Facts> {
  let gathered: { readonly basis: string; readonly facts: Promise<Facts> } | null = null;
  return (state) => {
    const current = basis(state);
    if (gathered?.basis !== current) gathered = { basis: current, facts: gather(state) };
    return gathered.facts;
  };
}
