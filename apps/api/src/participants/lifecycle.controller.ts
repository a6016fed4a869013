import { applyDecorators, Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DEFERRAL_LIMIT_MONTHS, PAUSE_LIMIT_WEEKS } from '@ecf/domain';
import { RequiresPermission } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { CommandDocs } from '../commands/command-docs';
import { CommandRequest, CommandRequestOf } from '../commands/command-request';
import { CommandResultDto } from '../commands/command-result';
import { UuidParamPipe } from '../commands/uuid-param.pipe';
import {
  AmendReleaseScheduleDto,
  ChangeSchoolDto,
  DeferParticipantDto,
  PauseECTDto,
  RecordAttendanceDto,
  RecordEngagementDto,
  RecordModuleAccessDto,
  ReinstateParticipantDto,
  RequestWithdrawalReversalDto,
  ResumeECTDto,
  ReturnFromDeferralDto,
  UpdateDeferralReturnDateDto,
  WithdrawParticipantDto,
} from './dto/lifecycle.dto';
import { ChangeParticipantCommand, ParticipantCommandInput } from './participant-command.handler';

/** The shared shape of a lifecycle route: 200 with the command result, role from PERMISSIONS, documented errors. */
const LifecycleCommand = (permission: Permission, summary: string, description?: string) =>
  applyDecorators(
    HttpCode(200),
    RequiresPermission(permission),
    ApiOperation({ summary: `${permission}: ${summary}`, description }),
    ApiResponse({ status: 200, type: CommandResultDto }),
    CommandDocs(permission),
  );

/** Pause, defer, withdraw, reinstate, school change and the rest of seed 004, one route per command (SPEC §4a). */
@ApiTags('lifecycle')
@ApiBearerAuth()
@Controller()
export class LifecycleController {
  constructor(private readonly commands: CommandBus) {}

  // #region lifecycle-run
  private run(request: CommandRequest, participantId: string, input: ParticipantCommandInput): Promise<CommandResultDto> {
    return this.commands.execute(new ChangeParticipantCommand(request, participantId, input));
  }
  // #endregion lifecycle-run

  @Post('ects/:id/pause')
  @LifecycleCommand('PauseECT', `a short absence of under ${PAUSE_LIMIT_WEEKS} weeks`, 'Longer absences are deferrals by the ECF Lead. Pausing a paused, deferred or withdrawn ECT is rejected.')
  pause(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: PauseECTDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'PauseECT', ...body });
  }

  @Post('ects/:id/resume')
  @LifecycleCommand('ResumeECT', 'end a pause; content continues from the last module accessed before it')
  resume(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: ResumeECTDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'ResumeECT', ...body });
  }

  // #region defer-ect-route
  @Post('ects/:id/deferral')
  @LifecycleCommand(
    'DeferECT',
    'defer an ECT (DfE deferral reason, expected return date)',
    'Their mentor is deferred with the same return date unless they mentor another active ECT (the mentor-cascade policy; ?dryRun=true shows it). ' +
      `A return more than ${DEFERRAL_LIMIT_MONTHS} months after the deferral needs a DPL and an exceptionReason.`,
  )
  deferEct(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: DeferParticipantDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'DeferECT', ...body });
  }
  // #endregion defer-ect-route

  @Post('mentors/:id/deferral')
  @LifecycleCommand('DeferMentor', 'defer a mentor (DfE deferral reason, expected return date)')
  deferMentor(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: DeferParticipantDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'DeferMentor', ...body });
  }

  @Patch('participants/:id/deferral')
  @LifecycleCommand('UpdateDeferralReturnDate', 'change a deferred participant’s expected return date', 'A change on an ECT carries over to a mentor deferred with them.')
  updateReturnDate(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateDeferralReturnDateDto,
  ): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'UpdateDeferralReturnDate', ...body });
  }

  @Post('participants/:id/return')
  @LifecycleCommand('ReturnFromDeferral', 'a deferred participant restarts', 'An ECT’s return carries over to a mentor deferred with them.')
  returnFromDeferral(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ReturnFromDeferralDto,
  ): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'ReturnFromDeferral', ...body });
  }

  @Post('ects/:id/withdrawal')
  @LifecycleCommand(
    'WithdrawECT',
    'withdraw an ECT from the programme (DfE withdrawal reason)',
    'The date is never in the future nor before registration; Steplab access is revoked from it. Their mentor is withdrawn too ' +
      'unless the mentor has another active ECT or a DPL sets retainMentor.',
  )
  withdrawEct(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: WithdrawParticipantDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'WithdrawECT', ...body });
  }

  @Post('mentors/:id/withdrawal')
  @LifecycleCommand('WithdrawMentor', 'withdraw a mentor (mentor-no-longer-being-mentor is for mentors only)')
  withdrawMentor(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: WithdrawParticipantDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'WithdrawMentor', ...body });
  }

  @Post('induction-tutors/:id/withdrawal')
  @LifecycleCommand('WithdrawInductionTutor', 'withdraw an induction tutor; the school is alerted if it is left without one')
  withdrawInductionTutor(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: WithdrawParticipantDto,
  ): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'WithdrawInductionTutor', ...body });
  }

  @Post('participants/:id/withdrawal-reversal-request')
  @LifecycleCommand(
    'RequestWithdrawalReversal',
    'the ECF Lead asks the DPL to reverse a withdrawal',
    'For an ECT, the same request is recorded for the mentor withdrawn with them (the mentor-cascade policy; ?dryRun=true shows it).',
  )
  requestReversal(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RequestWithdrawalReversalDto,
  ): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'RequestWithdrawalReversal', ...body });
  }

  @Post('participants/:id/reinstatement')
  @LifecycleCommand(
    'ReinstateParticipant',
    'the DPL reverses a requested withdrawal',
    'Steplab access becomes pending, not active, until it is granted again. On an ECT, includeCascadedMentor also reinstates the mentor withdrawn with them.',
  )
  reinstate(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: ReinstateParticipantDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'ReinstateParticipant', ...body });
  }

  @Post('participants/:id/school-change')
  @LifecycleCommand(
    'ChangeSchool',
    'the participant continues at another school',
    'A move into a region the lead provider does not cover stops output payments from the move date. newSchoolRegion is needed only for a school with no partnership.',
  )
  changeSchool(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: ChangeSchoolDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'ChangeSchool', ...body });
  }

  @Post('participants/:id/release-schedule-amendment')
  @LifecycleCommand('AmendReleaseSchedule', 'move the content start date', 'An ECF Lead names the DPL who agreed it (agreedWithDpl); a DPL needs no one.')
  amendReleaseSchedule(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AmendReleaseScheduleDto,
  ): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'AmendReleaseSchedule', ...body });
  }

  @Post('participants/:id/engagements')
  @LifecycleCommand('RecordEngagement', 'an engagement (coaching, self-study, …) from an integration')
  recordEngagement(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: RecordEngagementDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'RecordEngagement', ...body });
  }

  @Post('participants/:id/module-access')
  @LifecycleCommand('RecordModuleAccess', 'the participant opened a module in Steplab')
  recordModuleAccess(
    @CommandRequestOf() request: CommandRequest,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RecordModuleAccessDto,
  ): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'RecordModuleAccess', ...body });
  }

  @Post('participants/:id/attendance')
  @LifecycleCommand('RecordAttendance', 'attendance at a clinic (any order) or conference (in order)')
  recordAttendance(@CommandRequestOf() request: CommandRequest, @Param('id', UuidParamPipe) id: string, @Body() body: RecordAttendanceDto): Promise<CommandResultDto> {
    return this.run(request, id, { type: 'RecordAttendance', ...body });
  }
}
