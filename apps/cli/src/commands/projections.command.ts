import { Command } from 'commander';
import { Checkpoints, ConsumerStatus, PRODUCT_PROJECTION_NAMES, productProjections, withLag } from '@ecf/projections';
import { loadConfig, loadProgrammeCalendar, loadProgrammeData, openConfiguredReadModels, openEventStore } from '@ecf/runtime';
import { outputTable } from '../output-table';

async function withStores<T>(work: (stores: { checkpoints: Checkpoints; status: () => Promise<ConsumerStatus[]> }) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openEventStore(config);
  const db = await openConfiguredReadModels(config);
  const checkpoints = new Checkpoints(db);
  try {
    return await work({ checkpoints, status: async () => withLag(store, await checkpoints.all()) });
  } finally {
    await db.close();
    await store.close();
  }
}

function printStatus(statuses: readonly ConsumerStatus[]): void {
  const table = outputTable({ head: ['name', 'generation', 'role', 'version', 'status', 'position', 'lag (events)', 'lag (s)', 'last error'] });
  for (const status of statuses) {
    table.push([status.name, status.generation, status.role, status.version, status.status, status.position, status.lagPositions, status.lagSeconds, status.lastError ?? '']);
  }
  console.log(table.toString());
}

const statusCommand = () =>
  new Command('status')
    .description('Each projection and policy: generation, position, lag in events and seconds, last error; exit 2 if any failed')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withStores(async ({ status }) => {
        const statuses = await status();
        if (options.json) console.log(JSON.stringify(statuses, null, 2));
        else printStatus(statuses);
        if (statuses.some((checkpoint) => checkpoint.status === 'failed')) process.exitCode = 2;
      });
    });

/** The projections this build runs, with their current versions. */
function projections() {
  const { programmeFile } = loadConfig();
  return productProjections(loadProgrammeCalendar(programmeFile, loadProgrammeData(programmeFile)));
}

const rebuildCommand = () =>
  new Command('rebuild')
    .description('Build a new generation of a projection beside the live one; the running projector swaps it in once caught up')
    .argument('<name>', `one of: ${PRODUCT_PROJECTION_NAMES.join(', ')}`)
    .option('--wait', 'wait until the new generation is live, printing progress')
    .option('--timeout <seconds>', 'give up waiting after this long', (value) => Number.parseInt(value, 10), 600)
    .action(async (name: string, options: { wait?: boolean; timeout: number }) => {
      const all = projections();
      const projection = all.find((candidate) => candidate.name === name);
      if (!projection) throw new Error(`No projection named "${name}"; choose one of: ${all.map((candidate) => candidate.name).join(', ')}`);
      await withStores(async ({ checkpoints, status }) => {
        const building = await checkpoints.requestRebuild(name, projection.version);
        console.log(`Generation ${building.generation} of ${name} requested; the process running projections builds it beside the live one and swaps when caught up.`);
        if (!options.wait) return;
        const deadline = Date.now() + options.timeout * 1000;
        for (;;) {
          const mine = (await status()).filter((checkpoint) => checkpoint.name === name);
          const live = mine.find((checkpoint) => checkpoint.role === 'live');
          const rebuilding = mine.find((checkpoint) => checkpoint.generation === building.generation);
          if (live && live.generation >= building.generation) return console.log(`Generation ${live.generation} of ${name} is live at position ${live.position}.`);
          if (rebuilding?.status === 'failed') throw new Error(`The rebuild failed: ${rebuilding.lastError ?? 'no error recorded'}`);
          if (Date.now() > deadline) throw new Error(`Generation ${building.generation} is not live after ${options.timeout} s (is a projector running?)`);
          console.log(`building generation ${building.generation}: position ${rebuilding?.position ?? 0}, ${rebuilding?.lagPositions ?? '?'} behind`);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      });
    });

/** `ecf projections status|rebuild`: operating the read models without downtime. */
export function projectionsCommand(): Command {
  return new Command('projections').description('Projection operations: status, rebuild beside the live read model').addCommand(statusCommand()).addCommand(rebuildCommand());
}
