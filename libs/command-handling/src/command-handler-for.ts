import type { Decider, DecisionContext, Message } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { CommandEnvelope, CommandOutcome, handleCommand, HandleCommandOptions } from './handle-command';

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
