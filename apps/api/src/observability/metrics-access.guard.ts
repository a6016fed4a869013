import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyStore, AppConfig, Role } from '@ecf/runtime';
import { AuthFailureLimiter, clientAddress } from '../auth/auth-failure-limiter';
import { APP_CONFIG } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';

/** The roles whose keys may read /metrics when METRICS_ACCESS=key: operators and read-only reporting, none with personal data. */
export const METRICS_ROLES: readonly Role[] = ['admin', 'reporting'];

/**
 * /metrics is open like /health by default (METRICS_ACCESS=public): Prometheus scrapes without a
 * secret, and the figures hold no personal data. With METRICS_ACCESS=key it wants the bearer key of an
 * admin or reporting role (Prometheus's `authorization` setting); failed attempts count towards the
 * address's limit on failed authentications like any other. Never rate-limited per key.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
    @Inject(AuthFailureLimiter) private readonly failures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.config.metricsAccess === 'public') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const principal = scheme === 'Bearer' && token ? await this.keys.authenticate(token) : null;
    if (!principal) {
      const retryAfter = this.failures.recordFailure(clientAddress(request));
      if (retryAfter !== null) {
        context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>().setHeader('Retry-After', String(retryAfter));
        throw new ProblemException(429, 'RATE_LIMITED', `Too many failed authentications from this address: more than ${this.failures.limitPerMinute} a minute.`);
      }
      throw new ProblemException(401, 'UNAUTHENTICATED', 'METRICS_ACCESS=key: send the API key of an admin or reporting role as `Authorization: Bearer <key>`.');
    }
    if (!METRICS_ROLES.includes(principal.role)) {
      throw new ProblemException(403, 'FORBIDDEN_ROLE', `The ${principal.role} role may not read metrics.`, { rule: `Metrics are open to: ${METRICS_ROLES.join(', ')}.` });
    }
    return true;
  }
}
