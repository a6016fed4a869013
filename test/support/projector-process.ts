import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const PROJECTOR_ENTRY = join(resolve(__dirname, '..', '..'), 'dist', 'apps', 'projector', 'src', 'main.js');

/** The projector as a real child process on an API's data directory (start the API with RUN_PROJECTIONS=false). */
export class ProjectorProcess {
  private readonly output: string[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  }

  static start(dataDir: string, env: Record<string, string> = {}): ProjectorProcess {
    return new ProjectorProcess(spawn(process.execPath, [PROJECTOR_ENTRY], { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env } }));
  }

  /** Resolves when the process ends on its own (e.g. killed by an injected fault). */
  async exit(timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Projector did not exit within ${timeoutMs} ms:\n${this.logs()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  logs(): string {
    return this.output.join('');
  }

  /** kill -9, wherever it is. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}
