import type { Database } from 'better-sqlite3';
import { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadByStreamOptions, ReadStreamOptions, RecordedEvent, StoredJsonEvent } from '../event-store.port';
import { prepareAppend } from './append';
import { GroupCommit } from './group-commit';
import { HeadPosition, prepareHeadPosition } from './head-position';
import { toIsoInstant } from './normalise';
import { openDatabase, SynchronousMode } from './open-database';
import { prepareReadAll, prepareReadAllJson, ReadAll, ReadAllJson } from './read-all';
import { prepareReadByStream, ReadByStream } from './read-by-stream';
import { prepareReadStream, ReadStream } from './read-stream';
import { migrate } from './schema';

export interface SqliteEventStoreOptions {
  readonly filename: string;
  /** FULL (default) survives power loss; NORMAL in WAL mode may lose the last commits on power loss, never corrupts. */
  readonly synchronous?: SynchronousMode;
  /** Source of `recordedAt` (an ISO instant); injectable so tests can travel on the recorded axis. */
  readonly clock?: () => string;
}

/**
 * The embedded adapter: one SQLite file, one writer at a time, any number of readers. Appends are
 * group-committed (one BEGIN IMMEDIATE transaction per turn of the event loop, a savepoint per
 * append) and answered once that transaction has committed. better-sqlite3 is synchronous, so reads
 * complete before they return; the port's promises keep the adapters interchangeable.
 */
export class SqliteEventStore implements EventStore {
  private readonly listeners = new Set<() => void>();
  private readonly commits: GroupCommit;
  private readonly readStreamUnit: ReadStream;
  private readonly readAllUnit: ReadAll;
  private readonly readAllJsonUnit: ReadAllJson;
  private readonly readByStreamUnit: ReadByStream;
  private readonly headPositionUnit: HeadPosition;

  private constructor(
    private readonly db: Database,
    clock: () => string,
  ) {
    // Normalised so recordedAtOrBefore, which compares text, orders instants correctly.
    this.commits = new GroupCommit(db, prepareAppend(db, () => toIsoInstant(clock())));
    this.readStreamUnit = prepareReadStream(db);
    this.readAllUnit = prepareReadAll(db);
    this.readAllJsonUnit = prepareReadAllJson(db);
    this.readByStreamUnit = prepareReadByStream(db);
    this.headPositionUnit = prepareHeadPosition(db);
  }

  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    const clock = options.clock ?? (() => new Date().toISOString());
    const db = openDatabase(options.filename, options.synchronous ?? 'FULL');
    try {
      migrate(db, () => new Date().toISOString());
      return new SqliteEventStore(db, clock);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    const { result, written } = await this.commits.submit(streamId, events, options.expectedRevision);
    // Retries and empty appends commit nothing; waking subscribers for them would only cost a read.
    if (written) this.notify();
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.readStreamUnit(streamId, options);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllUnit(options);
  }

  async readAllJson(options: ReadAllOptions = {}): Promise<(StoredJsonEvent | RecordedEvent)[]> {
    return this.readAllJsonUnit(options);
  }

  async readByStream(options: ReadByStreamOptions): Promise<RecordedEvent[]> {
    return this.readByStreamUnit(options);
  }

  async headPosition(): Promise<number> {
    return this.headPositionUnit();
  }

  /** Fires after each commit made through this instance; appends by other processes are found by polling. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    // Appends already requested are written (and answered) before the file closes.
    if (this.db.open) this.commits.flush();
    this.listeners.clear();
    if (this.db.open) this.db.close();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // The events are committed; a faulty listener must not turn a successful append into an error.
      }
    }
  }
}
