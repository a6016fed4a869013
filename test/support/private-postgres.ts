import { ChildProcessWithoutNullStreams, execFileSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Host, HostNetwork } from './network-hosts';

/** The newest server binaries of Debian's packages (postgresql-NN), e.g. /usr/lib/postgresql/15/bin. */
function serverBinaries(): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql (Debian package postgresql-NN)');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

const userIds = (user: string): [string, string] => [execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim(), execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim()];

/**
 * A PostgreSQL server of the test's own: initdb on a temporary data directory, the server listening on
 * its host's address only. PostgreSQL refuses to run as root, so both run as the `postgres` OS user
 * (setpriv: a plain exec, so the process is the server itself). Trust authentication, no fsync: a
 * throwaway server for one test.
 */
export class PrivatePostgres {
  private constructor(
    private readonly server: ChildProcessWithoutNullStreams,
    private readonly dataDir: string,
    readonly host: Host,
    private readonly output: string[],
  ) {}

  static async start(network: HostNetwork, host: Host): Promise<PrivatePostgres> {
    const bin = serverBinaries();
    const [uid, gid] = userIds('postgres');
    const asPostgres = ['--reuid', uid, '--regid', gid, '--clear-groups'];
    const dataDir = mkdtempSync(join(tmpdir(), 'ecf-private-pg-'));
    const output: string[] = [];
    let server: ChildProcessWithoutNullStreams | null = null;
    try {
      chownSync(dataDir, Number(uid), Number(gid));
      execFileSync('setpriv', [...asPostgres, join(bin, 'initdb'), '-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale', 'C', '--no-sync'], {
        cwd: '/',
        stdio: 'pipe',
      });
      // Reached over the hosts' network, from any address on the server's own subnet.
      appendFileSync(join(dataDir, 'pg_hba.conf'), 'host all all samenet trust\n');
      server = network.spawn(
        host,
        'setpriv',
        [...asPostgres, join(bin, 'postgres'), '-D', dataDir, '-c', `listen_addresses=${host.address}`, '-c', 'port=5432', '-c', `unix_socket_directories=${dataDir}`, '-c', 'fsync=off'],
        { cwd: '/' },
      );
      server.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      server.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const postgres = new PrivatePostgres(server, dataDir, host, output);
      await postgres.waitUntilAccepting();
      return postgres;
    } catch (error) {
      // Nothing left behind: the test's afterAll never sees a server that failed to start.
      server?.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@${this.host.address}:5432/${database}`;
  }

  async query<Row extends object>(database: string, text: string, values: unknown[] = []): Promise<Row[]> {
    const client = new Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query<Row>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  logs(): string {
    return this.output.join('');
  }

  /** Stops the server at once (SIGKILL: it is thrown away) and removes its data directory. */
  stop(): void {
    if (this.server.exitCode === null && this.server.signalCode === null) this.server.kill('SIGKILL');
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async waitUntilAccepting(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.server.exitCode !== null) throw new Error(`PostgreSQL exited with ${this.server.exitCode}:\n${this.logs()}`);
      try {
        await this.query('postgres', 'SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections at ${this.host.address}:5432 within ${timeoutMs} ms: ${(error as Error).message}\n${this.logs()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
