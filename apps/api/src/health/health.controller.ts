import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PRODUCT_CONSUMER_NAMES } from '@ecf/command-handling';
import type { EventStore } from '@ecf/event-store';
import { judgeConsumers, withLag } from '@ecf/projections';
import type { AppConfig } from '@ecf/runtime';
import { PublicRoute } from '../auth/auth.decorators';
import { ProjectionsService } from '../infrastructure/projections.service';
import { APP_CONFIG, EVENT_STORE } from '../infrastructure/tokens';
import { Readiness, ReadinessSnapshot } from './readiness.service';

/**
 * Health for people and for orchestrators, without an API key and outside the rate limit (a probe
 * answered 429 would take a healthy instance out of service): `/health/live` (the process answers),
 * `/health/ready` (503 unless the stores answer and every consumer runs within the lag bounds) and
 * `/health`, the detailed view.
 */
@ApiTags('operations')
@Controller('health')
@PublicRoute()
@SkipThrottle()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projections: ProjectionsService,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: Readiness,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Detail: the event store’s head; each projection’s and policy’s position, lag and readiness (always 200; see /health/ready)' })
  async detail() {
    const head = await this.store.headPosition();
    const projections = await withLag(this.store, await this.projections.statuses());
    const judged = new Map(judgeConsumers(projections, PRODUCT_CONSUMER_NAMES, this.readiness.bounds).map((consumer) => [consumer.name, consumer]));
    const detailed = projections.map((projection) => {
      const consumer = projection.role === 'live' ? judged.get(projection.name) : undefined;
      return consumer ? { ...projection, ready: consumer.ready, reason: consumer.reason } : projection;
    });
    const ready = [...judged.values()].every((consumer) => consumer.ready);
    return { status: ready ? 'ok' : 'degraded', eventStore: { adapter: this.config.eventStore, headPosition: head }, projections: detailed };
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (no I/O)' })
  live(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.answer(response, [() => this.indicators.check('process').up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) })]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 503 when the event store or the read-model database is unreachable, or a projection or policy is stopped, failed or lagging' })
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    const snapshot = this.readiness.snapshot();
    return this.answer(response, [
      async () => this.eventStoreResult(await snapshot),
      async () => this.readModelsResult(await snapshot),
      async () => this.consumersResult(await snapshot),
    ]);
  }

  /** Terminus answers a failed check with an exception; sent here as the 503 it is, its body intact (not as a problem). */
  private async answer(response: Response, checks: (() => Promise<HealthIndicatorResult> | HealthIndicatorResult)[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  private eventStoreResult({ eventStore }: ReadinessSnapshot): HealthIndicatorResult {
    const check = this.indicators.check('eventStore');
    return eventStore.ok ? check.up({ adapter: this.config.eventStore, headPosition: eventStore.value }) : check.down({ adapter: this.config.eventStore, message: eventStore.error });
  }

  private readModelsResult({ readModels }: ReadinessSnapshot): HealthIndicatorResult {
    const check = this.indicators.check('readModels');
    return readModels.ok ? check.up({ store: this.config.readModelStore }) : check.down({ store: this.config.readModelStore, message: readModels.error });
  }

  /** One entry per consumer, named as its checkpoint: `state` is the consumer's own status (`status` is the check's up/down). */
  private consumersResult({ consumers }: ReadinessSnapshot): HealthIndicatorResult {
    if (consumers === null) return this.indicators.check('consumers').down({ message: 'not judged: the read-model database did not answer' });
    const results: HealthIndicatorResult = {};
    for (const { name, ready, status, reason, building, ...state } of consumers) {
      const check = this.indicators.check(name);
      const details = { state: status, ...(reason === null ? {} : { reason }), ...state, ...(building === null ? {} : { building }) };
      Object.assign(results, ready ? check.up(details) : check.down(details));
    }
    return results;
  }
}
