import { Command } from 'commander';
import { KEY_SCHEMA, KeyMoveCounts, loadConfig, migrateLocalToPostgres } from '@ecf/runtime';
import { outputTable } from '../output-table';

interface Options {
  dataDir?: string;
  databaseUrl?: string;
  dryRun?: boolean;
  json?: boolean;
}

const row = (label: string, counts: KeyMoveCounts) => [label, counts.found, counts.moved, counts.alreadyThere, counts.carriedOver, counts.keptRevokedOrErased, counts.conflicts.length];

/**
 * `ecf migrate-local-to-postgres`: moves an embedded installation's API keys and personal-data keys
 * from DATA_DIR into PostgreSQL (schema ecf_keys), where server mode keeps them. Idempotent; prints
 * what it moved, skipped and could not reconcile. Exits 1 when there are conflicts.
 */
export function migrateLocalToPostgresCommand(): Command {
  return new Command('migrate-local-to-postgres')
    .description('Move DATA_DIR’s API keys and personal-data keys into PostgreSQL (server mode); safe to run again')
    .option('--data-dir <dir>', 'the embedded installation’s directory (default: DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL connection string (default: DATABASE_URL)')
    .option('--dry-run', 'report what would be moved, and write nothing')
    .option('--json', 'print JSON')
    .action(async (options: Options) => {
      const config = loadConfig();
      const dataDir = options.dataDir ?? config.dataDir;
      const databaseUrl = options.databaseUrl ?? config.databaseUrl;
      if (!databaseUrl) throw new Error('No database to move the keys to: pass --database-url or set DATABASE_URL.');
      const report = await migrateLocalToPostgres({ dataDir, databaseUrl, dryRun: options.dryRun === true });
      const conflicts = report.apiKeys.conflicts.length + report.personalDataKeys.conflicts.length;
      if (conflicts > 0) process.exitCode = 1;
      if (options.json) return console.log(JSON.stringify({ dataDir, schema: KEY_SCHEMA, ...report }));

      console.log(`${report.dryRun ? 'Dry run, nothing written: would move' : 'Moved'} keys from ${dataDir} to PostgreSQL (schema ${KEY_SCHEMA}):`);
      const table = outputTable({ head: ['', 'found', report.dryRun ? 'to move' : 'moved', 'already there', 'revoked/erased carried over', 'kept revoked/erased', 'conflicts'] });
      table.push(row('API keys', report.apiKeys), row('personal-data keys', report.personalDataKeys));
      console.log(table.toString());
      for (const id of report.apiKeys.conflicts) console.log(`Conflict: API key ${id} exists in PostgreSQL with another secret, name, role or scope; neither was changed.`);
      for (const id of report.personalDataKeys.conflicts) {
        console.log(`Conflict: participant ${id} has another key in PostgreSQL; neither was changed (the right one is the key that opens their events).`);
      }
      console.log('Not moved:');
      for (const line of report.notMoved) console.log(`  ${line}`);
      if (!report.dryRun && conflicts === 0) console.log('Server mode can now start with this DATA_DIR (or without one): its keys are all in PostgreSQL.');
    });
}
