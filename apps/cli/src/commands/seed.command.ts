import { Command, InvalidArgumentError } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { mkdirSync } from 'node:fs';
import { AppConfig, DataDirInUseError, DataDirLock, dataFiles, loadConfig, loadProgrammeCalendar, loadProgrammeData, openConfiguredReadModels, openEventStore } from '@ecf/runtime';
import { seedPlan } from '../seed/seed-plan';
import { SeedRunner } from '../seed/seed-runner';

interface SeedOptions {
  participants: number;
  seed: number;
  json?: boolean;
  force?: boolean;
}

/**
 * The seed writes alone: it takes DATA_DIR's lock exclusively, so it refuses a directory a running API
 * or projector holds. With --force it writes beside them and leaves the cascades to their policies.
 */
function lockDataDir(dataDir: string, force: boolean): { lock: DataDirLock | null; live: boolean } {
  try {
    return { lock: DataDirLock.acquire(dataDir, 'exclusive'), live: false };
  } catch (error) {
    if (!(error instanceof DataDirInUseError) || !force) throw error;
    console.error(`DATA_DIR ${dataDir} is in use by a running API or projector; seeding beside it (--force). Its policies cascade the seed's commands.`);
    return { lock: null, live: true };
  }
}

const wholeNumber =
  (minimum: number) =>
  (value: string): number => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < minimum) throw new InvalidArgumentError(`must be a whole number of at least ${minimum}`);
    return parsed;
  };

/**
 * `ecf seed`: fills the configured store with a realistic, deterministic history through the real
 * command path (for benchmarks and demonstrations; it refuses a live store unless --force). Run it
 * again with the same options to resume an interrupted seed.
 */
export function seedCommand(): Command {
  return new Command('seed')
    .description('Generate a deterministic, realistic history (schools, participants, two years of operations) through the command path; resumable')
    .requiredOption('--participants <n>', 'participants to register (induction tutors, ECTs and mentors)', wholeNumber(10))
    .option('--seed <n>', 'random seed: the same seed gives the same history', wholeNumber(0), 1)
    .option('--json', 'print the summary as JSON')
    .option('--force', 'seed even though a running API or projector holds DATA_DIR (its policies then cascade the seed’s commands)')
    .action(async (options: SeedOptions) => {
      const config = loadConfig();
      mkdirSync(config.dataDir, { recursive: true });
      const { lock, live } = lockDataDir(config.dataDir, options.force === true);
      try {
        await seed(config, options, live);
      } finally {
        lock?.release();
      }
    });
}

async function seed(config: AppConfig, options: SeedOptions, live: boolean): Promise<void> {
  const programme = loadProgrammeData(config.programmeFile);
  const plan = seedPlan(options.participants, options.seed, programme, loadProgrammeCalendar(config.programmeFile, programme).curriculum);
  const store = await openEventStore(config);
  const readModels = await openConfiguredReadModels(config);
  const bar = new SingleBar({ stream: process.stderr, format: 'seed {bar} {percentage}% {value}/{total} commands | day {day} | eta {eta_formatted}', etaBuffer: 5000 }, Presets.shades_classic);
  bar.start(plan.actions.length, 0, { day: '' });
  try {
    const summary = await new SeedRunner(store, readModels, programme, plan, {
      progressFile: dataFiles(config.dataDir).seedProgress,
      onProgress: (done, day) => bar.update(done, { day }),
      runCascades: !live,
    }).run();
    bar.stop();
    if (options.json) console.log(JSON.stringify(summary, null, 2));
    else {
      const rejected = Object.entries(summary.rejected).map(([code, count]) => `${code} ${count}`).join(', ') || 'none';
      console.log(
        `Seeded ${summary.participants} participants at ${summary.schools} schools: ${summary.actions} commands planned, ${summary.written} written, ` +
          `${summary.replayed} already in the store, refused by the rules: ${rejected}. Log head at position ${summary.headPosition}; ${summary.seconds.toFixed(1)} s.`,
      );
    }
  } finally {
    bar.stop();
    await readModels.close();
    await store.close();
  }
}
