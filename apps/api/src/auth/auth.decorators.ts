import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from '@ecf/runtime';
import type { Permission } from './permissions';

export const PERMISSION_KEY = 'ecf:permission';
export const PUBLIC_KEY = 'ecf:public';

/** The permission (row of PERMISSIONS) a route requires. */
export const RequiresPermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);
/** A route that needs no API key (health, docs). */
export const PublicRoute = () => SetMetadata(PUBLIC_KEY, true);

export interface AuthenticatedRequest {
  principal?: Principal;
}

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Route has no authenticated principal: is it missing @RequiresPermission?');
  return principal;
});
