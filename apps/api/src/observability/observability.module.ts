import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@ecf/event-store';
import type { AppConfig } from '@ecf/runtime';
import { Metrics, stopTracing } from '@ecf/runtime/observability';
import { ProjectionsService } from '../infrastructure/projections.service';
import { EVENT_STORE } from '../infrastructure/tokens';
import { MetricsController } from './metrics.controller';

/**
 * The process's metrics (read by MetricsController and the HTTP middleware), and the end of tracing on
 * shutdown (its last spans sent). The consumers' gauges read their checkpoints on each scrape: this
 * process's own subscriptions where it runs them, the rows a separate projector writes where it does
 * not (RUN_PROJECTIONS=false).
 */
@Module({})
export class ObservabilityModule implements OnApplicationShutdown {
  constructor(private readonly metrics: Metrics) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ObservabilityModule,
      providers: [
        {
          provide: Metrics,
          useFactory: (store: EventStore, projections: ProjectionsService) => {
            const metrics = new Metrics();
            metrics.watchConsumers({
              store,
              statuses: () => projections.statuses(),
              positionsCountEvents: config.eventStore !== 'esdb',
              leases: config.runProjections ? { names: projections.names, running: () => projections.running } : undefined,
            });
            return metrics;
          },
          inject: [EVENT_STORE, ProjectionsService],
        },
      ],
      controllers: [MetricsController],
      exports: [Metrics],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.metrics.close();
    await stopTracing();
  }
}
