import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Readiness } from './readiness.service';

/** Terminus and the readiness check for HealthController; Readiness logs what it finds, so Terminus's own logging is off. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [Readiness],
  exports: [TerminusModule, Readiness],
})
export class HealthModule {}
