import type { Database, Statement } from 'better-sqlite3';
import { ReadAllOptions, RecordedEvent, StoredJsonEvent } from '../event-store.port';
import { EVENT_COLUMNS, EventRow, EventTuple, toRecordedEvent, toStoredJsonEvent } from './event-row';
import { toLimit } from './normalise';

export type ReadAll = (options: ReadAllOptions) => RecordedEvent[];
export type ReadAllJson = (options: ReadAllOptions) => (StoredJsonEvent | RecordedEvent)[];

/** A default page size keeps a reader that forgot maxCount from loading the whole log into memory. */
export const DEFAULT_READ_ALL_COUNT = 1000;

const SELECT_PAGE = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`;
// The types go as one JSON array, so one statement serves any list. `+type` keeps the planner off the
// (type, position) index: through it, every page would gather and sort each type's events to the end
// of the log; along the position key a page stops at its limit.
const SELECT_PAGE_OF_TYPES = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND +type IN (SELECT value FROM json_each(?)) ORDER BY position LIMIT ?`;

/** The rows of a page of `$all` from the two statements, as objects or (raw) as arrays. */
function selectPage<Row>(select: Statement<[number, number], Row>, selectOfTypes: Statement<[number, string, number], Row>): (options: ReadAllOptions) => Row[] {
  return (options) => {
    const after = options.after ?? 0;
    const limit = toLimit(options.maxCount, DEFAULT_READ_ALL_COUNT);
    return options.types === undefined ? select.all(after, limit) : selectOfTypes.all(after, JSON.stringify(options.types), limit);
  };
}

export function prepareReadAll(db: Database): ReadAll {
  const rows = selectPage(db.prepare<[number, number], EventRow>(SELECT_PAGE), db.prepare<[number, string, number], EventRow>(SELECT_PAGE_OF_TYPES));
  return (options) => rows(options).map(toRecordedEvent);
}

export function prepareReadAllJson(db: Database): ReadAllJson {
  // Rows as arrays: better-sqlite3 builds no object per row, which was most of the cost of a page.
  const rows = selectPage(db.prepare<[number, number], EventTuple>(SELECT_PAGE).raw(true), db.prepare<[number, string, number], EventTuple>(SELECT_PAGE_OF_TYPES).raw(true));
  return (options) => rows(options).map(toStoredJsonEvent);
}
