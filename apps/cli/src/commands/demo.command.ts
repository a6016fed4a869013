import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Command, InvalidArgumentError } from 'commander';
import { projectRoot } from '@ecf/runtime';

interface DemoOptions {
  participants: number;
  dataDir: string;
  port: number;
}

const wholeNumber =
  (minimum: number, maximum: number) =>
  (value: string): number => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed < minimum || parsed > maximum) throw new InvalidArgumentError(`must be a whole number from ${minimum} to ${maximum}`);
    return parsed;
  };

/**
 * The demonstration always runs on the embedded store in a directory of its own: settings for a server
 * store in the caller's shell must not send a few hundred invented participants to a real database.
 */
const demoEnvironment = (dataDir: string, port: number): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), EVENT_STORE: 'sqlite', READ_MODEL_STORE: 'sqlite', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  delete env.DATABASE_URL;
  delete env.ESDB_CONNECTION_STRING;
  return env;
};

const cliEntry = (): string => join(projectRoot(), 'bin', 'ecf.js');
const apiEntry = (): string => join(projectRoot(), 'dist', 'apps', 'api', 'src', 'main.js');

/** `ecf seed` in a process of its own, its progress bar on this terminal; the same options again resume or find it done. */
function seedDemoData(options: DemoOptions, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolveSeed, reject) => {
    const child = spawn(process.execPath, [cliEntry(), 'seed', '--participants', String(options.participants)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveSeed() : reject(new Error(`the seed of ${options.dataDir} ended with exit code ${code}; its message is above`))));
  });
}

async function createDemoKey(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [cliEntry(), 'keys', 'create', '--role', 'dpl', '--name', 'Demo DPL', '--json'], { env });
  return (JSON.parse(stdout) as { token: string }).token;
}

/** Starts the API and resolves with the console's address from its start-up line, once it listens. */
function startApi(env: NodeJS.ProcessEnv): Promise<{ api: ChildProcess; consoleUrl: string }> {
  return new Promise((resolveStart, reject) => {
    const api = spawn(process.execPath, [apiEntry()], { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let seen = '';
    const onOutput = (chunk: Buffer) => {
      process.stderr.write(chunk);
      seen += chunk.toString();
      const started = /^\{"msg":"listening".*$/m.exec(seen);
      if (!started) return;
      api.stderr?.off('data', onOutput);
      api.stderr?.pipe(process.stderr);
      resolveStart({ api, consoleUrl: (JSON.parse(started[0]) as { console: string }).console });
    };
    api.stderr?.on('data', onOutput);
    api.once('error', reject);
    api.once('exit', (code) => reject(new Error(`the API ended with exit code ${code} before it listened; its message is above`)));
  });
}

/**
 * `ecf demo`: a console full of participants in one step — seeds a data directory of its own, creates a
 * DPL key (every page and command, every school), starts the API on it and says where to sign in.
 * It runs until interrupted; the data stays, so running it again reuses them.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('Seed a demonstration data directory, create a DPL key, start the API on it and print the console’s address and the key (Ctrl-C stops it)')
    .option('--participants <n>', 'participants to seed', wholeNumber(10, 5_000), 300)
    .option('--data-dir <dir>', 'the demonstration’s own data directory (under ./data, which git ignores)', './data/demo')
    .option('--port <n>', 'the API’s port (0 picks a free one)', wholeNumber(0, 65_535), 3000)
    .action(async (options: DemoOptions) => {
      if (!existsSync(apiEntry())) throw new Error('the API is not built yet: run `npm run build` first (`npm run demo` does)');
      const dataDir = resolve(options.dataDir);
      const env = demoEnvironment(dataDir, options.port);
      await seedDemoData({ ...options, dataDir }, env);
      const key = await createDemoKey(env);
      const { api, consoleUrl } = await startApi(env);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => api.kill(signal));
      console.log(
        `\nDemo ready: ${options.participants} participants in ${dataDir}.\n` +
          `Console: ${consoleUrl}\n` +
          `Key: ${key}\n` +
          `Sign in with the key (a DPL's: every school, every command). Ctrl-C stops the API; the data stay for the next run.\n`,
      );
      const exitCode = await new Promise<number>((resolveExit) => api.once('exit', (code, signal) => resolveExit(code ?? (signal ? 0 : 1))));
      process.exitCode = exitCode;
    });
}
