import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';

/** Open alerts in the caller's scope. */
@Module({ controllers: [AlertsController] })
export class AlertsModule {}
