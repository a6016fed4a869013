import { ThrottlerStorage } from '@nestjs/throttler';

/** The package does not export its record type from its root. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  readonly endsAt: number;
  hits: number;
}

/**
 * A counter per key and fixed window (RATE_LIMIT_PER_MINUTE requests a minute, counted from the key's
 * first request in the window). The throttler's own in-memory store keeps one expiry time per hit and
 * filters the list on every request (CPU growing with the limit), and its `Math.min(...hits)` throws a
 * RangeError past about 125 000 hits in a window — a 500 for a limit the configuration allows.
 * Over the limit, a request is refused until the window ends; blocking longer (`blockDuration`) is not used.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweep(now, ttl);
    const id = `${throttlerName}:${key}`;
    let window = this.windows.get(id);
    if (!window || window.endsAt <= now) {
      window = { endsAt: now + ttl, hits: 0 };
      this.windows.set(id, window);
    }
    window.hits += 1;
    const secondsLeft = Math.ceil((window.endsAt - now) / 1000);
    const isBlocked = window.hits > limit;
    return Promise.resolve({ totalHits: window.hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 });
  }

  /** Forgets ended windows once per window length, so keys that stop calling do not accumulate. */
  private sweep(now: number, ttl: number): void {
    if (now - this.lastSweep < ttl) return;
    this.lastSweep = now;
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
  }
}
