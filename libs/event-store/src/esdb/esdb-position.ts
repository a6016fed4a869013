import { AllStreamResolvedEvent, Position, ReadPosition, ResolvedEvent, START } from '@eventstore/db-client';

/**
 * Our `position` is the event's commit position in EventStoreDB's transaction log. Since the server
 * writes every event of an append as its own self-committing record, each event has a distinct commit
 * position (equal to its prepare position), increasing in `$all` order. Positions are byte offsets in
 * the log, so they are far from dense: consecutive events differ by the size of their records.
 */

/** A JS number holds every integer exactly up to 2^53 - 1 (8 PiB of log), far beyond any real log. */
export function toPosition(commit: bigint): number {
  if (commit < 0n || commit > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`EventStoreDB position ${commit} is outside the range a JS number holds exactly`);
  return Number(commit);
}

/** The log address of one of our positions (valid because commit and prepare positions coincide). */
export function toEsdbPosition(position: number): Position {
  return { commit: BigInt(position), prepare: BigInt(position) };
}

/** Where a forward read for events after `after` starts; such reads include the event at the position itself. */
export function toReadPosition(after: number): ReadPosition {
  return after === 0 ? START : toEsdbPosition(after);
}

/** Reads of `$all` always carry the position; stream reads carry it from EventStoreDB 22.6 on. */
export function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): number {
  const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) {
    throw new Error(`EventStoreDB did not report the $all position of event ${resolved.event?.id ?? '(unknown)'}; this store needs EventStoreDB 22.6 or later`);
  }
  return toPosition(commit);
}
