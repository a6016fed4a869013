import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { FIRST_COHORT, TRN_PATTERN, URN_PATTERN } from '@ecf/domain';

export class ListParticipantsQueryDto {
  @ApiPropertyOptional({ example: '123456' })
  @IsOptional()
  @Matches(URN_PATTERN, { message: 'schoolUrn must be exactly 6 digits' })
  schoolUrn?: string;

  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(FIRST_COHORT)
  @Max(2100)
  cohort?: number;

  @ApiPropertyOptional({ enum: ['ect', 'mentor', 'induction-tutor'] })
  @IsOptional()
  @IsIn(['ect', 'mentor', 'induction-tutor'])
  type?: string;

  @ApiPropertyOptional({ example: '1234567', description: 'Teacher reference number (7 digits): finds the one participant holding it' })
  @IsOptional()
  @Matches(TRN_PATTERN, { message: 'trn must be exactly 7 digits' })
  trn?: string;

  @ApiPropertyOptional({ example: 'khan', description: 'Part of the name (first, last or both), any case; for roles that see personal data' })
  @IsOptional()
  @IsString()
  @Length(2, 100)
  name?: string;

  @ApiPropertyOptional({ enum: ['awaiting-validation', 'active', 'paused', 'deferred', 'withdrawn'] })
  @IsOptional()
  @IsIn(['awaiting-validation', 'active', 'paused', 'deferred', 'withdrawn'])
  status?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Keyset pagination: the `next` of the previous page' })
  @IsOptional()
  @IsUUID()
  after?: string;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;
}
