import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiKeyStore } from '@ecf/runtime';
import { ProblemException } from '../problem/problem';
import { AuthenticatedRequest, PERMISSION_KEY, PUBLIC_KEY } from './auth.decorators';
import { Permission, PERMISSIONS, roleMay } from './permissions';

/** Bearer API keys: 401 without a valid key, 403 when the key's role may not use the route. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!permission) throw new ProblemException(403, 'FORBIDDEN', 'This route is not open to API keys.');

    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const principal = scheme === 'Bearer' && token ? this.keys.authenticate(token) : null;
    if (!principal) {
      throw new ProblemException(401, 'UNAUTHENTICATED', 'Send a valid API key as `Authorization: Bearer <key>`.', {
        nextStep: 'Ask an administrator for a key (`ecf keys create`).',
      });
    }
    if (!roleMay(principal.role, permission)) {
      throw new ProblemException(403, 'FORBIDDEN_ROLE', `The ${principal.role} role may not ${permission}.`, {
        rule: `${permission} is open to: ${PERMISSIONS[permission].join(', ')}.`,
      });
    }
    request.principal = principal;
    return true;
  }
}
