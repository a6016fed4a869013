import { isAfter, isBefore } from '../../shared/calendar';
import { PaymentEligibilityRow } from './payment-eligibility';

export type PaymentState = 'eligible' | 'not-eligible' | 'window-not-open' | 'window-open';

/**
 * A stored eligibility row read against a date (the injected clock's today), so a window that has not
 * opened, or is open and awaiting engagement, is not reported as "no engagement".
 */
export function paymentStateOn(row: Pick<PaymentEligibilityRow, 'eligible' | 'reason' | 'windowStart' | 'engagementCountsUntil'>, today: string): PaymentState {
  if (row.eligible) return 'eligible';
  if (isBefore(today, row.windowStart)) return 'window-not-open';
  const stillCounting = row.engagementCountsUntil === null || !isAfter(today, row.engagementCountsUntil);
  return stillCounting && row.reason === 'no-engagement-while-active' ? 'window-open' : 'not-eligible';
}
