import { ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..');
const API_ENTRY = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const CLI_ENTRY = join(ROOT, 'bin', 'ecf.js');

/** The settings that say where the data is: the CLI must be given the API's (server mode keeps API keys and personal-data keys in PostgreSQL). */
const STORE_SETTINGS = ['EVENT_STORE', 'DATABASE_URL', 'ESDB_CONNECTION_STRING', 'READ_MODEL_STORE'];
const storeSettingsOf = (env: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(env).filter(([name]) => STORE_SETTINGS.includes(name)));

/** The real API process on a temporary data directory (built by `npm run build`, as `npm test` does first). */
export class ApiProcess {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly baseUrl: string,
    readonly dataDir: string,
    private readonly output: string[],
    private readonly storeEnv: Record<string, string>,
  ) {}

  static async start(env: Record<string, string> = {}, dataDir: string = mkdtempSync(join(tmpdir(), 'ecf-e2e-'))): Promise<ApiProcess> {
    const child = spawn(process.execPath, [API_ENTRY], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    });
    const output: string[] = [];
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`API did not start:\n${output.join('')}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output.push(chunk.toString());
        const match = /"msg":"listening","port":(\d+)/.exec(output.join(''));
        if (match) {
          clearTimeout(timer);
          resolvePort(Number(match[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`API exited with ${code}:\n${output.join('')}`));
      });
    });
    return new ApiProcess(child, `http://127.0.0.1:${port}`, dataDir, output, storeSettingsOf(env));
  }

  /** Runs the operator CLI against this API's data: its DATA_DIR and its stores. */
  async cli(...args: string[]): Promise<string> {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI_ENTRY, ...args], { env: { ...process.env, ...this.storeEnv, DATA_DIR: this.dataDir } });
    return stdout;
  }

  /** Runs the operator CLI and reports how it ended, for commands whose exit code is part of their answer. */
  cliRun(args: string[], env: Record<string, string> = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    return new Promise((resolveRun) => {
      execFile(process.execPath, [CLI_ENTRY, ...args], { env: { ...process.env, ...this.storeEnv, DATA_DIR: this.dataDir, ...env } }, (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolveRun({ exitCode, stdout, stderr });
      });
    });
  }

  async createKey(role: string, ...options: string[]): Promise<string> {
    const created = JSON.parse(await this.cli('keys', 'create', '--role', role, '--name', `${role} e2e`, '--json', ...options)) as { token: string };
    return created.token;
  }

  logs(): string {
    return this.output.join('');
  }

  /** Stops this process and starts another on the same data directory (e.g. with other settings). */
  async restart(env: Record<string, string> = {}): Promise<ApiProcess> {
    await this.terminate();
    return ApiProcess.start(env, this.dataDir);
  }

  /** kill -9: no shutdown hooks, no flush — as a power cut would leave it. The data directory stays. */
  async crash(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolveExit) => this.child.once('exit', resolveExit));
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.terminate();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Stops the process (SIGTERM) and keeps its data directory, for the test to inspect or copy. */
  async stopKeepingData(): Promise<void> {
    await this.terminate();
  }

  private async terminate(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolveExit) => this.child.once('exit', resolveExit));
      this.child.kill('SIGTERM');
      await exited;
    }
  }
}
