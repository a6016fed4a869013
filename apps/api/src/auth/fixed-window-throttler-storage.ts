import { ThrottlerStorage } from '@nestjs/throttler';
import { FixedWindowCounter } from './fixed-window-counter';

/** The package does not export its record type from its root. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * A counter per key and fixed window (RATE_LIMIT_PER_MINUTE requests a minute, counted from the key's
 * first request in the window). The throttler's own in-memory store keeps one expiry time per hit and
 * filters the list on every request (CPU growing with the limit), and its `Math.min(...hits)` throws a
 * RangeError past about 125 000 hits in a window — a 500 for a limit the configuration allows.
 * Over the limit, a request is refused until the window ends; blocking longer (`blockDuration`) is not used.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly counter: FixedWindowCounter;

  constructor(now: () => number = Date.now) {
    this.counter = new FixedWindowCounter(now);
  }

  increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const { hits, secondsLeft, overLimit } = this.counter.hit(`${throttlerName}:${key}`, ttl, limit);
    return Promise.resolve({ totalHits: hits, timeToExpire: secondsLeft, isBlocked: overLimit, timeToBlockExpire: overLimit ? secondsLeft : 0 });
  }
}
