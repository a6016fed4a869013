import { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Host, HostNetwork } from './network-hosts';

const ROOT = resolve(__dirname, '..', '..');
const API_ENTRY = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const PROJECTOR_ENTRY = join(ROOT, 'dist', 'apps', 'projector', 'src', 'main.js');

/**
 * One of our processes (the API or the projector) on a host of its own: its logs, its address and its
 * process id, to kill, freeze (SIGSTOP) and thaw (SIGCONT) it as a failing host would. Every process
 * in a host is killed when the network is destroyed.
 */
export class HostProcess {
  private readonly output: string[] = [];
  private exitCode: number | null | undefined = undefined;

  private constructor(
    readonly host: Host,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    child.stdout.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.once('exit', (code) => (this.exitCode = code));
  }

  /** The API listening on the host's address, port 3000. */
  static api(network: HostNetwork, host: Host, env: Record<string, string>): Promise<HostProcess> {
    return HostProcess.start(network, host, API_ENTRY, { PORT: '3000', ...env }, '"msg":"listening"');
  }

  /** A projector with its metrics listener on the host's address, port 9464. */
  static projector(network: HostNetwork, host: Host, env: Record<string, string>): Promise<HostProcess> {
    // At info: its start and each lease it takes or loses are logged there.
    return HostProcess.start(network, host, PROJECTOR_ENTRY, { METRICS_PORT: '9464', LOG_LEVEL: 'info', ...env }, '"msg":"projector started"');
  }

  private static async start(network: HostNetwork, host: Host, entry: string, env: Record<string, string>, readyLine: string): Promise<HostProcess> {
    // `ip netns exec` execs the program: the child's pid is the program's own.
    const child = network.spawn(host, process.execPath, [entry], { env: { ...process.env, HOST: host.address, LOG_LEVEL: 'warn', ...env } });
    const started = new HostProcess(host, child);
    await new Promise<void>((resolveStart, reject) => {
      const timer = setTimeout(() => reject(new Error(`${entry} on ${host.name} did not start:\n${started.logs()}`)), 30_000);
      const onData = () => {
        if (started.logs().includes(readyLine)) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          child.stderr.off('data', onData);
          resolveStart();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${entry} on ${host.name} exited with ${code}:\n${started.logs()}`));
      });
    });
    return started;
  }

  get baseUrl(): string {
    return `http://${this.host.address}:3000`;
  }

  get metricsUrl(): string {
    return `http://${this.host.address}:9464/metrics`;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  logs(): string {
    return this.output.join('');
  }

  /** SIGKILL, resolving once the process is gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolveExit) => this.child.once('exit', resolveExit));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the process as a hung host (SIGSTOP): it holds its connections and does nothing. */
  freeze(): void {
    this.child.kill('SIGSTOP');
  }

  thaw(): void {
    this.child.kill('SIGCONT');
  }
}
