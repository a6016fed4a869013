import type { Pool } from 'pg';
import { ReadByStreamOptions, RecordedEvent } from '../event-store.port';
import { DEFAULT_READ_ALL_COUNT } from '../sqlite/read-all';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-row';
import { toLimit } from './read-limit';

export type ReadByStream = (options: ReadByStreamOptions) => Promise<RecordedEvent[]>;

/**
 * A scan of the (stream_id, revision) index resumed after the last event read (keyset), in the
 * index's own order whatever the database's collation; the prefix is a filter rather than a range,
 * because under a linguistic collation the ids with a prefix need not sort together.
 */
export function prepareReadByStream(pool: Pool): ReadByStream {
  return async (options) => {
    if (options.streamPrefix.length === 0) throw new RangeError('streamPrefix must not be empty');
    const after = options.after ?? { streamId: '', revision: -1 };
    const { rows } = await pool.query<EventRow>({
      name: 'read-by-stream',
      text: `SELECT ${EVENT_COLUMNS} FROM events
             WHERE (stream_id, revision) > ($1, $2) AND left(stream_id, length($3)) = $3 AND position <= $4
             ORDER BY stream_id, revision LIMIT $5`,
      values: [after.streamId, after.revision, options.streamPrefix, options.upTo, toLimit(options.maxCount, DEFAULT_READ_ALL_COUNT)],
    });
    return rows.map(toRecordedEvent);
  };
}
