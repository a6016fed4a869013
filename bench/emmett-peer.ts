import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '@ecf/runtime';
import { parsePeerFigures } from './emmett-figures';

/** Its own npm package: Emmett's peer dependencies (commander 12, emmett 0.42) conflict with the root's. */
const PEER_DIR = join(projectRoot(), 'bench', 'peers', 'emmett');

/** `npm ci` in the peer's folder when it has never been installed (sqlite3 compiles from source: a minute or two). */
async function installPeer(): Promise<void> {
  if (existsSync(join(PEER_DIR, 'node_modules'))) return;
  console.error('Installing the Emmett peer (bench/peers/emmett) ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // npm's progress goes to stderr: stdout carries the benchmark's JSON.
  const child = spawn(npm, ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], { stdio: ['ignore', process.stderr, process.stderr] });
  const code = await new Promise<number | null>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', resolveExit);
  });
  if (code !== 0) throw new Error(`npm ci --prefix ${PEER_DIR} exited with ${code}`);
}

/**
 * The same one-event command (RecordEngagement on a registered participant) through Emmett's
 * CommandHandler: `commands` sequentially on its SQLite store and from 16 clients on its PostgreSQL
 * store (a database of its own on DATABASE_URL's server), in a child process on this machine.
 */
export async function emmettPeerBenchmark(options: { commands: number }): Promise<Record<string, unknown>> {
  await installPeer();
  const { stdout } = await promisify(execFile)(process.execPath, [join(PEER_DIR, 'emmett-peer.mjs'), '--commands', String(options.commands)], {
    cwd: PEER_DIR,
    maxBuffer: 16 * 1024 * 1024,
  });
  const figures = parsePeerFigures(stdout);
  return {
    name: 'Emmett peer: RecordEngagement through Emmett CommandHandler on its SQLite (sequential) and PostgreSQL (16 clients) stores',
    ...figures,
  };
}
