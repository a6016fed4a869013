import { ReportsController } from './reports/reports.controller';
import { CoachingRelationshipsController } from './schools/coaching-relationships.controller';
import { ProgrammeController } from './programme/programme.controller';
import { ProgrammeReader } from './programme/programme-reader';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { DecisionContext } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';
import { type AppConfig, TrnClaims } from '@ecf/runtime';
import { AlertsController } from './alerts/alerts.controller';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AuthFailureLimiter } from './auth/auth-failure-limiter';
import { MeController } from './auth/me.controller';
import { FixedWindowThrottlerStorage } from './auth/fixed-window-throttler-storage';
import { KeyThrottlerGuard } from './auth/key-throttler.guard';
import { EventsController } from './events/events.controller';
import { SchemasController } from './events/schemas.controller';
import { HealthController } from './health/health.controller';
import { HealthModule } from './health/health.module';
import { IdempotencyKeys } from './commands/idempotency-keys';
import { RequireJsonBodyMiddleware } from './http/require-json-body.middleware';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { MetricsController } from './observability/metrics.controller';
import { ObservabilityModule } from './observability/observability.module';
import { DECISION_CONTEXT, EVENT_STORE } from './infrastructure/tokens';
import { CascadePreview } from './participants/cascade-preview';
import { LifecycleController } from './participants/lifecycle.controller';
import { ChangeParticipantHandler } from './participants/participant-command.handler';
import { ParticipantAccess } from './participants/participant-access';
import { GetParticipantHandler, GetParticipantHistoryHandler, ListParticipantsHandler } from './participants/participant.queries';
import { ParticipantsController } from './participants/participants.controller';
import { RegisterParticipantHandler } from './participants/register-participant.handler';
import { RegistrationsController } from './participants/registrations.controller';
import { ProblemFilter } from './problem/problem.filter';
import { RegisterSchoolPartnershipHandler } from './schools/register-school-partnership.handler';
import { SchoolsController } from './schools/schools.controller';

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
        ObservabilityModule.forRoot(config),
        HealthModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            customProps: () => ({ service: 'ecf-api' }),
          },
        }),
      ],
      controllers: [HealthController, MeController, SchoolsController, RegistrationsController, LifecycleController, ParticipantsController, ProgrammeController, CoachingRelationshipsController, ReportsController, AlertsController, EventsController, SchemasController, MetricsController],
      providers: [
        // Order matters: the key is identified first, then counted.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: KeyThrottlerGuard },
        { provide: AuthFailureLimiter, useValue: new AuthFailureLimiter(config.authFailureLimitPerMinute) },
        { provide: APP_FILTER, useClass: ProblemFilter },
        ParticipantAccess,
        IdempotencyKeys,
        ProgrammeReader,
        CascadePreview,
        { provide: TrnClaims, useFactory: (store: EventStore, context: () => DecisionContext) => new TrnClaims(store, context), inject: [EVENT_STORE, DECISION_CONTEXT] },
        RegisterSchoolPartnershipHandler,
        RegisterParticipantHandler,
        ChangeParticipantHandler,
        GetParticipantHandler,
        GetParticipantHistoryHandler,
        ListParticipantsHandler,
      ],
    };
  }
}
