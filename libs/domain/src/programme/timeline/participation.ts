import { isAfter, isBefore } from '../../shared/calendar';
import { ProgrammeTimeline } from './programme-timeline';

/** Why a day does not count towards payment; paused days count (seed 004: engagement metrics continue). */
export type PaymentBlock = 'withdrawn' | 'region-not-covered' | 'deferred';

/** From `from` (inclusive) until `to` (exclusive; null = still open). */
const within = (date: string, from: string, to: string | null): boolean => !isBefore(date, from) && (to === null || isBefore(date, to));

const isWithdrawnOn = (timeline: ProgrammeTimeline, date: string): boolean =>
  timeline.withdrawals.some((withdrawal) => within(date, withdrawal.withdrawalDate, withdrawal.reinstatedOn));

const isDeferredOn = (timeline: ProgrammeTimeline, date: string): boolean =>
  timeline.deferrals.some((deferral) => within(date, deferral.deferralDate, deferral.endDate));

/** The school's region on a date is the last move effective by then; registration needs a covered region. */
function isRegionCoveredOn(timeline: ProgrammeTimeline, date: string): boolean {
  const effective = timeline.regionChanges.filter((change) => !isAfter(change.effectiveDate, date));
  const latest = effective.reduce<(typeof effective)[number] | null>((found, change) => (!found || !isBefore(change.effectiveDate, found.effectiveDate) ? change : found), null);
  return latest?.regionCovered ?? true;
}

/**
 * What stops a day counting towards payment, the most lasting first: a withdrawal (nothing from the
 * withdrawal date, seed 004), a move into a region the lead provider does not cover (no output payments
 * from the move date), a deferral (payments stop from the deferral date and resume on the return date).
 */
export function paymentBlockOn(timeline: ProgrammeTimeline, date: string): PaymentBlock | null {
  if (isWithdrawnOn(timeline, date)) return 'withdrawn';
  if (!isRegionCoveredOn(timeline, date)) return 'region-not-covered';
  if (isDeferredOn(timeline, date)) return 'deferred';
  return null;
}

/** Every date on which a payment block may begin or end: the status is constant between two of them. */
export function paymentStatusChanges(timeline: ProgrammeTimeline): string[] {
  return [
    ...timeline.withdrawals.flatMap((withdrawal) => [withdrawal.withdrawalDate, withdrawal.reinstatedOn]),
    ...timeline.deferrals.flatMap((deferral) => [deferral.deferralDate, deferral.endDate]),
    ...timeline.regionChanges.map((change) => change.effectiveDate),
  ].filter((date): date is string => date !== null);
}
