import { isAfter } from '../../shared/calendar';
import { ReleaseRow } from './release-schedule';

export type ReleaseState = 'released' | 'released-at-resume' | 'scheduled' | 'held' | 'not-released-withdrawn';

/**
 * A stored release row read against a date (the injected clock's today). Content held by a pause is
 * only "held" once its due date has come: until then the ECT may have resumed. Everything a
 * deferral holds is held from the deferral date (seed 004).
 */
export function releaseStateOn(row: Pick<ReleaseRow, 'dueDate' | 'releaseDate' | 'reason'>, today: string): ReleaseState {
  if (row.reason === 'not-released-withdrawn') return 'not-released-withdrawn';
  if (row.releaseDate === null) return row.reason === 'held-by-pause' && isAfter(row.dueDate, today) ? 'scheduled' : 'held';
  if (isAfter(row.releaseDate, today)) return 'scheduled';
  return row.reason === 'released-at-resume' ? 'released-at-resume' : 'released';
}
