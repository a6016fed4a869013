import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '@ecf/runtime';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { CallerModule } from './auth/caller.module';
import { FixedWindowThrottlerStorage } from './auth/fixed-window-throttler-storage';
import { CommandsModule } from './commands/commands.module';
import { FeedModule } from './events/feed.module';
import { HealthModule } from './health/health.module';
import { RequireJsonBodyMiddleware } from './http/require-json-body.middleware';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { ObservabilityModule } from './observability/observability.module';
import { requestLogOptions } from './observability/request-log';
import { LifecycleModule } from './participants/lifecycle.module';
import { ParticipantsModule } from './participants/participants.module';
import { ProblemFilter } from './problem/problem.filter';
import { ProgrammeModule } from './programme/programme.module';
import { ReportsModule } from './reports/reports.module';
import { OnboardingModule } from './schools/onboarding.module';

/**
 * The API: the cross-cutting pieces (stores, keys and rate limits, problem+json, logs, metrics) and one
 * module per capability, each owning its controllers and handlers.
 */
@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequireJsonBodyMiddleware).forRoutes('{*splat}');
  }

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: config.rateLimitPerMinute }], storage: new FixedWindowThrottlerStorage() }),
        InfrastructureModule.forRoot(config),
        AuthModule.forRoot(config),
        ObservabilityModule.forRoot(config),
        HealthModule,
        CommandsModule,
        CallerModule,
        OnboardingModule,
        LifecycleModule,
        ParticipantsModule,
        ProgrammeModule,
        ReportsModule,
        AlertsModule,
        FeedModule,
        LoggerModule.forRoot({ pinoHttp: requestLogOptions(config.logLevel) }),
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
