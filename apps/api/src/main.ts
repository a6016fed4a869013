import 'reflect-metadata';
import { ConfigError, keyStoreKind, LocalKeysNotMovedError, loadConfig } from '@ecf/runtime';
import { startTracing } from '@ecf/runtime/observability';
import { createApp } from './app.factory';

/**
 * The address a person can open: a wildcard listener (0.0.0.0, ::) is reached on localhost from the same
 * machine, and an IPv6 literal needs brackets in a URL.
 */
function browsableUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

async function main(): Promise<void> {
  // First, so every span of the process is exported; nothing starts unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  startTracing('ecf-api');
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { address: string; port: number };
  const url = browsableUrl(address.address, address.port);
  // One structured line that scripts (and the e2e tests) wait for, then one for the person who ran `npm start`;
  // written at once, so whoever has read the first has the second too.
  const started = { msg: 'listening', port: address.port, host: address.address, url, console: `${url}/console/`, dataDir: config.dataDir, eventStore: config.eventStore, keyStore: keyStoreKind(config) };
  console.warn(
    `${JSON.stringify(started)}\nECF induction engine listening on ${url} — web console: ${url}/console/ (sign in with a key from \`npm run cli -- keys create\`), API documentation: ${url}/docs`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof LocalKeysNotMovedError ? error.message : error);
  process.exit(1);
});
