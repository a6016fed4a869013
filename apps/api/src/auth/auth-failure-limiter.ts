import { DEFAULT_IPV6_SUBNET_PREFIX, normalizeIp } from '@nestjs/throttler';
import type { Request } from 'express';
import { FixedWindowCounter } from './fixed-window-counter';

const MINUTE_MS = 60_000;

/**
 * The client a failed authentication is counted against: Express's `req.ip`, which is the connection's
 * own address unless TRUST_PROXY names the proxies allowed to report it in X-Forwarded-For. An IPv6
 * client counts by its /64, the block one host is usually given.
 */
export const clientAddress = (request: Request): string => (request.ip ? normalizeIp(request.ip, DEFAULT_IPV6_SUBNET_PREFIX) : 'unknown');

/**
 * Failed authentications per client address, in fixed one-minute windows (AUTH_FAILURE_LIMIT_PER_MINUTE).
 * Only failures are counted, and only failures are refused: a request with a valid key is never
 * counted or held back, so the people behind a shared address (an office, a proxy) keep working while
 * someone there tries bad keys. Counted in this process; several API processes each count their own.
 */
export class AuthFailureLimiter {
  private readonly counter: FixedWindowCounter;

  constructor(
    readonly limitPerMinute: number,
    now: () => number = Date.now,
  ) {
    this.counter = new FixedWindowCounter(now);
  }

  /** Counts one failed authentication from `address`: the seconds it must wait when over the limit, else null. */
  recordFailure(address: string): number | null {
    const { overLimit, secondsLeft } = this.counter.hit(address, MINUTE_MS, this.limitPerMinute);
    return overLimit ? secondsLeft : null;
  }
}
