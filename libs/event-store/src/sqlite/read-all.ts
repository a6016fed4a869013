import type { Database } from 'better-sqlite3';
import { ReadAllOptions, RecordedEvent } from '../event-store.port';
import { EVENT_COLUMNS, EventRow, toRecordedEvent } from './event-row';
import { toLimit } from './normalise';

export type ReadAll = (options: ReadAllOptions) => RecordedEvent[];

/** A default page size keeps a reader that forgot maxCount from loading the whole log into memory. */
export const DEFAULT_READ_ALL_COUNT = 1000;

export function prepareReadAll(db: Database): ReadAll {
  const select = db.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
  return (options) => select.all(options.after ?? 0, toLimit(options.maxCount, DEFAULT_READ_ALL_COUNT)).map(toRecordedEvent);
}
