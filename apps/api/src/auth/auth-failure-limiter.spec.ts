import { AuthFailureLimiter } from './auth-failure-limiter';

describe('AuthFailureLimiter', () => {
  it('lets an address fail up to its limit in a minute, then names the seconds left until the window ends', () => {
    let now = 1_000_000;
    const limiter = new AuthFailureLimiter(3, () => now);
    expect([limiter.recordFailure('203.0.113.7'), limiter.recordFailure('203.0.113.7'), limiter.recordFailure('203.0.113.7')]).toEqual([null, null, null]);
    now += 15_000;
    expect(limiter.recordFailure('203.0.113.7')).toBe(45);
    expect(limiter.recordFailure('198.51.100.1')).toBeNull();
    now += 45_000;
    expect(limiter.recordFailure('203.0.113.7')).toBeNull();
  });
});
