import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { Readiness } from './readiness.service';

/** Health: liveness, readiness (Terminus) and the detailed view; Readiness logs what it finds, so Terminus's own logging is off. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [Readiness],
  exports: [TerminusModule, Readiness],
})
export class HealthModule {}
