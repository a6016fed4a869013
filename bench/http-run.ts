import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { httpBenchmark } from './http';

/**
 * `npm run build && node dist/bench/http-run.js [--duration 10] [--connections 64] [--participants 300]
 * [--log-level warn] [--cpu-prof DIR] [--only feed|command]`: the HTTP benchmark alone, one JSON document on stdout.
 * --cpu-prof writes a V8 CPU profile of every server under the same load into DIR/<server>/, and each measured
 * route's interval into DIR/windows.json (`node dist/bench/profile-budget.js DIR` reads them). --only feed measures
 * the feed and its raw scan alone, --only command the bare apps and the command alone (HttpBenchmarkOptions.only).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '64' },
      participants: { type: 'string', default: '300' },
      'log-level': { type: 'string', default: 'warn' },
      'cpu-prof': { type: 'string' },
      only: { type: 'string' },
    },
  });
  const profileDir = values['cpu-prof'];
  const only = values.only;
  if (only !== undefined && only !== 'feed' && only !== 'command') throw new Error(`--only: unknown part ${only} (known: feed, command)`);
  const report = await httpBenchmark({
    durationSeconds: Number(values.duration),
    connections: Number(values.connections),
    participants: Number(values.participants),
    logLevel: values['log-level'],
    only,
    cpuProfileDir: profileDir === undefined ? undefined : resolve(profileDir),
  });
  process.stdout.write(`${JSON.stringify({ ranAt: new Date().toISOString(), ...report }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
