import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ROLES, type Principal } from '@ecf/runtime';
import { CurrentPrincipal, RequiresPermission } from './auth.decorators';
import { Permission, PERMISSIONS, permissionsOf, SEES_PERSONAL_DATA } from './permissions';

export class CallerView {
  @ApiProperty({ example: '3f2a9c1d0b7e4a55', description: 'The key’s id, as recorded as the actor of its commands' }) keyId!: string;
  @ApiProperty({ example: 'Lee Lead' }) name!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ type: [String], example: ['123456'], description: 'Induction tutors: the schools they act for' }) schoolUrns!: string[];
  @ApiPropertyOptional({ nullable: true, example: 'dp-north', description: 'ECF Leads: the delivery partner they act for' }) deliveryPartnerId!: string | null;
  @ApiProperty({ description: 'Whether answers include names, dates of birth and emails' }) seesPersonalData!: boolean;
  @ApiProperty({
    enum: Object.keys(PERMISSIONS),
    isArray: true,
    description: 'The permissions of the key’s role — the `x-required-permission` of each operation it may call',
  })
  permissions!: Permission[];
}

export const toCallerView = (principal: Principal): CallerView => ({
  keyId: principal.keyId,
  name: principal.name,
  role: principal.role,
  schoolUrns: [...principal.schoolUrns],
  deliveryPartnerId: principal.deliveryPartnerId,
  seesPersonalData: SEES_PERSONAL_DATA.includes(principal.role),
  permissions: permissionsOf(principal.role),
});

/** Who the caller is, so a client (the web console) offers only what the key's role and scope allow. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  @RequiresPermission('ReadOwnKey')
  @ApiOperation({
    summary: 'The calling API key: name, role, scope and the permissions its role holds',
    description: 'The permissions come from the same table the guard enforces; the API still decides every request (scope: 404, role: 403).',
  })
  @ApiResponse({ status: 200, type: CallerView })
  me(@CurrentPrincipal() principal: Principal): CallerView {
    return toCallerView(principal);
  }
}
