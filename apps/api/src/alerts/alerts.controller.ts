import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { DecisionContext, PAUSE_LIMIT_WEEKS, URN_PATTERN } from '@ecf/domain';
import {
  listParticipantAlerts,
  listSchoolAlerts,
  liveTables,
  PARTICIPANT_ALERT_KINDS,
  ParticipantAlertKind,
  participantSummaryProjection,
  ReadModelDatabase,
  SchoolAlertKind,
  schoolAlertsProjection,
} from '@ecf/projections';
import type { Principal } from '@ecf/runtime';
import { CurrentPrincipal, RequiresPermission } from '../auth/auth.decorators';
import { DECISION_CONTEXT, READ_MODEL_DB } from '../infrastructure/tokens';

const SCHOOL_ALERT_KINDS: readonly SchoolAlertKind[] = ['no-active-participants', 'no-induction-tutor'];
type AlertKind = SchoolAlertKind | ParticipantAlertKind;
const ALERT_KINDS: readonly AlertKind[] = [...SCHOOL_ALERT_KINDS, ...PARTICIPANT_ALERT_KINDS];

/** What each alert asks of the reader (seeds 000 and 004). */
const NEXT_STEP: Record<AlertKind, string> = {
  'no-active-participants': 'The school has no active ECTs or mentors left: the ECF Lead tells their DPL.',
  'no-induction-tutor': 'The school has active ECTs and no validated induction tutor: ask the school to register one (a tutor awaiting DfE validation clears this once validated).',
  'pause-over-6-weeks': `The pause has lasted over ${PAUSE_LIMIT_WEEKS} weeks: the ECF Lead should consider a deferral.`,
  'steplab-access-overdue': 'Steplab access was not granted within 24 hours of the access form: the back office grants it now.',
  'ect-without-mentor': 'The ECT has no mentor: the induction tutor matches one (or assigns themselves as interim mentor).',
  'deferral-past-return-date': 'The expected return date has passed: record the return, or update the return date.',
  'mentor-withdrawn-with-reinstated-ect':
    'The mentor was withdrawn because their ECT (relatedParticipantId) was; the ECT has been reinstated: a DPL can reinstate the mentor, or the induction tutor matches the ECT with another mentor.',
};

/** An alert about two participants names both in its next step. */
function nextStepOf(kind: AlertKind, participantId: string | null, relatedParticipantId: string | null): string {
  if (kind !== 'mentor-withdrawn-with-reinstated-ect') return NEXT_STEP[kind];
  return (
    `Mentor ${participantId} was withdrawn because ECT ${relatedParticipantId} was withdrawn; ${relatedParticipantId} has been reinstated: ` +
    `a DPL can reinstate ${participantId} (POST /participants/${participantId}/reinstatement), or the induction tutor matches the ECT with another mentor.`
  );
}

export class ListAlertsQueryDto {
  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @Matches(URN_PATTERN, { message: 'schoolUrn must be exactly 6 digits' })
  schoolUrn?: string;

  @ApiPropertyOptional({ example: 'dp-north', description: 'Only schools and participants of this delivery partner' })
  @IsOptional()
  @MaxLength(100)
  deliveryPartner?: string;

  @ApiPropertyOptional({ enum: ALERT_KINDS })
  @IsOptional()
  @IsIn(ALERT_KINDS)
  kind?: AlertKind;

  @ApiPropertyOptional({ default: 500, minimum: 1, maximum: 5000, description: 'At most this many alerts of each kind' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit: number = 500;
}

export class AlertView {
  @ApiProperty({ enum: ALERT_KINDS }) kind!: AlertKind;
  @ApiProperty({ example: '123456' }) schoolUrn!: string;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'The participant, for alerts about one participant' }) participantId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'The other participant the alert concerns (the reinstated ECT of a mentor still withdrawn with them)' })
  relatedParticipantId!: string | null;
  @ApiProperty({ format: 'date', description: 'The day the alert began to apply' }) raisedOn!: string;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'The event that left the school so (school alerts; see the history)' })
  causedByEventId!: string | null;
  @ApiProperty() nextStep!: string;
}

export class AlertList {
  @ApiProperty({ format: 'date', description: 'The day time-based alerts were computed for (the service clock)' }) asOf!: string;
  @ApiProperty({ type: [AlertView] }) items!: AlertView[];
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDatabase,
    @Inject(DECISION_CONTEXT) private readonly context: () => DecisionContext,
  ) {}

  @Get()
  @RequiresPermission('ReadAlerts')
  @ApiOperation({
    summary: 'Open alerts in your scope',
    description:
      `Schools left with no active ECTs or mentors, or with active ECTs and no active, DfE-validated induction tutor; pauses open over ${PAUSE_LIMIT_WEEKS} weeks; Steplab access overdue; ECTs without a mentor; ` +
      'deferrals past their expected return date; mentors still withdrawn after the ECT they were withdrawn with was reinstated. Time-based alerts are computed against the service clock when asked, never frozen.',
  })
  @ApiResponse({ status: 200, type: AlertList })
  async list(@CurrentPrincipal() principal: Principal, @Query() filter: ListAlertsQueryDto): Promise<AlertList> {
    const { now, today } = this.context();
    const scope = {
      ...(filter.schoolUrn !== undefined ? { schoolUrn: filter.schoolUrn } : {}),
      ...(filter.deliveryPartner !== undefined ? { deliveryPartnerId: filter.deliveryPartner } : {}),
      ...(principal.role === 'induction-tutor' ? { schoolUrns: principal.schoolUrns } : {}),
      // An ECF Lead's own partner always wins over a filter naming another.
      ...(principal.role === 'ecf-lead' ? { deliveryPartnerId: principal.deliveryPartnerId ?? '' } : {}),
    };
    const items: AlertView[] = [];
    if (filter.kind === undefined || SCHOOL_ALERT_KINDS.includes(filter.kind as SchoolAlertKind)) {
      const table = await liveTables(this.readModels, schoolAlertsProjection.name);
      const rows = await listSchoolAlerts(this.readModels, table, { ...scope, kind: filter.kind as SchoolAlertKind | undefined });
      items.push(...rows.slice(0, filter.limit).map(({ schoolUrn, kind, raisedOn, causedByEventId }) => ({ kind, schoolUrn, participantId: null, relatedParticipantId: null, raisedOn, causedByEventId, nextStep: NEXT_STEP[kind] })));
    }
    if (filter.kind === undefined || PARTICIPANT_ALERT_KINDS.includes(filter.kind as ParticipantAlertKind)) {
      const table = await liveTables(this.readModels, participantSummaryProjection.name);
      const rows = await listParticipantAlerts(this.readModels, table, { now, today }, { ...scope, kind: filter.kind as ParticipantAlertKind | undefined, limit: filter.limit });
      items.push(
        ...rows.map(({ kind, schoolUrn, participantId, relatedParticipantId, raisedOn }) => ({
          kind, schoolUrn, participantId, relatedParticipantId, raisedOn, causedByEventId: null, nextStep: nextStepOf(kind, participantId, relatedParticipantId),
        })),
      );
    }
    return { asOf: today, items };
  }
}
