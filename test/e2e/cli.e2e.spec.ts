import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'ecf.js');

/**
 * The operator CLI as an operator meets it: a real `ecf` process on a temporary DATA_DIR, its output
 * read through pipes. Every failure says on stderr what was wrong and where to look, with a non-zero
 * exit code; nothing it prints to a pipe carries terminal escape codes.
 */
describe('ecf, used by mistake', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ecf-cli-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ecf = (...args: string[]) =>
    new Promise<{ exitCode: number; stdout: string; stderr: string }>((resolveRun) => {
      // NO_COLOR and FORCE_COLOR left out: the test is about what the CLI does on a pipe by itself.
      const { NO_COLOR: _noColour, FORCE_COLOR: _forceColour, ...env } = process.env;
      execFile(process.execPath, [CLI, ...args], { env: { ...env, DATA_DIR: dataDir } }, (error, stdout, stderr) => {
        resolveRun({ exitCode: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      });
    });

  it('an induction-tutor key without --school: says a school is needed and how to give one', async () => {
    const result = await ecf('keys', 'create', '--role', 'induction-tutor', '--name', 'Tariq');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('an induction-tutor key needs at least one --school <urn>');
    expect(result.stderr).toContain('ecf keys create --help');
  });

  it('an ecf-lead key without --delivery-partner: says one is needed and lists them', async () => {
    const result = await ecf('keys', 'create', '--role', 'ecf-lead', '--name', 'Lee');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('an ecf-lead key needs --delivery-partner <id>, one of: dp-north');
  });

  it('an unknown role: lists the roles there are', async () => {
    const result = await ecf('keys', 'create', '--role', 'superuser', '--name', 'Mallory');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("argument 'superuser' is invalid. Allowed choices are induction-tutor, ecf-lead");
    expect(result.stderr).toContain('ecf keys create --help');
  });

  it('none of the refused keys was created', async () => {
    const listed = await ecf('keys', 'list', '--json');
    expect(listed.exitCode).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('an unknown command: names it and shows the commands there are', async () => {
    const result = await ecf('frobnicate');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).toContain('Commands:');
  });

  it('--version prints the package version', async () => {
    const result = await ecf('--version');
    expect(result).toEqual({ exitCode: 0, stdout: `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`, stderr: '' });
  });

  it('a table printed to a pipe is plain text, without escape codes', async () => {
    expect((await ecf('keys', 'create', '--role', 'auditor', '--name', 'Ada Auditor')).exitCode).toBe(0);
    const listed = await ecf('keys', 'list');
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain('Ada Auditor');
    expect(listed.stdout).toContain('│ key id');
    expect(listed.stdout).not.toContain('\u001b');
  });
});
