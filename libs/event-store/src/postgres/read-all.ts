import type { Pool } from 'pg';
import { ReadAllOptions, RecordedEvent, StoredJsonEvent } from '../event-store.port';
import { DEFAULT_READ_ALL_COUNT } from '../sqlite/read-all';
import { EVENT_COLUMNS, EventRow, toRecordedEvent, toStoredJsonEvent } from './event-row';
import { toLimit } from './read-limit';

export type ReadAll = (options: ReadAllOptions) => Promise<RecordedEvent[]>;
export type ReadAllJson = (options: ReadAllOptions) => Promise<(StoredJsonEvent | RecordedEvent)[]>;

/**
 * Plain position order is safe to resume from with a single number: the append lock makes positions
 * visible in order (ADR 0008), so nothing can later appear below a position a reader has seen.
 */
async function selectPage(pool: Pool, options: ReadAllOptions): Promise<EventRow[]> {
  const after = options.after ?? 0;
  const limit = toLimit(options.maxCount, DEFAULT_READ_ALL_COUNT);
  const { rows } = await pool.query<EventRow>(
    options.types === undefined
      ? { name: 'read-all', text: `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`, values: [after, limit] }
      : {
          name: 'read-all-of-types',
          // `type || ''` keeps the planner on the position key, where a page stops at its limit, rather than
          // gathering and sorting each type's events to the end of the log through (type, position).
          text: `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 AND type || '' = ANY($3::text[]) ORDER BY position LIMIT $2`,
          values: [after, limit, options.types],
        },
  );
  return rows;
}

export function prepareReadAll(pool: Pool): ReadAll {
  return async (options) => (await selectPage(pool, options)).map(toRecordedEvent);
}

export function prepareReadAllJson(pool: Pool): ReadAllJson {
  return async (options) => (await selectPage(pool, options)).map(toStoredJsonEvent);
}
