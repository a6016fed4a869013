import pino from 'pino';
import { Consumers } from '@ecf/command-handling';
import { Metrics, startMetricsServer, startTracing, stopTracing } from '@ecf/runtime/observability';
import {
  ConfigError,
  configuredDecisionContext,
  DataDirInUseError,
  DataDirLock,
  keepsDataLocally,
  loadConfig,
  loadProgrammeCalendar,
  loadProgrammeData,
  openConfiguredReadModels,
  openEventStore,
  policyFaultHooksFromEnv,
} from '@ecf/runtime';

/**
 * The projector as its own process: runs every projection and policy from its checkpoint until
 * SIGTERM/SIGINT. Start the API with RUN_PROJECTIONS=false when this process runs beside it. Several
 * may run (on several hosts): each consumer runs in the one holding its lease, the others stand by.
 */
async function main(): Promise<void> {
  // First, so every span of the process is exported; nothing starts unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  startTracing('ecf-projector');
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'ecf-projector' } });
  // Held shared until the process ends (however it ends): `ecf seed` refuses DATA_DIR meanwhile. Server
  // mode keeps nothing under DATA_DIR and leaves it alone (it may be absent or read-only).
  const dataDirLock = keepsDataLocally(config) ? DataDirLock.acquire(config.dataDir, 'shared') : null;
  const store = await openEventStore(config);
  const db = await openConfiguredReadModels(config);
  const programme = loadProgrammeData(config.programmeFile);
  const context = configuredDecisionContext(config, programme);
  const consumers = new Consumers(store, db, context, loadProgrammeCalendar(config.programmeFile, programme), {
    logger: {
      info: (details, message) => logger.info(details, message),
      warn: (details, message) => logger.warn(details, message),
      error: (details, message) => logger.error(details, message),
    },
    faults: policyFaultHooksFromEnv(),
    lease: { ttlMs: config.consumerLeaseTtlMs },
  });
  // The subscriptions' poll timers do not hold the event loop open (a library must not keep its host
  // alive), so without this a projector on the embedded store exited as soon as it had caught up.
  const keepAlive = setInterval(() => undefined, 60_000);
  await consumers.start();
  const metrics = new Metrics();
  metrics.watchConsumers({
    store,
    statuses: () => consumers.statuses(),
    positionsCountEvents: config.eventStore !== 'esdb',
    leases: { names: consumers.names, running: () => consumers.running },
  });
  // The projector has no HTTP API: with METRICS_PORT set, a listener of its own answers GET /metrics on HOST.
  const metricsServer = config.metricsPort === null ? null : await startMetricsServer(metrics, config.metricsPort, config.host);
  if (metricsServer) logger.info({ port: metricsServer.port, host: config.host }, 'metrics listening');
  // The others run in another projector; this one takes each over when its owner stops renewing its lease.
  logger.info({ consumers: consumers.names, running: consumers.running, owner: consumers.owner, eventStore: config.eventStore, readModelStore: config.readModelStore }, 'projector started');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'projector stopping');
    clearInterval(keepAlive);
    await metricsServer?.close();
    metrics.close();
    await consumers.stop();
    await store.close();
    await db.close();
    dataDirLock?.release();
    await stopTracing();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof DataDirInUseError ? error.message : error);
  process.exit(1);
});
