import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';

/** The payment-eligibility report and the DfE declarations export. */
@Module({ controllers: [ReportsController] })
export class ReportsModule {}
