import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ApiKeyStore } from '@ecf/runtime';
import { ProblemException } from '../problem/problem';
import { AuthenticatedRequest, PERMISSION_KEY, PUBLIC_KEY } from './auth.decorators';
import { AuthFailureLimiter, clientAddress } from './auth-failure-limiter';
import { Permission, PERMISSIONS, roleMay } from './permissions';

/**
 * Bearer API keys: 401 without a valid key, 403 when the key's role may not use the route. Failed
 * authentications are counted per client address; past the limit they are answered 429 instead of 401,
 * while requests with a valid key from the same address go on being served.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
    @Inject(AuthFailureLimiter) private readonly failures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!permission) throw new ProblemException(403, 'FORBIDDEN', 'This route is not open to API keys.');

    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const principal = scheme === 'Bearer' && token ? await this.keys.authenticate(token) : null;
    if (!principal) throw this.refusal(request, context.switchToHttp().getResponse<Response>());
    if (!roleMay(principal.role, permission)) {
      throw new ProblemException(403, 'FORBIDDEN_ROLE', `The ${principal.role} role may not ${permission}.`, {
        rule: `${permission} is open to: ${PERMISSIONS[permission].join(', ')}.`,
      });
    }
    request.principal = principal;
    return true;
  }

  private refusal(request: Request, response: Response): ProblemException {
    const retryAfter = this.failures.recordFailure(clientAddress(request));
    if (retryAfter === null) {
      return new ProblemException(401, 'UNAUTHENTICATED', 'Send a valid API key as `Authorization: Bearer <key>`.', {
        nextStep: 'Ask an administrator for a key (`ecf keys create`).',
      });
    }
    response.setHeader('Retry-After', String(retryAfter));
    return new ProblemException(429, 'RATE_LIMITED', `Too many failed authentications from this address: more than ${this.failures.limitPerMinute} a minute.`, {
      nextStep: 'Check the API key sent as `Authorization: Bearer <key>`, and retry after the seconds in Retry-After.',
    });
  }
}
