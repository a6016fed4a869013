export interface SseEvent {
  readonly id: number;
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/**
 * Reads a server-sent event stream in the background, keeping every event and noting when the server
 * ended the response, so a test can wait for either and then look at what arrived.
 */
export class SseReader {
  readonly events: SseEvent[] = [];
  /** Comment lines (`: …`) the server wrote, heartbeats included. */
  readonly comments: string[] = [];
  endedAt: number | null = null;
  private cancelled = false;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly done: Promise<void>;

  constructor(response: Response) {
    if (!response.body) throw new Error('SSE: the response has no body');
    this.reader = response.body.getReader();
    this.done = this.read();
  }

  /** Waits until `accept` holds for the events received so far; fails after the timeout or if the stream ends first. */
  async until(accept: (events: readonly SseEvent[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!accept(this.events)) {
      if (this.endedAt !== null) throw new Error(`SSE: the stream ended before the condition held; events ${JSON.stringify(this.events.map((event) => event.id))}`);
      if (Date.now() > deadline) throw new Error(`SSE: condition not met within ${timeoutMs} ms; events ${JSON.stringify(this.events.map((event) => event.id))}`);
      await new Promise((resolveTick) => setTimeout(resolveTick, 20));
    }
  }

  /** Resolves with the time the server ended the stream, or null if it is still open after the timeout. */
  async ended(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolveTimeout) => (timer = setTimeout(resolveTimeout, timeoutMs)));
    await Promise.race([this.done, timeout]);
    clearTimeout(timer);
    return this.endedAt;
  }

  /** Stops reading (closes the connection from the client's side). */
  async cancel(): Promise<void> {
    this.cancelled = true;
    if (this.endedAt === null) await this.reader.cancel().catch(() => undefined);
    await this.done;
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await this.reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          this.take(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
        }
      }
      if (!this.cancelled) this.endedAt = Date.now();
    } catch {
      // Cancelled by the test: not an end the server chose.
    }
  }

  private take(block: string): void {
    const lines = block.split('\n');
    for (const line of lines) if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
    const fields = Object.fromEntries(
      lines.filter((line) => !line.startsWith(':') && line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    );
    if (fields.id !== undefined) this.events.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) as Record<string, unknown> });
  }
}
