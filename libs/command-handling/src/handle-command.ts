import { v5 as uuidv5 } from 'uuid';
import { currentSchemaVersion, Decider, DecisionContext, isRejection, Message } from '@ecf/domain';
import { Actor, EventStore, isWrongExpectedRevision, NewEvent, toDomainEvent, WrongExpectedRevisionError } from '@ecf/event-store';
import { activeTraceparent, observeAppend } from '@ecf/event-store/telemetry';

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

export interface HandleCommandOptions {
  readonly dryRun?: boolean;
  /** Attempts on a concurrency conflict when the caller gave no expected revision. */
  readonly maxAttempts?: number;
}

/** A decider bound to its streams: handles a command on the stream of `id`. */
export type BoundCommandHandler<State, Command, Event> = (
  store: EventStore,
  id: string,
  buildCommand: (state: State) => Command | Promise<Command>,
  envelope: CommandEnvelope,
  context: () => DecisionContext,
  options?: HandleCommandOptions,
) => Promise<CommandOutcome<State, Event>>;

/** Binds a decider to the stream naming of its aggregate once, so no call site passes the pair again. */
export function commandHandlerFor<State, Command, Event extends Message<string, unknown>>(
  decider: Decider<State, Command, Event>,
  streamIdOf: (id: string) => string,
): BoundCommandHandler<State, Command, Event> {
  return (store, id, buildCommand, envelope, context, options) => handleCommand(store, decider, streamIdOf(id), buildCommand, envelope, context, options);
}

const EVENT_ID_NAMESPACE = '6f1c3b0e-2d8a-4a57-9c1e-3f0f7c2b9a10';

/** Event ids derive from the command, so a retried append is recognised by the store itself. */
export const deterministicEventId = (streamId: string, commandId: string, index: number): string =>
  uuidv5(`${streamId}:${commandId}:${index}`, EVENT_ID_NAMESPACE);

/**
 * Load → decide → append, Emmett-style:
 * 1. read the stream and fold it into state;
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
  options: HandleCommandOptions = {},
): Promise<CommandOutcome<State, Event>> {
  const maxAttempts = envelope.expectedRevision === undefined ? (options.maxAttempts ?? 5) : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptCommand(store, decider, streamId, buildCommand, envelope, context, options);
    } catch (error) {
      if (!isWrongExpectedRevision(error) || attempt >= maxAttempts || envelope.expectedRevision !== undefined) throw error;
    }
  }
}

async function attemptCommand<State, Command, Event extends Message<string, unknown>>(
  store: EventStore,
  decider: Decider<State, Command, Event>,
  streamId: string,
  buildCommand: (state: State) => Command | Promise<Command>,
  envelope: CommandEnvelope,
  context: () => DecisionContext,
  options: HandleCommandOptions,
): Promise<CommandOutcome<State, Event>> {
  // #region attempt
  const recorded = await store.readStream(streamId);
  const state = recorded.reduce((current, event) => decider.evolve(current, toDomainEvent<Event>(event)), decider.initialState());
  const revision = recorded.length - 1;
  const lastPosition = recorded.at(-1)?.position ?? 0;

  const earlier = recorded.filter((event) => event.metadata.commandId === envelope.commandId);
  if (earlier.length > 0) {
    const last = earlier[earlier.length - 1];
    const stateThen = recorded
      .filter((event) => event.revision <= last.revision)
      .reduce((current, event) => decider.evolve(current, toDomainEvent<Event>(event)), decider.initialState());
    return { state: stateThen, revision: last.revision, position: last.position, events: earlier.map((event) => toDomainEvent<Event>(event)), replayed: true };
  }

  if (envelope.expectedRevision !== undefined && envelope.expectedRevision !== revision) {
    throw new WrongExpectedRevisionError(streamId, envelope.expectedRevision, revision < 0 ? 'no_stream' : revision);
  }

  const decision = decider.decide(await buildCommand(state), state, context());
  if (isRejection(decision)) throw decision;

  const newState = decision.reduce(decider.evolve, state);
  if (decision.length === 0 || options.dryRun) {
    return { state: newState, revision, position: lastPosition, events: decision, replayed: false };
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
  return { state: newState, revision: result.nextExpectedRevision, position: result.position, events: decision, replayed: false };
  // #endregion attempt
}
