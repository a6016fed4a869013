import { Command, CommanderError } from 'commander';
import { ConfigError } from '@ecf/runtime';
import { forgetCommand } from './commands/forget.command';
import { importCommand } from './commands/import.command';
import { keysCommand } from './commands/keys.command';
import { migrateCommand } from './commands/migrate.command';
import { projectionsCommand } from './commands/projections.command';
import { replayCommand } from './commands/replay.command';
import { seedCommand } from './commands/seed.command';
import { verifyCommand } from './commands/verify.command';

/** The operator CLI: `npm run cli -- <command>` or the package's `ecf` bin. */
export async function runCli(argv: string[]): Promise<void> {
  const program = new Command('ecf')
    .description('ECF induction engine: operator commands (configuration from the environment, e.g. DATA_DIR)')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(keysCommand());
  program.addCommand(importCommand());
  program.addCommand(verifyCommand());
  program.addCommand(replayCommand());
  program.addCommand(forgetCommand());
  program.addCommand(migrateCommand());
  program.addCommand(projectionsCommand());
  program.addCommand(seedCommand());
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

if (require.main === module) void runCli(process.argv);
