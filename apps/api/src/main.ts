import 'reflect-metadata';
import { ConfigError, keyStoreKind, LocalKeysNotMovedError, loadConfig } from '@ecf/runtime';
import { startTracing } from '@ecf/runtime/observability';
import { createApp } from './app.factory';

async function main(): Promise<void> {
  // First, so every span of the process is exported; nothing starts unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  startTracing('ecf-api');
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { address: string; port: number };
  // One line that scripts (and the e2e tests) can wait for.
  console.warn(JSON.stringify({ msg: 'listening', port: address.port, host: address.address, dataDir: config.dataDir, eventStore: config.eventStore, keyStore: keyStoreKind(config) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof LocalKeysNotMovedError ? error.message : error);
  process.exit(1);
});
