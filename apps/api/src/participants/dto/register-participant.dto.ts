import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { EMAIL_PATTERN, FIRST_COHORT, NAME_MAX_LENGTH, OLDEST_AGE, TRN_PATTERN, URN_PATTERN, YOUNGEST_AGE } from '@ecf/domain';
import { IsCalendarDate } from '../../commands/validators';

/** Seed 000 step 2: first and last names, date of birth, TRN, preferred email; plus school and cohort. */
class RegistrationFields {
  @ApiProperty({ example: 'Amira' })
  @IsString()
  @Length(1, NAME_MAX_LENGTH)
  firstName!: string;

  @ApiProperty({ example: 'Khan' })
  @IsString()
  @Length(1, NAME_MAX_LENGTH)
  lastName!: string;

  @ApiProperty({ example: '1998-04-12', format: 'date', description: `The participant is ${YOUNGEST_AGE} to ${OLDEST_AGE} years old on the registration day` })
  @IsCalendarDate()
  dateOfBirth!: string;

  @ApiProperty({ example: 'amira.khan@example.org', description: 'Preferred email; a personal one if the work address is not live yet' })
  @IsString()
  @Matches(EMAIL_PATTERN, { message: 'email must be an email address' })
  @Length(3, 254)
  email!: string;

  @ApiProperty({ example: '123456' })
  @Matches(URN_PATTERN, { message: 'schoolUrn must be exactly 6 digits' })
  schoolUrn!: string;

  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(FIRST_COHORT)
  @Max(2100)
  cohort!: number;
}

export class RegisterEctOrMentorDto extends RegistrationFields {
  @ApiProperty({ example: '1234567', description: 'Teacher reference number: 7 digits' })
  @Matches(TRN_PATTERN, { message: 'trn must be exactly 7 digits' })
  trn!: string;
}

export class RegisterInductionTutorDto extends RegistrationFields {
  @ApiPropertyOptional({ example: '7654321', description: 'Teacher reference number, if the induction tutor has one' })
  @IsOptional()
  @Matches(TRN_PATTERN, { message: 'trn must be exactly 7 digits' })
  trn?: string;
}
