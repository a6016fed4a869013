import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { URN_PATTERN } from '@ecf/domain';
import { listSchoolAlerts, liveTables, ReadModelDatabase, SchoolAlertKind, schoolAlertsProjection } from '@ecf/projections';
import type { Principal } from '@ecf/runtime';
import { CurrentPrincipal, RequiresPermission } from '../auth/auth.decorators';
import { READ_MODEL_DB } from '../infrastructure/tokens';

const ALERT_KINDS: readonly SchoolAlertKind[] = ['no-active-participants', 'no-induction-tutor'];

/** What each alert asks of the reader (seed 004, "Other"). */
const NEXT_STEP: Record<SchoolAlertKind, string> = {
  'no-active-participants': 'The school has no active participants: the ECF Lead tells their DPL.',
  'no-induction-tutor': 'The school has no induction tutor: ask the school to register a replacement.',
};

export class ListAlertsQueryDto {
  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @Matches(URN_PATTERN, { message: 'schoolUrn must be exactly 6 digits' })
  schoolUrn?: string;

  @ApiPropertyOptional({ enum: ALERT_KINDS })
  @IsOptional()
  @IsIn(ALERT_KINDS)
  kind?: SchoolAlertKind;
}

export class AlertView {
  @ApiProperty({ example: '123456' }) schoolUrn!: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind!: SchoolAlertKind;
  @ApiProperty({ format: 'date', description: 'When the school was left so (the effective date of the change)' }) raisedOn!: string;
  @ApiProperty({ format: 'uuid', description: 'The event that left the school so (see the history)' }) causedByEventId!: string;
  @ApiProperty() nextStep!: string;
}

export class AlertList {
  @ApiProperty({ type: [AlertView] }) items!: AlertView[];
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(@Inject(READ_MODEL_DB) private readonly readModels: ReadModelDatabase) {}

  @Get()
  @RequiresPermission('ReadAlerts')
  @ApiOperation({ summary: 'Open alerts for schools in your scope: left with no active participants, or with no induction tutor' })
  @ApiResponse({ status: 200, type: AlertList })
  async list(@CurrentPrincipal() principal: Principal, @Query() filter: ListAlertsQueryDto): Promise<AlertList> {
    const table = await liveTables(this.readModels, schoolAlertsProjection.name);
    const rows = await listSchoolAlerts(this.readModels, table, {
      ...filter,
      ...(principal.role === 'induction-tutor' ? { schoolUrns: principal.schoolUrns } : {}),
      ...(principal.role === 'ecf-lead' ? { deliveryPartnerId: principal.deliveryPartnerId ?? '' } : {}),
    });
    return { items: rows.map(({ schoolUrn, kind, raisedOn, causedByEventId }) => ({ schoolUrn, kind, raisedOn, causedByEventId, nextStep: NEXT_STEP[kind] })) };
  }
}
