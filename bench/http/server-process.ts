import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const START_TIMEOUT_MS = 30_000;
const KEPT_OUTPUT_CHARS = 20_000;

/**
 * A server in a child process of its own, so the load generator and the server never share an event
 * loop. The entry prints one `{"msg":"listening","port":N}` line (as the API's main does) once it
 * listens on 127.0.0.1; PORT=0 lets it pick a free port.
 */
export class ServerProcess {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly baseUrl: string,
    private readonly output: { text: string },
  ) {}

  static async start(entry: string, env: Record<string, string>, nodeArgs: readonly string[] = [], args: readonly string[] = []): Promise<ServerProcess> {
    const child = spawn(process.execPath, [...nodeArgs, entry, ...args], { env: { ...process.env, PORT: '0', ...env } });
    const output = { text: '' };
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`${entry} did not start within ${START_TIMEOUT_MS} ms:\n${output.text}`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        // Only the tail is kept: a long run at a chatty log level must not grow without bound.
        output.text = (output.text + chunk.toString()).slice(-KEPT_OUTPUT_CHARS);
        const match = /"msg":"listening","port":(\d+)/.exec(output.text);
        if (match) {
          clearTimeout(timer);
          child.removeListener('exit', onEarlyExit);
          resolvePort(Number(match[1]));
        }
      };
      const onEarlyExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${entry} exited with ${code} before listening:\n${output.text}`));
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', onEarlyExit);
    });
    return new ServerProcess(child, `http://127.0.0.1:${port}`, output);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * CPU time the server has used so far (user + system, ms), from /proc; null where there is none.
   * Per request it is steadier than throughput when other work shares the machine's cores.
   */
  cpuMilliseconds(): number | null {
    try {
      // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return null;
    }
  }

  /** The last lines the server printed, for an error message. */
  logs(): string {
    return this.output.text;
  }

  /** SIGTERM and wait: the server's shutdown hooks run (and a --cpu-prof profile is written). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolveExit) => this.child.once('exit', resolveExit));
    this.child.kill('SIGTERM');
    await exited;
  }
}
