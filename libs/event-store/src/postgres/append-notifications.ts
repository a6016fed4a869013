import { Client, ClientConfig } from 'pg';

/** How long to wait before listening again after the listening connection was lost. */
const RECONNECT_DELAY_MS = 1000;

/**
 * Wakes this process's listeners when any process commits an append to the schema, through LISTEN
 * on one dedicated connection (a pooled one would be handed to queries and miss notifications).
 * The connection opens with the first listener. Losing it only slows subscribers down to their
 * polling interval until it is back, and listeners are woken on reconnecting because appends made
 * meanwhile were announced to no one.
 */
export class AppendNotifications {
  private readonly listeners = new Set<() => void>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly channel: string,
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    this.listen();
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.connecting;
    const client = this.client;
    // Cleared first, so the 'end' event of our own close is not taken for a lost connection.
    this.client = null;
    await client?.end();
  }

  private listen(): void {
    if (this.closed || this.client || this.connecting || this.reconnectTimer) return;
    this.connecting = this.connect().finally(() => {
      this.connecting = null;
    });
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    client.on('notification', () => this.wake());
    client.on('error', () => this.lose(client));
    client.on('end', () => this.lose(client));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch {
      await client.end().catch(() => undefined);
      this.retryLater();
      return;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.wake();
  }

  private lose(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.retryLater();
  }

  private retryLater(): void {
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen();
    }, RECONNECT_DELAY_MS);
    // A store waiting to listen again must not keep the process alive on its own.
    this.reconnectTimer.unref();
  }

  private wake(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // One faulty listener must not keep the others from waking.
      }
    }
  }
}
