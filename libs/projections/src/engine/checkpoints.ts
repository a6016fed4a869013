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
 * Which process is building a generation stream by stream: the checkpoint stays at 0 during that pass,
 * so its compare-and-set cannot tell two processes apart; each of the pass's transactions checks this
 * claim instead, and the last process to claim it is the one that goes on.
 */
export const STREAM_BUILD_CLAIMS_TABLE = 'stream_build_claims';

const streamBuildClaimsSchema = `CREATE TABLE IF NOT EXISTS ${STREAM_BUILD_CLAIMS_TABLE} (
  name TEXT NOT NULL,
  generation INTEGER NOT NULL,
  claim TEXT NOT NULL,
  PRIMARY KEY (name, generation))`;

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
  }

  /**
   * Claims the stream-by-stream build of a generation for this process (taking it from any other), in
   * the caller's transaction. Answers false, claiming nothing, if the generation's checkpoint has left
   * 0 meanwhile (another process finished the pass): its tables are then a whole read model, not
   * leftovers to drop. The claim is written before the checkpoint is read, so a pass finishing at that
   * moment is either seen or waited for.
   */
  async claimStreamBuild(session: SqlSession, name: string, generation: number, claim: string): Promise<boolean> {
    await session.run(
      `INSERT INTO ${STREAM_BUILD_CLAIMS_TABLE} (name, generation, claim) VALUES (?, ?, ?) ON CONFLICT (name, generation) DO UPDATE SET claim = excluded.claim`,
      [name, generation, claim],
    );
    const checkpoint = await this.get(name, generation, session);
    return Number(checkpoint?.position) === 0;
  }

  /**
   * In the pass's transaction: throws (rolling it back) unless the claim and a checkpoint still at 0 are
   * this process's. The check is a write to the claim row, so it holds the row's lock until the
   * transaction ends: a second process's claim waits for this batch to commit (and then drops its
   * rows) instead of slipping in between the check and the batch's writes.
   */
  async assertStreamBuildClaim(session: SqlSession, name: string, generation: number, claim: string): Promise<void> {
    const held = await session.run(`UPDATE ${STREAM_BUILD_CLAIMS_TABLE} SET claim = claim WHERE name = ? AND generation = ? AND claim = ?`, [name, generation, claim]);
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
