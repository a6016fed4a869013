import { Command } from 'commander';
import { migratePostgres } from '@ecf/event-store';

interface MigrateOptions {
  databaseUrl?: string;
  schema: string;
  json?: boolean;
}

/**
 * `ecf migrate`: brings a PostgreSQL event store's schema to the latest version, for deploy scripts
 * that migrate before starting the API and projector. Safe to run while they start: migrations take
 * an advisory lock, and the stores apply the same migrations when they open.
 */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('Apply the PostgreSQL event store’s schema migrations and list those applied')
    .option('--database-url <url>', 'PostgreSQL connection string (default: DATABASE_URL)')
    .option('--schema <name>', 'the schema holding the event store (created if missing)', 'public')
    .option('--json', 'print JSON')
    .action(async (options: MigrateOptions) => {
      const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
      if (!databaseUrl) throw new Error('No database to migrate: pass --database-url or set DATABASE_URL.');
      const applied = await migratePostgres(databaseUrl, options.schema);
      if (options.json) return console.log(JSON.stringify(applied));
      if (applied.length === 0) return console.log(`Schema ${options.schema} is already at the latest version.`);
      console.log(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to schema ${options.schema}:`);
      for (const migration of applied) console.log(`  ${String(migration.version).padStart(4, '0')} ${migration.name}`);
    });
}
