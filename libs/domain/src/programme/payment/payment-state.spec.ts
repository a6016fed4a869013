import { paymentStateOn } from './payment-state';

const spring = { windowStart: '2026-01-01', engagementCountsUntil: '2026-03-31' };

describe('Payment state on a date (the stored row read against the injected clock)', () => {
  it('Rule: an eligible milestone reads eligible', () => expect(paymentStateOn({ ...spring, eligible: true, reason: 'engaged' }, '2026-02-01')).toBe('eligible'));

  describe('Rule: a window that has not opened is not reported as “no engagement”', () => {
    it('reads window-not-open before the window starts', () =>
      expect(paymentStateOn({ ...spring, eligible: false, reason: 'no-engagement-while-active' }, '2025-12-31')).toBe('window-not-open'));
    it('reads window-not-open for a future window whatever holds it', () => expect(paymentStateOn({ ...spring, eligible: false, reason: 'deferred' }, '2025-12-31')).toBe('window-not-open'));
  });

  describe('Rule: an open window awaits engagement; a closed one without it is not eligible', () => {
    it('reads window-open on its last counting day', () =>
      expect(paymentStateOn({ ...spring, eligible: false, reason: 'no-engagement-while-active' }, '2026-03-31')).toBe('window-open'));
    it('reads not-eligible the day after', () => expect(paymentStateOn({ ...spring, eligible: false, reason: 'no-engagement-while-active' }, '2026-04-01')).toBe('not-eligible'));
    it('keeps a last window with no deadline open', () =>
      expect(paymentStateOn({ windowStart: '2027-04-01', engagementCountsUntil: null, eligible: false, reason: 'no-engagement-while-active' }, '2028-01-01')).toBe('window-open'));
    it('reads not-eligible inside an open window for a participant withdrawn before engaging in it (seed 004: "No payment will be received for a withdrawn participant if they haven’t engaged in the payment window they were active in")', () =>
      expect(paymentStateOn({ ...spring, eligible: false, reason: 'withdrawn-before-engaging' }, '2026-02-01')).toBe('not-eligible'));
    it('reads not-eligible inside an open window the participant cannot earn (deferred)', () =>
      expect(paymentStateOn({ ...spring, eligible: false, reason: 'deferred' }, '2026-02-01')).toBe('not-eligible'));
  });
});
