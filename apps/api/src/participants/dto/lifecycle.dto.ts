import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { DEFERRAL_LIMIT_MONTHS, DEFERRAL_REASONS, DeferralReason, ENGAGEMENT_KINDS, EngagementKind, PAUSE_LIMIT_WEEKS, URN_PATTERN, WITHDRAWAL_REASONS, WithdrawalReason } from '@ecf/domain';
import { IsCalendarDate, IsInstant } from '../../commands/validators';

export class PauseECTDto {
  @ApiProperty({ example: '2026-01-12', description: 'First day of the absence' }) @IsCalendarDate() startDate!: string;
  @ApiProperty({ example: '2026-02-09', description: `Expected return: under ${PAUSE_LIMIT_WEEKS} weeks after startDate, otherwise the ECF Lead defers` })
  @IsCalendarDate()
  expectedResumeDate!: string;
  @ApiProperty({ example: 'Short-term illness' }) @IsString() @Length(1, 500) reason!: string;
}

export class ResumeECTDto {
  @ApiProperty({ example: '2026-02-02' }) @IsCalendarDate() resumeDate!: string;
}

export class DeferParticipantDto {
  @ApiProperty({ example: '2026-01-05' }) @IsCalendarDate() deferralDate!: string;
  @ApiProperty({ example: '2026-09-01', description: `Normally no later than ${DEFERRAL_LIMIT_MONTHS} months after deferralDate` }) @IsCalendarDate() expectedReturnDate!: string;
  @ApiProperty({ enum: DEFERRAL_REASONS, example: 'parental-leave' }) @IsIn(DEFERRAL_REASONS) reason!: DeferralReason;
  @ApiPropertyOptional({ description: `DPL only: why the return may be more than ${DEFERRAL_LIMIT_MONTHS} months after the deferral` })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  exceptionReason?: string;
}

export class UpdateDeferralReturnDateDto {
  @ApiProperty({ example: '2026-06-01' }) @IsCalendarDate() expectedReturnDate!: string;
  @ApiPropertyOptional({ description: `DPL only: for a return more than ${DEFERRAL_LIMIT_MONTHS} months after the deferral date` })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  exceptionReason?: string;
}

export class ReturnFromDeferralDto {
  @ApiProperty({ example: '2026-09-01' }) @IsCalendarDate() returnDate!: string;
}

export class WithdrawParticipantDto {
  @ApiProperty({ example: '2026-03-31', description: 'On or after the day the participant left; never in the future' }) @IsCalendarDate() withdrawalDate!: string;
  @ApiProperty({ enum: WITHDRAWAL_REASONS, example: 'left-teaching-profession' }) @IsIn(WITHDRAWAL_REASONS) reason!: WithdrawalReason;
  @ApiPropertyOptional({ description: 'ECTs, DPL only: keep the ECT’s mentor on the programme' }) @IsOptional() @IsBoolean() retainMentor?: boolean;
}

export class RequestWithdrawalReversalDto {
  @ApiProperty({ example: 'Withdrawn in error: the ECT stays at the school' }) @IsString() @Length(1, 500) reason!: string;
}

export class ReinstateParticipantDto {
  @ApiPropertyOptional({
    default: false,
    description:
      'ECTs only: also reinstate the mentor whose withdrawal followed this ECT’s (the mentor cascade does it, recording this reinstatement as the cause). ' +
      'Preview with ?dryRun=true: the mentor appears in `cascades`.',
  })
  @IsOptional()
  @IsBoolean()
  includeCascadedMentor?: boolean;
}

export class ChangeSchoolDto {
  @ApiProperty({ example: '654321' }) @Matches(URN_PATTERN, { message: 'newSchoolUrn must be exactly 6 digits' }) newSchoolUrn!: string;
  @ApiProperty({ example: '2026-04-20' }) @IsCalendarDate() effectiveDate!: string;
  @ApiPropertyOptional({ example: 'south-west', description: 'Required when the new school has no partnership with us' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  newSchoolRegion?: string;
}

export class AmendReleaseScheduleDto {
  @ApiProperty({ example: '2025-11-17' }) @IsCalendarDate() contentStartDate!: string;
  @ApiProperty({ example: 'Ready to start before January' }) @IsString() @Length(1, 500) reason!: string;
  @ApiPropertyOptional({ example: 'Dana Price', description: 'Required from an ECF Lead: the DPL who agreed the change' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  agreedWithDpl?: string;
}

export class RecordEngagementDto {
  @ApiProperty({ enum: ENGAGEMENT_KINDS }) @IsIn(ENGAGEMENT_KINDS) kind!: EngagementKind;
  @ApiProperty({ example: '2025-10-14' }) @IsCalendarDate() occurredOn!: string;
  @ApiPropertyOptional({ example: 'coaching-session-7' }) @IsOptional() @IsString() @Length(1, 200) reference?: string;
}

export class RecordModuleAccessDto {
  @ApiProperty({ example: 'ect-y1-m03', description: 'A module of the participant’s curriculum track (config/curriculum.json)' }) @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'moduleCode must be 1–64 letters, digits, dots, dashes or underscores' }) moduleCode!: string;
  @ApiProperty({ example: '2025-10-14T16:20:00Z', description: 'Not before the participant’s registration day, not in the future' }) @IsInstant() accessedAt!: string;
}

export class RecordAttendanceDto {
  @ApiProperty({ example: 'conference-1', description: 'A conference (attended in order) or clinic code from config/programme.json' })
  @IsString()
  @Length(1, 64)
  eventCode!: string;
  @ApiProperty({ example: '2025-11-08' }) @IsCalendarDate() attendedOn!: string;
}
