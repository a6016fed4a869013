import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
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
}
