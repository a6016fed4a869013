import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiProcess } from '../support/api-process';
import { curlCalls, shellBlocks, walkthroughScript } from '../support/readme-walkthrough';

const ROOT = resolve(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = shellBlocks(README);
const walkthrough = walkthroughScript(blocks);

function run(command: string, args: string[], env: Record<string, string>): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (exitCode) => resolveRun({ exitCode, stdout, stderr }));
  });
}

/**
 * The README's walk-throughs as a newcomer runs them: every block marked `<!-- walkthrough -->`, as written,
 * in one shell, against a fresh API on a data directory of its own. Only the environment differs from the
 * reader's terminal: ECF_URL (the README's `${ECF_URL:-http://localhost:3000}`) and DATA_DIR (where the CLI
 * keeps the keys the API reads).
 */
describe('The README’s walk-throughs run as written', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    api = await ApiProcess.start();
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('the set-up section keeps its two commands, exactly, and the walk-throughs leave them out', () => {
    const setUp = blocks.filter((block) => block.section === 'Set up on a fresh machine');
    expect(setUp.map((block) => block.text)).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(setUp.some((block) => block.walkthrough)).toBe(false);
  });

  it('every call the walk-throughs make either fails on an HTTP error (curl -f) or names the refusal it shows', () => {
    const calls = curlCalls(walkthrough);
    expect(calls.length).toBeGreaterThan(30);
    const unchecked = calls.filter((call) => call.failsOnHttpError === (call.refusal !== null));
    expect(unchecked.map((call) => call.command)).toEqual([]);
  });

  it('the walk-throughs and the examples after them run in one shell against a fresh API: each command exits 0, and each refusal shown is the one its comment names', async () => {
    const { exitCode, stdout, stderr } = await run('bash', ['-c', walkthrough], { ECF_URL: api.baseUrl, DATA_DIR: api.dataDir });
    expect({ exitCode, stderr: exitCode === 0 ? '' : `${stderr}\n--- last output ---\n${stdout.slice(-2000)}` }).toEqual({ exitCode: 0, stderr: '' });
    for (const { refusal } of curlCalls(walkthrough).filter((call) => call.refusal !== null)) {
      expect(stdout).toContain(`"status":${refusal?.status},"code":"${refusal?.code}"`);
    }
    // The time-travel examples answer about the participant registered minutes before, not a 404.
    expect(stdout).toMatch(/"status":"deferred"[^\n]*"knownAt":"\d{4}-\d\d-\d\dT/);
    expect(stdout).toContain('"schoolUrn":"123456"');
    expect(stdout).toContain('event: ');
  });
});

describe('The first hour: where the API is, and demonstration data in one step', () => {
  it('the API names its address and the console’s when it starts, and GET / sends a browser to the console without a key', async () => {
    const api = await ApiProcess.start();
    try {
      expect(api.logs()).toContain(`listening on ${api.baseUrl} — web console: ${api.baseUrl}/console/`);
      expect(api.logs()).toContain(`"console":"${api.baseUrl}/console/"`);
      const root = await fetch(`${api.baseUrl}/`, { redirect: 'manual' });
      expect({ status: root.status, location: root.headers.get('location') }).toEqual({ status: 302, location: '/console/' });
      expect((await fetch(`${api.baseUrl}/`)).headers.get('content-type')).toMatch(/^text\/html/);
    } finally {
      await api.stop();
    }
  });

  it('ecf demo seeds its own data directory, creates a key, starts the API and prints the console’s address and the key, until interrupted', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ecf-demo-')), 'demo');
    const demo: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'ecf.js'), 'demo', '--participants', '20', '--data-dir', dataDir, '--port', '0'], { cwd: ROOT });
    try {
      let printed = '';
      demo.stderr?.resume();
      const ready = await new Promise<{ consoleUrl: string; key: string }>((resolveReady, reject) => {
        demo.stdout?.on('data', (chunk: Buffer) => {
          printed += chunk.toString();
          const found = /^Console: (\S+)\nKey: (\S+)$/m.exec(printed);
          if (found) resolveReady({ consoleUrl: found[1], key: found[2] });
        });
        demo.once('exit', (code) => reject(new Error(`ecf demo ended with ${code}:\n${printed}`)));
      });
      expect(printed).toMatch(/Seeded 20 participants/);
      expect((await fetch(ready.consoleUrl)).status).toBe(200);
      const participants = await fetch(`${new URL(ready.consoleUrl).origin}/participants?limit=5`, { headers: { Authorization: `Bearer ${ready.key}` } });
      expect(participants.status).toBe(200);
      expect(((await participants.json()) as { items: unknown[] }).items).toHaveLength(5);
      const exited = new Promise<number | null>((resolveExit) => demo.once('exit', resolveExit));
      demo.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
      rmSync(resolve(dataDir, '..'), { recursive: true, force: true });
    }
  });
});
