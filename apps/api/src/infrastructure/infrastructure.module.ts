import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '@ecf/event-store';
import type { ReadModelDatabase } from '@ecf/projections';
import {
  ApiKeyStore,
  AppConfig,
  configuredDecisionContext,
  DataDirLock,
  keepsDataLocally,
  loadProgrammeCalendar,
  loadProgrammeData,
  openApiKeyStore,
  openConfiguredReadModels,
  openEventStore,
} from '@ecf/runtime';
import { ProjectionsService } from './projections.service';
import { APP_CONFIG, DATA_DIR_LOCK, DECISION_CONTEXT, EVENT_STORE, PROGRAMME_CALENDAR, PROGRAMME_DATA, READ_MODEL_DB } from './tokens';

/**
 * Opens the stores named by the configuration and closes them on shutdown. DATA_DIR, when the
 * configuration keeps anything there, is held shared for the process's lifetime, so `ecf seed` refuses
 * it while the API runs (and the API does not start while a seed writes). Server mode keeps nothing
 * there and leaves DATA_DIR alone: it may be absent or read-only.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly readModels: ReadModelDatabase,
    @Inject(ApiKeyStore) private readonly keys: ApiKeyStore,
    @Inject(DATA_DIR_LOCK) private readonly dataDirLock: DataDirLock | null,
    private readonly projections: ProjectionsService,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    const programme = loadProgrammeData(config.programmeFile);
    // Taken before any store opens: a refusal leaves nothing half-open.
    const dataDirLock = keepsDataLocally(config) ? DataDirLock.acquire(config.dataDir, 'shared') : null;
    return {
      module: InfrastructureModule,
      providers: [
        { provide: DATA_DIR_LOCK, useValue: dataDirLock },
        { provide: APP_CONFIG, useValue: config },
        { provide: PROGRAMME_DATA, useValue: programme },
        { provide: PROGRAMME_CALENDAR, useValue: loadProgrammeCalendar(config.programmeFile, programme) },
        { provide: DECISION_CONTEXT, useValue: configuredDecisionContext(config, programme) },
        { provide: EVENT_STORE, useFactory: () => openEventStore(config) },
        { provide: READ_MODEL_DB, useFactory: () => openConfiguredReadModels(config) },
        { provide: ApiKeyStore, useFactory: () => openApiKeyStore(config) },
        ProjectionsService,
      ],
      exports: [APP_CONFIG, PROGRAMME_DATA, PROGRAMME_CALENDAR, DECISION_CONTEXT, EVENT_STORE, READ_MODEL_DB, ApiKeyStore, ProjectionsService],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projections.stop();
    await this.store.close();
    await this.readModels.close();
    await this.keys.close();
    this.dataDirLock?.release();
  }
}
