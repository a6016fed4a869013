import type { Database } from 'better-sqlite3';
import { ReadStreamOptions, RecordedEvent } from '../event-store.port';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-row';
import { toIsoInstant, toLimit } from './normalise';

export type ReadStream = (streamId: string, options: ReadStreamOptions) => RecordedEvent[];

interface StreamParameters {
  streamId: string;
  fromRevision: number;
  recordedAtOrBefore: string | null;
}

const SELECT_STREAM = `SELECT ${EVENT_COLUMNS} FROM events
     WHERE stream_id = @streamId
       AND revision >= @fromRevision
       AND (@recordedAtOrBefore IS NULL OR recorded_at <= @recordedAtOrBefore)
     ORDER BY revision`;

/**
 * Absent filters bind NULL and drop out. A read without maxCount (every command, every participant read)
 * has a statement without LIMIT: a bound LIMIT made the same read of an empty tail about four times slower.
 */
export function prepareReadStream(db: Database): ReadStream {
  const whole = db.prepare<StreamParameters, EventRow>(SELECT_STREAM);
  const limited = db.prepare<StreamParameters & { limit: number }, EventRow>(`${SELECT_STREAM} LIMIT @limit`);
  return (streamId, options) => {
    const parameters: StreamParameters = {
      streamId,
      fromRevision: options.fromRevision ?? 0,
      recordedAtOrBefore: options.recordedAtOrBefore === undefined ? null : toIsoInstant(options.recordedAtOrBefore),
    };
    const rows = options.maxCount === undefined ? whole.all(parameters) : limited.all({ ...parameters, limit: toLimit(options.maxCount, 0) });
    return rows.map(toRecordedEvent);
  };
}
