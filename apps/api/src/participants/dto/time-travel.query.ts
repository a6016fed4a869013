import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsCalendarDate, IsInstant } from '../../commands/validators';

/** The two time axes (see libs/projections/src/time-travel): effective date and recorded instant. */
export class TimeTravelQueryDto {
  @ApiPropertyOptional({ example: '2026-03-15', description: 'Effective axis: the state on this day, as we know it now' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ example: '2026-04-01T12:00:00Z', description: 'Recorded axis: what the system believed at this instant' })
  @IsOptional()
  @IsInstant()
  knownAt?: string;
}

export class HistoryQueryDto extends TimeTravelQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv: a readable timeline, one row per event' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
