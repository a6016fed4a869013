import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ProgrammeData } from '@ecf/domain';
import { RequiresPermission } from '../auth/auth.decorators';
import { PROGRAMME_DATA } from '../infrastructure/tokens';

export class DeliveryPartnerView {
  @ApiProperty({ example: 'dp-north' }) id!: string;
  @ApiProperty({ example: 'Northern Teaching Partnership' }) name!: string;
  @ApiProperty({ type: [String], example: ['north-east', 'north-west'] }) regions!: string[];
}

export class DeliveryPartnerList {
  @ApiProperty({ type: [DeliveryPartnerView] }) items!: DeliveryPartnerView[];
}

/**
 * The delivery partners of the programme data (config/programme.json), so clients offer a list to
 * pick from (report and alert filters) instead of asking staff to type an id they would have to know.
 */
@ApiTags('programme')
@ApiBearerAuth()
@Controller('delivery-partners')
export class DeliveryPartnersController {
  constructor(@Inject(PROGRAMME_DATA) private readonly programme: ProgrammeData) {}

  @Get()
  @RequiresPermission('ReadProgramme')
  @ApiOperation({ summary: 'The delivery partners the lead provider works with, and the regions each covers', description: 'From the programme data; the same for every caller.' })
  @ApiResponse({ status: 200, type: DeliveryPartnerList })
  list(): DeliveryPartnerList {
    return { items: this.programme.deliveryPartners.map(({ id, name, regions }) => ({ id, name, regions: [...regions] })) };
  }
}
