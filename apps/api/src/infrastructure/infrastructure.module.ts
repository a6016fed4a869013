import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@ecf/event-store';
import type { ReadModelDatabase } from '@ecf/projections';
import { ApiKeyStore, AppConfig, configuredDecisionContext, dataFiles, loadProgrammeCalendar, loadProgrammeData, openConfiguredReadModels, openEventStore } from '@ecf/runtime';
import { ProjectionsService } from './projections.service';
import { APP_CONFIG, DECISION_CONTEXT, EVENT_STORE, PROGRAMME_CALENDAR, PROGRAMME_DATA, READ_MODEL_DB } from './tokens';

/** Opens the stores named by the configuration and closes them on shutdown. */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDatabase,
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
    private readonly projections: ProjectionsService,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    const files = dataFiles(config.dataDir);
    const programme = loadProgrammeData(config.programmeFile);
    return {
      module: InfrastructureModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: PROGRAMME_DATA, useValue: programme },
        { provide: PROGRAMME_CALENDAR, useValue: loadProgrammeCalendar(config.programmeFile, programme) },
        { provide: DECISION_CONTEXT, useValue: configuredDecisionContext(config, programme) },
        { provide: EVENT_STORE, useFactory: () => openEventStore(config) },
        { provide: READ_MODEL_DB, useFactory: () => openConfiguredReadModels(config) },
        { provide: ApiKeyStore, useFactory: () => ApiKeyStore.open(files.apiKeys) },
        ProjectionsService,
      ],
      exports: [APP_CONFIG, PROGRAMME_DATA, PROGRAMME_CALENDAR, DECISION_CONTEXT, EVENT_STORE, READ_MODEL_DB, ApiKeyStore, ProjectionsService],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projections.stop();
    await this.store.close();
    await this.readModels.close();
    this.keys.close();
  }
}
