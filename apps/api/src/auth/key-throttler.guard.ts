import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { ProblemException } from '../problem/problem';
import { AuthenticatedRequest } from './auth.decorators';

/**
 * Rate limiting per API key (runs after ApiKeyGuard has identified the caller), so one integration
 * cannot starve the others; requests without a key (health, docs, schemas) count per address.
 */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { principal, ip } = request as unknown as Request & AuthenticatedRequest;
    return Promise.resolve(principal ? `key:${principal.keyId}` : `ip:${ip ?? 'unknown'}`);
  }

  /** A problem with a stable code, not the package's "ThrottlerException: Too Many Requests"; the guard has set Retry-After. */
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const caller = detail.tracker.startsWith('key:') ? 'this API key' : 'this address';
    return Promise.reject(
      new ProblemException(429, 'RATE_LIMITED', `More than ${detail.limit} requests a minute from ${caller}.`, { nextStep: 'Retry after the seconds in Retry-After.' }),
    );
  }
}
