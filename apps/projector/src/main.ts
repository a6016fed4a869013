import pino from 'pino';
import { SqliteEventStore } from '@ecf/event-store';
import { openReadModelDatabase, participantSummaryProjection, ProjectionRunner } from '@ecf/projections';
import { ConfigError, dataFiles, loadConfig } from '@ecf/runtime';

/**
 * The projector as its own process: runs every projection from its checkpoint until SIGTERM/SIGINT.
 * Start the API with RUN_PROJECTIONS=false when this process runs beside it.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'ecf-projector' } });
  const files = dataFiles(config.dataDir);
  const store = await SqliteEventStore.open({ filename: files.events });
  const db = openReadModelDatabase(files.readModels);
  const runners = [new ProjectionRunner(store, db, participantSummaryProjection)];
  for (const runner of runners) runner.start();
  logger.info({ projections: runners.map((runner) => runner.projection.name), dataDir: config.dataDir }, 'projector started');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'projector stopping');
    await Promise.all(runners.map((runner) => runner.stop()));
    await store.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
