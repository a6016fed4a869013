import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { projectRoot } from '@ecf/runtime';
import { ratioBars, ratioChartSvg } from './chart';
import { postgresCommandBenchmark } from './commands-postgres';
import { sqliteCommandBenchmark } from './commands-sqlite';
import { emmettPeerBenchmark } from './emmett-peer';
import { httpBenchmark } from './http';
import { keyStoreBenchmark } from './keys-postgres';
import { nationalBenchmarks } from './national';
import { BenchFigure, round } from './support';

/**
 * `npm run bench`: each figure beside a baseline measured in the same run on the same machine,
 * printed as one JSON document and written to bench/results/. See docs/benchmarks.md for the method
 * and the settings (BENCH_ONLY, BENCH_PARTICIPANTS, ...).
 */
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const SECTIONS = ['sqlite', 'postgres', 'keys', 'emmett', 'http', 'national'] as const;
type Section = (typeof SECTIONS)[number];
const only = new Set((process.env.BENCH_ONLY ?? SECTIONS.join(',')).split(',').map((name) => name.trim()));
const wanted = (section: Section) => only.has(section);
/** BENCH_HTTP_ONLY=feed: of the HTTP section, the feed alone (HttpBenchmarkOptions.only). */
function httpOnly(): 'feed' | undefined {
  const part = process.env.BENCH_HTTP_ONLY;
  if (part === undefined || part === 'feed') return part;
  throw new Error(`BENCH_HTTP_ONLY: unknown part ${part} (known: feed)`);
}

async function main(): Promise<void> {
  const unknown = [...only].filter((name) => !(SECTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown section ${unknown.join(', ')} (known: ${SECTIONS.join(', ')})`);
  const dir = mkdtempSync(join(tmpdir(), 'ecf-bench-'));
  const commands = { participants: env('BENCH_COMMAND_PARTICIPANTS', 200), commandsPerParticipant: env('BENCH_COMMANDS_PER_PARTICIPANT', 10) };
  const participants = env('BENCH_PARTICIPANTS', 150_000);
  const seed = env('BENCH_SEED', 1);
  const results: BenchFigure[] = [];
  try {
    if (wanted('sqlite')) {
      results.push(await sqliteCommandBenchmark(dir, 'FULL', commands));
      results.push(await sqliteCommandBenchmark(dir, 'NORMAL', commands));
    }
    if (wanted('postgres')) {
      results.push(
        await postgresCommandBenchmark(dir, {
          serverUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
          clients: env('BENCH_PG_CLIENTS', 16),
          participantsPerClient: env('BENCH_PG_PARTICIPANTS_PER_CLIENT', 20),
          commandsPerParticipant: commands.commandsPerParticipant,
        }),
      );
    }
    if (wanted('keys')) {
      results.push(
        await keyStoreBenchmark(dir, {
          serverUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
          participants: env('BENCH_KEYS_PARTICIPANTS', 200),
          commandsPerParticipant: env('BENCH_KEYS_COMMANDS_PER_PARTICIPANT', 5),
          authentications: env('BENCH_KEYS_AUTHENTICATIONS', 2000),
        }),
      );
    }
    if (wanted('emmett')) results.push(await emmettPeerBenchmark({ commands: env('BENCH_EMMETT_COMMANDS', 2000) }));
    if (wanted('http')) results.push(await httpBenchmark({ durationSeconds: env('BENCH_HTTP_SECONDS', 10), connections: env('BENCH_HTTP_CONNECTIONS', 64), only: httpOnly() }));
    if (wanted('national')) {
      const seedDir = resolve(process.env.BENCH_SEED_DIR ?? join(projectRoot(), 'bench', 'data', `sqlite-${participants}-s${seed}`));
      results.push(...(await nationalBenchmarks({ participants, seed, seedDir, asIs: process.env.BENCH_SEEDED_AS_IS === 'true', samples: env('BENCH_SAMPLES', 500) })));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const report = {
    ranAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: round(totalmem() / 2 ** 30) },
    results,
  };
  const json = JSON.stringify(report, null, 2);
  const outDir = resolve(projectRoot(), 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const stem = join(outDir, `${report.ranAt.replace(/[:.]/g, '-')}-${createHash('sha1').update(json).digest('hex').slice(0, 6)}`);
  writeFileSync(`${stem}.json`, `${json}\n`);
  // The ratios and their targets at a glance (docs/benchmarks.md links the chart of the run it reports).
  writeFileSync(`${stem}.svg`, `${ratioChartSvg(ratioBars(results), `npm run bench, ${report.ranAt}`)}\n`);
  process.stdout.write(`${json}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
