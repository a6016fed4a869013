import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { projectRoot } from '@ecf/runtime';
import { demoCommand } from './commands/demo.command';
import { forgetCommand } from './commands/forget.command';
import { importCommand } from './commands/import.command';
import { keysCommand } from './commands/keys.command';
import { migrateCommand } from './commands/migrate.command';
import { migrateLocalToPostgresCommand } from './commands/migrate-local-to-postgres.command';
import { projectionsCommand } from './commands/projections.command';
import { replayCommand } from './commands/replay.command';
import { seedCommand } from './commands/seed.command';
import { verifyCommand } from './commands/verify.command';

const packageVersion = (): string => (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/** `ecf keys create`, as typed. */
const commandLine = (command: Command): string => (command.parent ? `${commandLine(command.parent)} ${command.name()}` : command.name());

/**
 * Every command, subcommands included (`addCommand` does not pass settings down): commander hands its
 * errors back instead of calling process.exit, each usage error ends with where to read the options,
 * and `reported` remembers the errors commander has already written (usage, help, version).
 */
function configure(command: Command, reported: WeakSet<CommanderError>): void {
  command.exitOverride((error) => {
    reported.add(error);
    throw error;
  });
  if (command.parent) command.showHelpAfterError(`(see \`${commandLine(command)} --help\`)`);
  for (const subcommand of command.commands) configure(subcommand, reported);
}

/** The operator CLI: `npm run cli -- <command>` or the package's `ecf` bin. */
export async function runCli(argv: string[]): Promise<void> {
  const program = new Command('ecf')
    .description('ECF induction engine: operator commands (configuration from the environment, e.g. DATA_DIR)')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError();
  program.addCommand(keysCommand());
  program.addCommand(importCommand());
  program.addCommand(verifyCommand());
  program.addCommand(replayCommand());
  program.addCommand(forgetCommand());
  program.addCommand(migrateCommand());
  program.addCommand(migrateLocalToPostgresCommand());
  program.addCommand(projectionsCommand());
  program.addCommand(seedCommand());
  program.addCommand(demoCommand());
  const reported = new WeakSet<CommanderError>();
  configure(program, reported);
  let running: Command | undefined;
  program.hook('preAction', (_program, actionCommand) => {
    running = actionCommand;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = error instanceof CommanderError ? error.exitCode : 1;
    if (error instanceof CommanderError && reported.has(error)) return;
    // An action failed: commander leaves its errors to us, so say what went wrong (and, for a usage error, where to read the options).
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof CommanderError && running) console.error(`(see \`${commandLine(running)} --help\`)`);
    if (process.exitCode === 0) process.exitCode = 1;
  }
}

if (require.main === module) void runCli(process.argv);
