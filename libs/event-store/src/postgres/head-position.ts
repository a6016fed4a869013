import type { Pool } from 'pg';

export type HeadPosition = () => Promise<number>;

/**
 * The highest visible position. Under the append lock (ADR 0008) every lower position is already
 * visible or will never exist, so this is a safe target for `waitUntilCaughtUp`.
 */
export function prepareHeadPosition(pool: Pool): HeadPosition {
  return async () => {
    const { rows } = await pool.query<{ position: string }>({ name: 'head-position', text: 'SELECT COALESCE(MAX(position), 0) AS position FROM events' });
    return Number(rows[0].position);
  };
}
