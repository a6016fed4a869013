import { Pool } from 'pg';
import { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadByStreamOptions, ReadStreamOptions, RecordedEvent, StoredJsonEvent } from '../event-store.port';
import { toIsoInstant } from '../sqlite/normalise';
import { watchPool } from '../telemetry/pools';
import { PostgresAppend, prepareAppend } from './append';
import { AppendNotifications } from './append-notifications';
import { connectionConfig } from './connection-config';
import { checkCallsInFlight, DEFAULT_CALLS_IN_FLIGHT, GroupCommitCounts } from './group-commit';
import { HeadPosition, prepareHeadPosition } from './head-position';
import { applyMigrations } from './migrate';
import { prepareReadAll, prepareReadAllJson, ReadAll, ReadAllJson } from './read-all';
import { prepareReadByStream, ReadByStream } from './read-by-stream';
import { prepareReadStream, ReadStream } from './read-stream';
import { appendChannel, checkSchemaName, DEFAULT_SCHEMA } from './schema-name';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** The schema holding the store's tables (created if missing). Default `public`. */
  readonly schema?: string;
  /** Connections for appends and reads; one more is opened for notifications once someone listens. Default 10. */
  readonly poolSize?: number;
  /** Source of `recordedAt` (an ISO instant); injectable so tests can travel on the recorded axis. */
  readonly clock?: () => string;
  /**
   * Appends this store writes at once (ADR 0019); appends arriving while they are written queue and share
   * the next commit. Default 2. 1 batches the most (the best figure on two cores shared with PostgreSQL);
   * more overlaps the network round trips of a distant server.
   */
  readonly appendCallsInFlight?: number;
}

const DEFAULT_POOL_SIZE = 10;

/**
 * The server adapter: any number of API, projector and CLI processes on one PostgreSQL database.
 * Appends to different streams run in parallel and only queue for the short global position lock
 * (ADR 0008); appends that arrive while others are being written share their commit (ADR 0019);
 * readers never block writers.
 */
export class PostgresEventStore implements EventStore {
  private readonly appendUnit: PostgresAppend;
  private readonly readStreamUnit: ReadStream;
  private readonly readAllUnit: ReadAll;
  private readonly readAllJsonUnit: ReadAllJson;
  private readonly readByStreamUnit: ReadByStream;
  private readonly headPositionUnit: HeadPosition;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly pool: Pool,
    private readonly notifications: AppendNotifications,
    clock: () => string,
    appendCallsInFlight: number,
  ) {
    this.headPositionUnit = prepareHeadPosition(pool);
    // Normalised to millisecond UTC instants, which TIMESTAMPTZ gives back exactly as hashed.
    this.appendUnit = prepareAppend(pool, () => toIsoInstant(clock()), this.headPositionUnit, appendCallsInFlight);
    this.readStreamUnit = prepareReadStream(pool);
    this.readAllUnit = prepareReadAll(pool);
    this.readAllJsonUnit = prepareReadAllJson(pool);
    this.readByStreamUnit = prepareReadByStream(pool);
  }

  /** Connects and brings the schema to the latest version (safe when several processes start at once). */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
    const appendCallsInFlight = checkCallsInFlight(options.appendCallsInFlight ?? DEFAULT_CALLS_IN_FLIGHT);
    const config = connectionConfig(options.connectionString, schema);
    const pool = new Pool({ ...config, max: options.poolSize ?? DEFAULT_POOL_SIZE });
    // An idle connection dropped by the server is discarded by the pool; without a handler it would crash the process.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await applyMigrations(client, schema);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    watchPool('event-store', pool);
    return new PostgresEventStore(
      pool,
      new AppendNotifications(config, appendChannel(schema)),
      options.clock ?? (() => new Date().toISOString()),
      appendCallsInFlight,
    );
  }

  appendToStream(streamId: string, events: readonly NewEvent[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    return this.appendUnit.append(streamId, events, options.expectedRevision);
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.readStreamUnit(streamId, options);
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllUnit(options);
  }

  readAllJson(options: ReadAllOptions = {}): Promise<(StoredJsonEvent | RecordedEvent)[]> {
    return this.readAllJsonUnit(options);
  }

  readByStream(options: ReadByStreamOptions): Promise<RecordedEvent[]> {
    return this.readByStreamUnit(options);
  }

  /** How many concurrent appends of this store shared a commit so far (group commit, ADR 0019). */
  groupCommitCounts(): GroupCommitCounts {
    return this.appendUnit.groupCommitCounts();
  }

  headPosition(): Promise<number> {
    return this.headPositionUnit();
  }

  /** Fires when any process commits an append to this schema (LISTEN/NOTIFY), this one included. */
  onAppend(listener: () => void): () => void {
    return this.notifications.subscribe(listener);
  }

  /** Ends the pool and the notification connection; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.notifications.close().then(() => this.pool.end());
    return this.closing;
  }
}
