import { ReadModelDatabase, SqlSession } from '../read-models/sql-database';

export type CheckpointStatus = 'running' | 'stopped' | 'failed';
/** `live` answers queries; `building` is a rebuild beside it; `retired` was live before a swap. */
export type GenerationRole = 'live' | 'building' | 'retired';

/** One consumer generation's place in `$all` (projections and policies alike). */
export interface Checkpoint {
  readonly name: string;
  readonly generation: number;
  readonly version: number;
  readonly role: GenerationRole;
  readonly position: number;
  readonly status: CheckpointStatus;
  readonly lastError: string | null;
  readonly updatedAt: string;
}

interface CheckpointRow {
  name: string;
  generation: number;
  version: number;
  role: GenerationRole;
  position: number;
  status: CheckpointStatus;
  last_error: string | null;
  updated_at: string;
}

export const CHECKPOINTS_TABLE = 'consumer_checkpoints';

export const checkpointsSchema = `CREATE TABLE IF NOT EXISTS ${CHECKPOINTS_TABLE} (
  name TEXT NOT NULL,
  generation INTEGER NOT NULL,
  version INTEGER NOT NULL,
  role TEXT NOT NULL,
  position BIGINT NOT NULL,
  status TEXT NOT NULL,
  last_error TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (name, generation))`;

/**
 * Which process is building a generation stream by stream, and how far its pass has got: the checkpoint
 * stays at 0 during that pass, so its compare-and-set cannot tell two processes apart; each of the
 * pass's transactions checks this claim instead (the last process to claim it is the one that goes on)
 * and moves the pass's cursor with its writes. `up_to` is the position the pass reads the log as it
 * stood at; `after_*` the last event applied (none yet while null).
 */
export const STREAM_BUILD_CLAIMS_TABLE = 'stream_build_claims';

const streamBuildClaimsSchema = `CREATE TABLE IF NOT EXISTS ${STREAM_BUILD_CLAIMS_TABLE} (
  name TEXT NOT NULL,
  generation INTEGER NOT NULL,
  claim TEXT NOT NULL,
  up_to BIGINT,
  after_stream_id TEXT,
  after_revision INTEGER,
  PRIMARY KEY (name, generation))`;

/** Columns added to claims tables created before passes could resume (their rows carry no cursor, so such a pass starts again). */
const STREAM_BUILD_CURSOR_COLUMNS = ['up_to BIGINT', 'after_stream_id TEXT', 'after_revision INTEGER'];

/** The last event a stream-by-stream pass applied: it goes on after it. */
export interface StreamCursor {
  readonly streamId: string;
  readonly revision: number;
}

/** Where a claimed stream-by-stream pass starts: from the first stream (`after` undefined) or after an interrupted pass's cursor. */
export interface StreamBuildPass {
  readonly upTo: number;
  readonly after: StreamCursor | undefined;
  /** False when nothing of an earlier pass is kept: the caller empties the tables (leftovers without a cursor). */
  readonly resumed: boolean;
}

interface StreamBuildClaimRow {
  up_to: number | null;
  after_stream_id: string | null;
  after_revision: number | null;
}

const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  name: row.name,
  generation: row.generation,
  version: row.version,
  role: row.role,
  position: row.position,
  status: row.status,
  lastError: row.last_error,
  updatedAt: row.updated_at,
});

export const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** A checkpoint's compare-and-set found it moved: another process handled (and committed) those events. */
export class CheckpointConflictError extends Error {
  constructor(
    readonly consumer: string,
    readonly generation: number,
    readonly expected: number,
  ) {
    super(`Checkpoint of ${consumer}#${generation} was moved by another process (expected ${expected}); is a second projector running?`);
    this.name = 'CheckpointConflictError';
  }
}

/**
 * The checkpoints of every consumer, kept in the read-model database so each one commits in the same
 * transaction as its consumer's writes.
 */
export class Checkpoints {
  constructor(
    private readonly db: ReadModelDatabase,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  async ensureSchema(): Promise<void> {
    await this.db.exec(checkpointsSchema);
    await this.db.exec(streamBuildClaimsSchema);
    await this.addStreamBuildCursor();
  }

  private async addStreamBuildCursor(): Promise<void> {
    const hasCursor = () => this.db.get(`SELECT up_to FROM ${STREAM_BUILD_CLAIMS_TABLE} WHERE 1 = 0`).then(() => true, () => false);
    if (await hasCursor()) return;
    try {
      for (const column of STREAM_BUILD_CURSOR_COLUMNS) await this.db.exec(`ALTER TABLE ${STREAM_BUILD_CLAIMS_TABLE} ADD COLUMN ${column}`);
    } catch (error) {
      // Another process starting at the same moment may have added them first.
      if (!(await hasCursor())) throw error;
    }
  }

  /**
   * Claims the stream-by-stream build of a generation for this process (taking it from any other), in
   * the caller's transaction, and answers where the pass starts. Answers undefined, claiming nothing, if
   * the generation's checkpoint has left 0 meanwhile (another process finished the pass): its tables are
   * then a whole read model, not leftovers. The claim is written before the checkpoint and the cursor are
   * read, so a batch committing at that moment is either seen or waited for (its transaction holds the
   * claim row). An interrupted pass is resumed after its cursor, reading the log up to the same position;
   * a pass with nothing kept starts from the first stream, up to `head`.
   */
  async claimStreamBuild(session: SqlSession, name: string, generation: number, claim: string, head: number): Promise<StreamBuildPass | undefined> {
    await session.run(
      `INSERT INTO ${STREAM_BUILD_CLAIMS_TABLE} (name, generation, claim) VALUES (?, ?, ?) ON CONFLICT (name, generation) DO UPDATE SET claim = excluded.claim`,
      [name, generation, claim],
    );
    const checkpoint = await this.get(name, generation, session);
    if (Number(checkpoint?.position) !== 0) return undefined;
    const row = await session.get<StreamBuildClaimRow>(`SELECT up_to, after_stream_id, after_revision FROM ${STREAM_BUILD_CLAIMS_TABLE} WHERE name = ? AND generation = ?`, [
      name, generation,
    ]);
    if (row?.up_to !== null && row?.up_to !== undefined) {
      const after = row.after_stream_id === null ? undefined : { streamId: row.after_stream_id, revision: Number(row.after_revision) };
      return { upTo: Number(row.up_to), after, resumed: true };
    }
    await session.run(`UPDATE ${STREAM_BUILD_CLAIMS_TABLE} SET up_to = ?, after_stream_id = NULL, after_revision = NULL WHERE name = ? AND generation = ?`, [head, name, generation]);
    return { upTo: head, after: undefined, resumed: false };
  }

  /**
   * In the pass's transaction: throws (rolling it back) unless the claim and a checkpoint still at 0 are
   * this process's; moves the pass's cursor to `after` (the last event the transaction applies) if given.
   * The check is a write to the claim row, so it holds the row's lock until the transaction ends: a
   * second process's claim waits for this batch to commit (and then resumes after it) instead of
   * slipping in between the check and the batch's writes.
   */
  async assertStreamBuildClaim(session: SqlSession, name: string, generation: number, claim: string, after?: StreamCursor): Promise<void> {
    const held = after
      ? await session.run(`UPDATE ${STREAM_BUILD_CLAIMS_TABLE} SET after_stream_id = ?, after_revision = ? WHERE name = ? AND generation = ? AND claim = ?`, [
          after.streamId, after.revision, name, generation, claim,
        ])
      : await session.run(`UPDATE ${STREAM_BUILD_CLAIMS_TABLE} SET claim = claim WHERE name = ? AND generation = ? AND claim = ?`, [name, generation, claim]);
    const checkpoint = await this.get(name, generation, session);
    if (held !== 1 || Number(checkpoint?.position) !== 0) {
      throw new Error(`Another process took over building ${name}#${generation} stream by stream; is a second projector running?`);
    }
  }

  async releaseStreamBuild(session: SqlSession, name: string, generation: number): Promise<void> {
    await session.run(`DELETE FROM ${STREAM_BUILD_CLAIMS_TABLE} WHERE name = ? AND generation = ?`, [name, generation]);
  }

  async all(): Promise<Checkpoint[]> {
    const rows = await this.db.all<CheckpointRow>(`SELECT * FROM ${CHECKPOINTS_TABLE} WHERE role <> 'retired' ORDER BY name, generation`);
    return rows.map(toCheckpoint);
  }

  async of(name: string, role: GenerationRole, session: SqlSession = this.db): Promise<Checkpoint | undefined> {
    const row = await session.get<CheckpointRow>(`SELECT * FROM ${CHECKPOINTS_TABLE} WHERE name = ? AND role = ? ORDER BY generation DESC LIMIT 1`, [name, role]);
    return row && toCheckpoint(row);
  }

  /** Generations retired by a swap whose tables have not been dropped yet. */
  async retired(name: string): Promise<Checkpoint[]> {
    const rows = await this.db.all<CheckpointRow>(`SELECT * FROM ${CHECKPOINTS_TABLE} WHERE name = ? AND role = 'retired' ORDER BY generation`, [name]);
    return rows.map(toCheckpoint);
  }

  async get(name: string, generation: number, session: SqlSession = this.db): Promise<Checkpoint | undefined> {
    const row = await session.get<CheckpointRow>(`SELECT * FROM ${CHECKPOINTS_TABLE} WHERE name = ? AND generation = ?`, [name, generation]);
    return row && toCheckpoint(row);
  }

  async create(name: string, generation: number, version: number, role: GenerationRole, position = 0): Promise<Checkpoint> {
    await this.db.run(
      `INSERT INTO ${CHECKPOINTS_TABLE} (name, generation, version, role, position, status, last_error, updated_at) VALUES (?, ?, ?, ?, ?, 'running', NULL, ?)
       ON CONFLICT (name, generation) DO NOTHING`,
      [name, generation, version, role, position, this.now()],
    );
    const created = await this.get(name, generation);
    if (!created) throw new Error(`Checkpoint ${name}#${generation} could not be created`);
    return created;
  }

  async markRunning(name: string, generation: number, version: number): Promise<void> {
    await this.db.run(`UPDATE ${CHECKPOINTS_TABLE} SET status = 'running', version = ?, last_error = NULL, updated_at = ? WHERE name = ? AND generation = ?`, [
      version, this.now(), name, generation,
    ]);
  }

  /** Moves a consumer back to the start of the log (its tables were emptied with it). */
  async reset(session: SqlSession, name: string, generation: number, version: number): Promise<void> {
    await session.run(`UPDATE ${CHECKPOINTS_TABLE} SET position = 0, version = ?, status = 'running', last_error = NULL, updated_at = ? WHERE name = ? AND generation = ?`, [
      version, this.now(), name, generation,
    ]);
  }

  /** Records a failure without moving the position. */
  async fail(name: string, generation: number, error: unknown): Promise<void> {
    await this.db.run(`UPDATE ${CHECKPOINTS_TABLE} SET status = 'failed', last_error = ?, updated_at = ? WHERE name = ? AND generation = ?`, [
      describeError(error), this.now(), name, generation,
    ]);
  }

  async stop(name: string, generation: number): Promise<void> {
    await this.db.run(`UPDATE ${CHECKPOINTS_TABLE} SET status = 'stopped', updated_at = ? WHERE name = ? AND generation = ? AND status = 'running'`, [this.now(), name, generation]);
  }

  /**
   * Compare-and-set: the checkpoint moves only from where this consumer left it. If another process
   * moved it, the caller's transaction rolls back and the consumer stops rather than apply events twice.
   */
  async advance(session: SqlSession, name: string, generation: number, from: number, to: number): Promise<void> {
    const moved = await session.run(
      `UPDATE ${CHECKPOINTS_TABLE} SET position = ?, status = 'running', last_error = NULL, updated_at = ? WHERE name = ? AND generation = ? AND position = ?`,
      [to, this.now(), name, generation, from],
    );
    if (moved !== 1) throw new CheckpointConflictError(name, generation, from);
  }

  /** Asks the process running `name` to build a new generation beside the live one; resolves with it. */
  async requestRebuild(name: string, version: number): Promise<Checkpoint> {
    const building = await this.of(name, 'building');
    if (building) return building;
    const latest = await this.db.get<{ generation: number | null }>(`SELECT MAX(generation) AS generation FROM ${CHECKPOINTS_TABLE} WHERE name = ?`, [name]);
    return this.create(name, (latest?.generation ?? 0) + 1, version, 'building');
  }

  /** The building generation becomes live and the live one retired, in the caller's transaction. */
  async swap(session: SqlSession, name: string, building: number): Promise<void> {
    await session.run(`UPDATE ${CHECKPOINTS_TABLE} SET role = 'retired', status = 'stopped', updated_at = ? WHERE name = ? AND role = 'live'`, [this.now(), name]);
    await session.run(`UPDATE ${CHECKPOINTS_TABLE} SET role = 'live', updated_at = ? WHERE name = ? AND generation = ?`, [this.now(), name, building]);
  }

  async forget(name: string, generation: number): Promise<void> {
    await this.db.run(`DELETE FROM ${CHECKPOINTS_TABLE} WHERE name = ? AND generation = ?`, [name, generation]);
    await this.db.run(`DELETE FROM ${STREAM_BUILD_CLAIMS_TABLE} WHERE name = ? AND generation = ?`, [name, generation]);
  }
}
