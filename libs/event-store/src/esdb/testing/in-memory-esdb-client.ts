import {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  AppendResult,
  BACKWARDS,
  EventData,
  EventStoreDBClient,
  ResolvedEvent,
  START,
  StreamingRead,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';

type ReadAllOptions = NonNullable<Parameters<EventStoreDBClient['readAll']>[0]>;
type ReadStreamOptions = NonNullable<Parameters<EventStoreDBClient['readStream']>[1]>;

interface LoggedEvent {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** Log positions are byte offsets in a real server; a stride that is not 1 keeps tests honest about density. */
const RECORD_SIZE = 137;

/**
 * A model of the parts of the EventStoreDB client the adapter uses, as the server documents them:
 * appends check the expected revision (NO_STREAM or an exact revision: the adapter sends nothing else)
 * and serialise data as JSON; forward reads of `$all` include the event at their starting position,
 * backward reads start just before it; a missing stream fails a read with StreamNotFoundError; every
 * event has its own commit position, equal to its prepare position. It is a test double for the
 * adapter's own logic, not a stand-in for the conformance run against a real server.
 */
export class InMemoryEsdbClient {
  readonly log: LoggedEvent[] = [];
  readonly subscriptions: PassThrough[] = [];
  appendCalls = 0;
  /** As the connection string option of that name: false answers a conflict with success false instead of throwing. */
  throwOnAppendFailure = true;
  /** Runs once, just before the next append is checked, as another process appending at that moment would. */
  beforeAppend: (() => Promise<unknown>) | undefined;
  private nextPosition = 1000;

  asClient(): EventStoreDBClient {
    return this as unknown as EventStoreDBClient;
  }

  async appendToStream(streamId: string, events: EventData[], options: { expectedRevision: AppendExpectedRevision }): Promise<AppendResult> {
    this.appendCalls += 1;
    const hook = this.beforeAppend;
    this.beforeAppend = undefined;
    await hook?.();
    const current = this.streamHead(streamId);
    const expected = options.expectedRevision;
    const matches = expected === 'no_stream' ? current === undefined : typeof expected === 'bigint' ? current === Number(expected) : true;
    if (!matches && !this.throwOnAppendFailure) return { success: false, nextExpectedRevision: BigInt(current ?? -1), position: undefined };
    if (!matches) throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected, current: current === undefined ? 'no_stream' : BigInt(current) });
    for (const event of events) {
      this.write(streamId, event.type, JSON.parse(JSON.stringify(event.data)), JSON.parse(JSON.stringify(event.metadata)), event.id);
    }
    return { success: true, nextExpectedRevision: BigInt(this.streamHead(streamId) ?? -1), position: undefined };
  }

  /** Writes an event the way the server or another tool would, bypassing the adapter. */
  write(streamId: string, type: string, data: unknown = {}, metadata: unknown = undefined, id: string = randomUUID()): LoggedEvent {
    const event: LoggedEvent = { streamId, revision: (this.streamHead(streamId) ?? -1) + 1, position: this.nextPosition, id, type, data, metadata };
    this.nextPosition += RECORD_SIZE;
    this.log.push(event);
    for (const subscription of this.subscriptions) subscription.write(toResolved(event));
    return event;
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): StreamingRead<ResolvedEvent> {
    const events = this.log.filter((event) => event.streamId === streamId);
    if (events.length === 0) return streamingRead([], new StreamNotFoundError(undefined, streamId));
    const from = typeof options.fromRevision === 'bigint' ? Number(options.fromRevision) : 0;
    return streamingRead(
      events.filter((event) => event.revision >= from).slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)),
      undefined,
    );
  }

  readAll(options: ReadAllOptions = {}): StreamingRead<AllStreamResolvedEvent> {
    const maxCount = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromPosition ?? START;
    if (options.direction === BACKWARDS) {
      const before = typeof from === 'object' ? this.log.filter((event) => event.position < Number(from.commit)) : this.log;
      return streamingRead([...before].reverse().slice(0, maxCount), undefined);
    }
    const atOrAfter = typeof from === 'object' ? this.log.filter((event) => event.position >= Number(from.commit)) : from === START ? this.log : [];
    return streamingRead(atOrAfter.slice(0, maxCount), undefined);
  }

  /** Live events only, unfiltered: the adapter must not rely on the server filter alone. */
  subscribeToAll(): AllStreamSubscription {
    const subscription = new PassThrough({ objectMode: true });
    this.subscriptions.push(subscription);
    return Object.assign(subscription, {
      unsubscribe: async (): Promise<void> => {
        subscription.end();
      },
    }) as unknown as AllStreamSubscription;
  }

  private streamHead(streamId: string): number | undefined {
    return this.log.filter((event) => event.streamId === streamId).at(-1)?.revision;
  }
}

function toResolved(event: LoggedEvent): AllStreamResolvedEvent {
  const position = { commit: BigInt(event.position), prepare: BigInt(event.position) };
  return {
    event: { ...event, revision: BigInt(event.revision), isJson: true, created: new Date(), position, data: event.data as Record<string, unknown>, metadata: event.metadata as Record<string, unknown> },
    commitPosition: position.commit,
  };
}

function streamingRead<E>(events: readonly LoggedEvent[], failure: Error | undefined): StreamingRead<E> {
  async function* generate(): AsyncGenerator<AllStreamResolvedEvent> {
    if (failure) throw failure;
    yield* events.map(toResolved);
  }
  return Readable.from(generate()) as unknown as StreamingRead<E>;
}
