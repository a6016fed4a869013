import type { Database } from 'better-sqlite3';
import { ReadByStreamOptions, RecordedEvent } from '../event-store.port';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-row';
import { toLimit } from './normalise';
import { DEFAULT_READ_ALL_COUNT } from './read-all';

/**
 * The half-open range of ids that start with `prefix` under SQLite's binary collation: every such id
 * is ≥ the prefix and < the prefix with its last character's code incremented.
 */
function streamPrefixRange(prefix: string): { readonly from: string; readonly before: string } {
  if (prefix.length === 0) throw new RangeError('streamPrefix must not be empty');
  const last = prefix.charCodeAt(prefix.length - 1);
  return { from: prefix, before: `${prefix.slice(0, -1)}${String.fromCharCode(last + 1)}` };
}

export type ReadByStream = (options: ReadByStreamOptions) => RecordedEvent[];

/**
 * A range scan of the (stream_id, revision) index, resumed after the last event read (keyset). The row
 * value is the scan's lower bound (SQLite seeks to it); a bare `stream_id >= prefix` would make every
 * page scan again from the first stream.
 */
export function prepareReadByStream(db: Database): ReadByStream {
  const select = db.prepare<[string, number, string, number, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE (stream_id, revision) > (?, ?) AND stream_id < ? AND position <= ?
     ORDER BY stream_id, revision LIMIT ?`,
  );
  return (options) => {
    const { from, before } = streamPrefixRange(options.streamPrefix);
    const after = options.after !== undefined && options.after.streamId >= from ? options.after : { streamId: from, revision: -1 };
    return select.all(after.streamId, after.revision, before, options.upTo, toLimit(options.maxCount, DEFAULT_READ_ALL_COUNT)).map(toRecordedEvent);
  };
}
