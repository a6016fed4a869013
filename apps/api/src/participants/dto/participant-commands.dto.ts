import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { VALIDATION_FAILURE_CODES, ValidationFailureCode } from '@ecf/domain';

export class RecordDataValidationDto {
  @ApiProperty({ enum: ['validated', 'failed'] })
  @IsIn(['validated', 'failed'])
  outcome!: 'validated' | 'failed';

  @ApiProperty({ type: [String], example: ['TRN and date of birth do not match'], required: false })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  reasons: string[] = [];

  @ApiProperty({
    enum: VALIDATION_FAILURE_CODES,
    isArray: true,
    required: false,
    example: ['trn-date-of-birth-mismatch'],
    description: 'One code per reason, in order; when left out each reason’s text is classified',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(VALIDATION_FAILURE_CODES, { each: true })
  reasonCodes?: ValidationFailureCode[];
}

export class MatchMentorDto {
  @ApiProperty({ format: 'uuid', description: 'A mentor at the ECT’s school, or the school’s induction tutor as interim mentor' })
  @IsUUID()
  mentorId!: string;
}

/** Commands whose only input is the participant in the path. */
export class EmptyCommandDto {}
