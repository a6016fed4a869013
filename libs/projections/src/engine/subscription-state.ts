import type { CatchUpSubscription } from '@ecf/event-store';
import { Checkpoint, CheckpointStatus, describeError } from './checkpoints';

/**
 * A consumer's subscription as the process running it sees it. Its checkpoint row says what the last
 * process to write it recorded; a subscription that failed without recording it (the write failed
 * too), or whose row another process overwrote, is known only here.
 */
export interface SubscriptionState {
  readonly name: string;
  readonly generation: number;
  readonly status: CheckpointStatus;
  readonly lastError: string | null;
}

export function subscriptionState(name: string, generation: number, subscription: CatchUpSubscription): SubscriptionState {
  const status: CheckpointStatus = subscription.status === 'failed' ? 'failed' : subscription.status === 'stopped' ? 'stopped' : 'running';
  return { name, generation, status, lastError: status === 'failed' ? describeError(subscription.lastError) : null };
}

/** The checkpoint rows, with status and error taken from this process's own subscriptions where it runs them. */
export function withSubscriptionStates(checkpoints: readonly Checkpoint[], states: readonly SubscriptionState[]): Checkpoint[] {
  const byKey = new Map(states.map((state) => [`${state.name}#${state.generation}`, state]));
  return checkpoints.map((checkpoint) => {
    const state = byKey.get(`${checkpoint.name}#${checkpoint.generation}`);
    return state ? { ...checkpoint, status: state.status, lastError: state.lastError ?? (state.status === 'running' ? null : checkpoint.lastError) } : checkpoint;
  });
}
