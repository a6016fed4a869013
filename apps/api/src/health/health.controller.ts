import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@ecf/event-store';
import { withLag } from '@ecf/projections';
import type { AppConfig } from '@ecf/runtime';
import { PublicRoute } from '../auth/auth.decorators';
import { ProjectionsService } from '../infrastructure/projections.service';
import { APP_CONFIG, EVENT_STORE } from '../infrastructure/tokens';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @PublicRoute()
  @ApiOperation({ summary: 'Liveness and readiness: the event store answers; each projection’s position and lag' })
  async health() {
    const head = await this.store.headPosition();
    const projections = await withLag(this.store, await this.projections.statuses());
    const failed = projections.some((projection) => projection.status === 'failed');
    return { status: failed ? 'degraded' : 'ok', eventStore: { adapter: this.config.eventStore, headPosition: head }, projections };
  }
}
