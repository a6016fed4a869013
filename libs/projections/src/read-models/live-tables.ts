import { CHECKPOINTS_TABLE } from '../engine/checkpoints';
import { generationTable, TableName } from '../engine/projection';
import { SqlSession } from './sql-database';

/** The projection has no live read model yet (never started, or its first build is under way). */
export class ReadModelNotReadyError extends Error {
  constructor(readonly projection: string) {
    super(`The ${projection} read model is not ready yet: its first build has not finished`);
    this.name = 'ReadModelNotReadyError';
  }
}

/**
 * The tables of a projection's live generation. Queries look it up each time (a primary-key read), so
 * they follow a swap made by any process.
 */
export async function liveTables(db: SqlSession, projection: string): Promise<TableName> {
  const live = await db.get<{ generation: number }>(`SELECT generation FROM ${CHECKPOINTS_TABLE} WHERE name = ? AND role = 'live'`, [projection]);
  if (!live) throw new ReadModelNotReadyError(projection);
  return generationTable(live.generation);
}
