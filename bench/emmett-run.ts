import { parseArgs } from 'node:util';
import { emmettPeerBenchmark } from './emmett-peer';

/** `npm run build && node dist/bench/emmett-run.js [--commands 2000]`: the Emmett peer alone, one JSON document on stdout. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { commands: { type: 'string', default: '2000' } } });
  const report = await emmettPeerBenchmark({ commands: Number(values.commands) });
  process.stdout.write(`${JSON.stringify({ ranAt: new Date().toISOString(), ...report }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
