import type { Database } from 'better-sqlite3';
import { ReadStreamOptions, RecordedEvent } from '../event-store.port';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-row';
import { NO_LIMIT, toIsoInstant, toLimit } from './normalise';

export type ReadStream = (streamId: string, options: ReadStreamOptions) => RecordedEvent[];

/** One statement for every option combination: absent filters bind NULL / -1 and drop out. */
export function prepareReadStream(db: Database): ReadStream {
  const select = db.prepare<{ streamId: string; fromRevision: number; recordedAtOrBefore: string | null; limit: number }, EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE stream_id = @streamId
       AND revision >= @fromRevision
       AND (@recordedAtOrBefore IS NULL OR recorded_at <= @recordedAtOrBefore)
     ORDER BY revision
     LIMIT @limit`,
  );
  return (streamId, options) =>
    select
      .all({
        streamId,
        fromRevision: options.fromRevision ?? 0,
        recordedAtOrBefore: options.recordedAtOrBefore === undefined ? null : toIsoInstant(options.recordedAtOrBefore),
        limit: toLimit(options.maxCount, NO_LIMIT),
      })
      .map(toRecordedEvent);
}
