import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Principal } from '@ecf/runtime';
import { Permission, PERMISSIONS } from './permissions';

export const PERMISSION_KEY = 'ecf:permission';
export const PUBLIC_KEY = 'ecf:public';

/**
 * The permission (row of PERMISSIONS) a route requires. It is also published in the OpenAPI document
 * (`x-required-permission`, `x-allowed-roles`), so the documentation and the authorisation tests read
 * the same table the guard enforces.
 */
export const RequiresPermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiExtension('x-required-permission', permission),
    ApiExtension('x-allowed-roles', [...PERMISSIONS[permission]]),
  );
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
