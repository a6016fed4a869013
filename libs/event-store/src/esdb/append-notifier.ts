import { AllStreamResolvedEvent, AllStreamSubscription, END, EventStoreDBClient } from '@eventstore/db-client';
import { isSystemEvent, userEventsOnly } from './system-events';

/** Long enough not to hammer a server that is restarting, short next to a subscriber's poll-and-catch-up. */
const REOPEN_DELAY_MS = 1000;

/**
 * Wakes onAppend listeners from a live subscription to `$all` (filtered on the server, from its end),
 * so a subscriber in this process hears of appends made by any process. It is opened with the first
 * listener. When the server drops it (restart, leader change) listeners are woken once, to look for
 * what they may have missed, and it is reopened after a pause.
 */
export class AppendNotifier {
  private readonly listeners = new Set<() => void>();
  private subscription: AllStreamSubscription | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly client: Pick<EventStoreDBClient, 'subscribeToAll'>) {}

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.closed && this.subscription === undefined && this.reopenTimer === undefined) this.open();
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    clearTimeout(this.reopenTimer);
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe();
  }

  private open(): void {
    const subscription = this.client.subscribeToAll({ fromPosition: END, filter: userEventsOnly() });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (!isSystemEvent(resolved)) this.notify();
    });
    const dropped = (): void => this.reopenLater(subscription);
    subscription.on('error', dropped);
    subscription.on('end', dropped);
    this.subscription = subscription;
  }

  private reopenLater(dropped: AllStreamSubscription): void {
    // An error and an end may both report the same drop; unsubscribing on close ends it too.
    if (this.closed || this.subscription !== dropped) return;
    this.subscription = undefined;
    this.notify();
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      if (!this.closed) this.open();
    }, REOPEN_DELAY_MS);
    this.reopenTimer.unref();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A faulty listener must not stop the others, nor the subscription.
      }
    }
  }
}
