import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { FIRST_COHORT, URN_PATTERN } from '@ecf/domain';

export class RegisterSchoolPartnershipDto {
  @ApiProperty({ example: '123456', description: 'Unique reference number: 6 digits' })
  @Matches(URN_PATTERN, { message: 'urn must be exactly 6 digits' })
  urn!: string;

  @ApiProperty({ example: 'Oakfield Primary School' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: 'north-west', description: 'One of the regions in config/programme.json' })
  @IsString()
  @Length(1, 60)
  region!: string;

  @ApiProperty({ example: 'dp-north' })
  @IsString()
  @Length(1, 60)
  deliveryPartnerId!: string;

  @ApiProperty({ example: 2026, description: 'Cohort (academic start year) of the partnership' })
  @IsInt()
  @Min(FIRST_COHORT)
  @Max(2100)
  cohort!: number;
}
