import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@ecf/runtime';
import { CurrentPrincipal, RequiresPermission } from '../auth/auth.decorators';
import { UuidParamPipe } from '../commands/uuid-param.pipe';
import { TimeTravelQueryDto } from '../participants/dto/time-travel.query';
import { ProgrammeReader } from './programme-reader';
import { PaymentEligibilityView, ReleaseScheduleView, SteplabAccessView } from './programme.views';

const TIME_TRAVEL = 'Now: from the participant-programme read model. ?asOf=DATE (effective axis) / ?knownAt=INSTANT (recorded axis): the stream replayed through the same domain functions.';

@ApiTags('participants')
@ApiBearerAuth()
@Controller('participants')
export class ProgrammeController {
  constructor(private readonly reader: ProgrammeReader) {}

  @Get(':id/release-schedule')
  @RequiresPermission('ReadProgramme')
  @ApiOperation({ summary: 'Module-release schedule: planned date, actual release and state of every module, conference and clinic', description: TIME_TRAVEL })
  @ApiResponse({ status: 200, type: ReleaseScheduleView })
  releaseSchedule(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Query() travel: TimeTravelQueryDto): Promise<ReleaseScheduleView> {
    return this.reader.releaseSchedule(principal, id, { ...travel });
  }

  @Get(':id/payment-eligibility')
  @RequiresPermission('ReadProgramme')
  @ApiOperation({ summary: 'Payment eligibility per milestone of the participant’s schedule, with the DfE declaration of each eligible one', description: TIME_TRAVEL })
  @ApiResponse({ status: 200, type: PaymentEligibilityView })
  paymentEligibility(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Query() travel: TimeTravelQueryDto): Promise<PaymentEligibilityView> {
    return this.reader.paymentEligibility(principal, id, { ...travel });
  }

  @Get(':id/steplab-access')
  @RequiresPermission('ReadProgramme')
  @ApiOperation({ summary: 'Steplab access: state, the 24-hour deadline after the access form and whether it was breached', description: TIME_TRAVEL })
  @ApiResponse({ status: 200, type: SteplabAccessView })
  steplabAccess(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Query() travel: TimeTravelQueryDto): Promise<SteplabAccessView> {
    return this.reader.steplabAccess(principal, id, { ...travel });
  }
}
