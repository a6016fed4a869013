import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DomainError, URN_PATTERN } from '@ecf/domain';
import { listCoachingRelationships, liveTables, participantSummaryProjection, ReadModelDatabase } from '@ecf/projections';
import type { Principal } from '@ecf/runtime';
import { CurrentPrincipal, RequiresPermission } from '../auth/auth.decorators';
import { canSeeSchool } from '../auth/scope';
import { READ_MODEL_DB } from '../infrastructure/tokens';
import { ParticipantAccess } from '../participants/participant-access';

export class CoachingRelationshipsQueryDto {
  @ApiProperty({ example: 2026, description: 'The cohort (academic start year)' })
  @Type(() => Number)
  @IsInt()
  @Min(2020)
  @Max(2100)
  cohort!: number;
}

export class CoachingRelationshipView {
  @ApiProperty({ format: 'uuid' }) ectId!: string;
  @ApiProperty({ format: 'uuid', nullable: true }) mentorId!: string | null;
  @ApiProperty({ description: 'The induction tutor stands in as mentor' }) interimMentor!: boolean;
  @ApiProperty() visibleOnSteplab!: boolean;
  @ApiProperty({
    type: [String],
    example: ['mentor-form-not-submitted'],
    description: 'not-matched, ect-form-not-submitted, mentor-form-not-submitted, ect-access-not-granted, mentor-access-not-granted, ect-not-active, mentor-not-active',
  })
  blockers!: string[];
}

export class CoachingRelationshipList {
  @ApiProperty({ example: '123456' }) schoolUrn!: string;
  @ApiProperty({ example: 2026 }) cohort!: number;
  @ApiProperty({ type: [CoachingRelationshipView] }) items!: CoachingRelationshipView[];
}

const schoolNotFound = (urn: string) => new DomainError('SCHOOL_NOT_FOUND', `No school ${urn} is registered (or it is outside your scope).`);

@ApiTags('schools')
@ApiBearerAuth()
@Controller('schools')
export class CoachingRelationshipsController {
  constructor(
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDatabase,
    private readonly access: ParticipantAccess,
  ) {}

  @Get(':urn/coaching-relationships')
  @RequiresPermission('ReadCoachingRelationships')
  @ApiOperation({ summary: 'Each ECT of the school and cohort with their mentor: visible on Steplab, or what blocks it (seed 000, step 5 checklist)' })
  @ApiResponse({ status: 200, type: CoachingRelationshipList })
  async list(@CurrentPrincipal() principal: Principal, @Param('urn') urn: string, @Query() query: CoachingRelationshipsQueryDto): Promise<CoachingRelationshipList> {
    if (!URN_PATTERN.test(urn)) throw schoolNotFound(urn);
    const school = await this.access.school(urn);
    if (school.urn === null || !canSeeSchool(principal, school, query.cohort)) throw schoolNotFound(urn);
    const table = await liveTables(this.readModels, participantSummaryProjection.name);
    return { schoolUrn: urn, cohort: query.cohort, items: (await listCoachingRelationships(this.readModels, table, urn, query.cohort)).map((row) => ({ ...row, blockers: [...row.blockers] })) };
  }
}
