import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@ecf/runtime';
import { CurrentPrincipal, RequiresPermission } from '../auth/auth.decorators';
import { CommandDocs } from '../commands/command-docs';
import { CommandRequest, CommandRequestOf } from '../commands/command-request';
import { CommandResultDto } from '../commands/command-result';
import { UuidParamPipe } from '../commands/uuid-param.pipe';
import { EmptyCommandDto, RecordDataValidationDto } from './dto/participant-commands.dto';
import { ListParticipantsQueryDto } from './dto/list-participants.query';
import { HistoryQueryDto, TimeTravelQueryDto } from './dto/time-travel.query';
import { historyCsv, ParticipantHistory } from './participant-history';
import { ChangeParticipantCommand } from './participant-command.handler';
import { ParticipantReads } from './participant-reads';
import { ParticipantPage, ParticipantView } from './participant.view';

@ApiTags('participants')
@ApiBearerAuth()
@Controller('participants')
export class ParticipantsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly reads: ParticipantReads,
  ) {}

  @Get()
  @RequiresPermission('ReadParticipants')
  @ApiOperation({ summary: 'Participants in your scope, filterable by name, TRN, school, cohort, type and status (from the participant-summary projection)' })
  @ApiResponse({ status: 200, type: ParticipantPage })
  list(@CurrentPrincipal() principal: Principal, @Query() filter: ListParticipantsQueryDto): Promise<ParticipantPage> {
    return this.reads.list(principal, filter);
  }

  @Get(':id')
  @RequiresPermission('ReadParticipants')
  @ApiOperation({
    summary: 'One participant, replayed from their stream; the ETag is the revision to send as If-Match',
    description: '?asOf=DATE: the state on that day as known now. ?knownAt=INSTANT: what the system believed then. Both replay the stream with the decider’s own evolve.',
  })
  @ApiResponse({ status: 200, type: ParticipantView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Query() travel: TimeTravelQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ParticipantView> {
    const view = await this.reads.participant(principal, id, { ...travel });
    // A view of the past is not something to send as If-Match.
    if (travel.asOf === undefined && travel.knownAt === undefined) response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Get(':id/history')
  @RequiresPermission('ReadHistory')
  @ApiOperation({
    summary: 'Audit trail: every event in order with effective date, recordedAt, actor, reason, command, correlation and causation',
    description: '?format=csv for a readable timeline. ?asOf / ?knownAt narrow it to the two time axes. Roles without access to personal data get events without it.',
  })
  @ApiResponse({ status: 200, type: ParticipantHistory })
  @ApiProduces('application/json', 'text/csv')
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: HistoryQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ParticipantHistory | string> {
    const { format, ...travel } = query;
    const history = await this.reads.history(principal, id, travel);
    if (format !== 'csv') return history;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="participant-${id}-history.csv"`);
    return historyCsv(history);
  }

  @Post(':id/validation')
  @HttpCode(200)
  @RequiresPermission('RecordDataValidation')
  @ApiOperation({ summary: 'RecordDataValidation: DfE’s outcome of checking TRN and date of birth' })
  @ApiResponse({ status: 200, type: CommandResultDto })
  @CommandDocs('RecordDataValidation')
  recordValidation(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RecordDataValidationDto,
  ): Promise<CommandResultDto> {
    return this.commands.execute(new ChangeParticipantCommand(request, id, { type: 'RecordDataValidation', outcome: body.outcome, reasons: body.reasons, reasonCodes: body.reasonCodes ?? null }));
  }

  @Post(':id/steplab-access-form')
  @HttpCode(200)
  @RequiresPermission('SubmitSteplabAccessForm')
  @ApiOperation({ summary: 'SubmitSteplabAccessForm: after DfE validation; access is due within 24 hours (seed 000, step 4)' })
  @ApiResponse({ status: 200, type: CommandResultDto })
  @CommandDocs('SubmitSteplabAccessForm')
  submitSteplabAccessForm(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() _body: EmptyCommandDto,
  ): Promise<CommandResultDto> {
    return this.commands.execute(new ChangeParticipantCommand(request, id, { type: 'SubmitSteplabAccessForm' }));
  }

  @Post(':id/steplab-access')
  @HttpCode(200)
  @RequiresPermission('GrantSteplabAccess')
  @ApiOperation({ summary: 'GrantSteplabAccess: the back office has given the participant Steplab access' })
  @ApiResponse({ status: 200, type: CommandResultDto })
  @CommandDocs('GrantSteplabAccess')
  grantSteplabAccess(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() _body: EmptyCommandDto,
  ): Promise<CommandResultDto> {
    return this.commands.execute(new ChangeParticipantCommand(request, id, { type: 'GrantSteplabAccess' }));
  }
}
