import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequiresPermission } from '../auth/auth.decorators';
import { CommandDocs } from '../commands/command-docs';
import { CommandRequest, CommandRequestOf } from '../commands/command-request';
import { CommandResultDto } from '../commands/command-result';
import { UuidParamPipe } from '../commands/uuid-param.pipe';
import { MatchMentorDto } from './dto/participant-commands.dto';
import { RegisterEctOrMentorDto, RegisterInductionTutorDto } from './dto/register-participant.dto';
import { ChangeParticipantCommand } from './participant-command.handler';
import { RegisterParticipantCommand } from './register-participant.handler';

@ApiTags('onboarding')
@ApiBearerAuth()
@Controller()
export class RegistrationsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('ects')
  @HttpCode(201)
  @RequiresPermission('RegisterECT')
  @ApiOperation({ summary: 'RegisterECT: register an early career teacher; they then await DfE validation (seed 000, step 2)' })
  @ApiResponse({ status: 201, type: CommandResultDto })
  @CommandDocs('RegisterECT')
  registerEct(@CommandRequestOf() request: CommandRequest, @Body() body: RegisterEctOrMentorDto): Promise<CommandResultDto> {
    return this.commands.execute(new RegisterParticipantCommand('RegisterECT', request, body));
  }

  @Post('mentors')
  @HttpCode(201)
  @RequiresPermission('RegisterMentor')
  @ApiOperation({ summary: 'RegisterMentor: register a mentor; they then await DfE validation (seed 000, step 2)' })
  @ApiResponse({ status: 201, type: CommandResultDto })
  @CommandDocs('RegisterMentor')
  registerMentor(@CommandRequestOf() request: CommandRequest, @Body() body: RegisterEctOrMentorDto): Promise<CommandResultDto> {
    return this.commands.execute(new RegisterParticipantCommand('RegisterMentor', request, body));
  }

  @Post('induction-tutors')
  @HttpCode(201)
  @RequiresPermission('RegisterInductionTutor')
  @ApiOperation({ summary: 'RegisterInductionTutor: register the school’s induction tutor (TRN optional)' })
  @ApiResponse({ status: 201, type: CommandResultDto })
  @CommandDocs('RegisterInductionTutor')
  registerInductionTutor(@CommandRequestOf() request: CommandRequest, @Body() body: RegisterInductionTutorDto): Promise<CommandResultDto> {
    return this.commands.execute(new RegisterParticipantCommand('RegisterInductionTutor', request, body));
  }

  @Put('ects/:id/mentor')
  @HttpCode(200)
  @RequiresPermission('MatchMentor')
  @ApiOperation({
    summary: 'MatchMentor: pair an ECT with a mentor at the same school (seed 000, step 3)',
    description: 'The school’s induction tutor may be given as mentorId: they become the interim mentor (seed 004, "Other").',
  })
  @ApiResponse({ status: 200, type: CommandResultDto })
  @CommandDocs('MatchMentor')
  matchMentor(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: MatchMentorDto,
  ): Promise<CommandResultDto> {
    return this.commands.execute(new ChangeParticipantCommand(request, id, { type: 'MatchMentor', mentorId: body.mentorId.toLowerCase() }));
  }
}
