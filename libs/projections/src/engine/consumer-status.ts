import type { EventStore } from '@ecf/event-store';
import { Checkpoint } from './checkpoints';

export interface ConsumerStatus extends Checkpoint {
  /** Positions between the head of the log and the checkpoint (events, where positions are dense). */
  readonly lagPositions: number;
  /** How long the oldest event not yet handled has been waiting; 0 when caught up. */
  readonly lagSeconds: number;
}

/** A checkpoint with its lag behind the log, for /health and `ecf projections status`. */
export async function withLag(store: EventStore, checkpoints: readonly Checkpoint[], now: Date = new Date()): Promise<ConsumerStatus[]> {
  const head = await store.headPosition();
  const oldestWaiting = new Map<number, string | undefined>();
  for (const position of new Set(checkpoints.filter((checkpoint) => checkpoint.position < head).map((checkpoint) => checkpoint.position))) {
    const [next] = await store.readAll({ after: position, maxCount: 1 });
    oldestWaiting.set(position, next?.recordedAt);
  }
  return checkpoints.map((checkpoint) => {
    const waitingSince = oldestWaiting.get(checkpoint.position);
    return {
      ...checkpoint,
      lagPositions: Math.max(0, head - checkpoint.position),
      lagSeconds: waitingSince ? Math.max(0, Math.round((now.getTime() - Date.parse(waitingSince)) / 1000)) : 0,
    };
  });
}
