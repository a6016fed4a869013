import { EventStoreDBClient } from '@eventstore/db-client';
import { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../event-store.port';
import { appendWithHashChain } from './append';
import { AppendNotifier } from './append-notifier';
import { readHeadPosition } from './head-position';
import { readAllAfter } from './read-all';
import { readStreamEvents } from './read-stream';

export interface EsdbEventStoreOptions {
  /** `esdb://host:2113?tls=false` for one node, `esdb+discover://host:2113` or `esdb://a:2113,b:2113,c:2113` for a cluster. */
  readonly connectionString: string;
}

/**
 * The EventStoreDB/KurrentDB adapter: our streams are ESDB streams, one to one; our metadata, recordedAt
 * and hash travel in each event's metadata; `position` is the `$all` commit position (see
 * esdb-position.ts); the server's own events are never shown. Reads go to the node the connection
 * string prefers (the leader by default), which is what makes an append visible to the next read.
 */
export class EsdbEventStore implements EventStore {
  private closed = false;

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly notifier: AppendNotifier,
  ) {}

  /** Connects and reads the head of `$all` once, so a wrong address, certificate or password fails at start. */
  static async open(options: EsdbEventStoreOptions): Promise<EsdbEventStore> {
    const client = EventStoreDBClient.connectionString(options.connectionString);
    try {
      await readHeadPosition(client);
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return new EsdbEventStore(client, new AppendNotifier(client));
  }

  appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    return appendWithHashChain(this.client, streamId, events, options.expectedRevision, () => new Date().toISOString());
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return readStreamEvents(this.client, streamId, options);
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return readAllAfter(this.client, options);
  }

  headPosition(): Promise<number> {
    return readHeadPosition(this.client);
  }

  /** Fires for every append to the database, by any process, as the server's live subscription reports it. */
  onAppend(listener: () => void): () => void {
    return this.notifier.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.notifier.close();
    await this.client.dispose();
  }
}
