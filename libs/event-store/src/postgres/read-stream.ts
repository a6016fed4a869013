import type { Pool } from 'pg';
import { ReadStreamOptions, RecordedEvent } from '../event-store.port';
import { toIsoInstant } from '../sqlite/normalise';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-row';
import { toLimit } from './read-limit';

export type ReadStream = (streamId: string, options: ReadStreamOptions) => Promise<RecordedEvent[]>;

/** One statement for every option combination: absent filters bind NULL and drop out. */
export function prepareReadStream(pool: Pool): ReadStream {
  return async (streamId, options) => {
    const { rows } = await pool.query<EventRow>({
      name: 'read-stream',
      text: `SELECT ${EVENT_COLUMNS} FROM events
             WHERE stream_id = $1
               AND revision >= $2
               AND ($3::timestamptz IS NULL OR recorded_at <= $3::timestamptz)
             ORDER BY revision
             LIMIT $4`,
      values: [
        streamId,
        options.fromRevision ?? 0,
        // Parsed here, as the other adapters do, so every adapter accepts the same instants.
        options.recordedAtOrBefore === undefined ? null : toIsoInstant(options.recordedAtOrBefore),
        toLimit(options.maxCount, null),
      ],
    });
    return rows.map(toRecordedEvent);
  };
}
