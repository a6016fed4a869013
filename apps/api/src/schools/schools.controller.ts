import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequiresPermission } from '../auth/auth.decorators';
import { CommandRequest, CommandRequestOf } from '../commands/command-request';
import { CommandResultDto } from '../commands/command-result';
import { CommandDocs } from '../commands/command-docs';
import { RegisterSchoolPartnershipDto } from './register-school.dto';
import { RegisterSchoolPartnershipCommand } from './register-school-partnership.handler';

@ApiTags('schools')
@ApiBearerAuth()
@Controller('schools')
export class SchoolsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @RequiresPermission('RegisterSchoolPartnership')
  @ApiOperation({ summary: 'RegisterSchoolPartnership: a school confirms its delivery partner for a cohort year (seed 000, step 1)' })
  @ApiResponse({ status: 201, type: CommandResultDto })
  @CommandDocs('RegisterSchoolPartnership')
  register(@CommandRequestOf() request: CommandRequest, @Body() body: RegisterSchoolPartnershipDto): Promise<CommandResultDto> {
    return this.commands.execute(new RegisterSchoolPartnershipCommand(request, body));
  }
}
