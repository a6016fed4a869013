import { Module } from '@nestjs/common';
import { DeliveryPartnersController } from './delivery-partners.controller';
import { ReportsController } from './reports.controller';

/** The payment-eligibility report, the DfE declarations export, and the delivery partners their filters offer. */
@Module({ controllers: [ReportsController, DeliveryPartnersController] })
export class ReportsModule {}
