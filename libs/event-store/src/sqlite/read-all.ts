import type { Database } from 'better-sqlite3';
import { ReadAllOptions, RecordedEvent, StoredJsonEvent } from '../event-store.port';
import { EVENT_COLUMNS, EventRow, toRecordedEvent, toStoredJsonEvent } from './event-row';
import { toLimit } from './normalise';

export type ReadAll = (options: ReadAllOptions) => RecordedEvent[];
export type ReadAllJson = (options: ReadAllOptions) => (StoredJsonEvent | RecordedEvent)[];

/** A default page size keeps a reader that forgot maxCount from loading the whole log into memory. */
export const DEFAULT_READ_ALL_COUNT = 1000;

/** The rows of a page of `$all`, for either reading. */
function prepareSelectPage(db: Database): (options: ReadAllOptions) => EventRow[] {
  const select = db.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
  // The types go as one JSON array, so one statement serves any list. `+type` keeps the planner off the
  // (type, position) index: through it, every page would gather and sort each type's events to the end
  // of the log; along the position key a page stops at its limit.
  const selectOfTypes = db.prepare<[number, string, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND +type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?`,
  );
  return (options) => {
    const after = options.after ?? 0;
    const limit = toLimit(options.maxCount, DEFAULT_READ_ALL_COUNT);
    return options.types === undefined ? select.all(after, limit) : selectOfTypes.all(after, JSON.stringify(options.types), limit);
  };
}

export function prepareReadAll(db: Database): ReadAll {
  const selectPage = prepareSelectPage(db);
  return (options) => selectPage(options).map(toRecordedEvent);
}

export function prepareReadAllJson(db: Database): ReadAllJson {
  const selectPage = prepareSelectPage(db);
  return (options) => selectPage(options).map(toStoredJsonEvent);
}
