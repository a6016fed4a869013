import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HostProcess } from '../support/host-process';
import { httpClient } from '../support/http-client';
import { Host, HostNetwork, namespacesUnavailable, removeLeftovers } from '../support/network-hosts';
import { PrivatePostgres } from '../support/private-postgres';

const ROOT = resolve(__dirname, '..', '..');
const CLI_ENTRY = join(ROOT, 'bin', 'ecf.js');

/**
 * Why this run cannot make hosts. Outside CI the test is skipped with this printed; in CI (CI=true)
 * it runs and fails on it, so a runner that lost its privileges cannot pass by skipping.
 */
const unavailable = namespacesUnavailable();
if (unavailable && process.env.CI !== 'true') console.warn(`Skipping the several-hosts e2e: ${unavailable}. It runs as root (CI does).`);
const describeHosts = unavailable && process.env.CI !== 'true' ? describe.skip : describe;

describeHosts('Several hosts on one PostgreSQL (real network namespaces)', () => {
  const network = new HostNetwork();
  let postgres: PrivatePostgres | undefined;
  let scratch = '';
  let readOnly = '';
  let hostA: Host;
  let hostB: Host;
  let dataDirA = '';
  let dataDirB = '';
  let env: Record<string, string>;
  let apiA: HostProcess;
  let apiB: HostProcess;

  /** The operator CLI run on a host, as an operator logged in there would run it. */
  const cliOn = (host: Host, dataDir: string, ...args: string[]): Promise<string> =>
    new Promise((resolveRun, reject) =>
      execFile('ip', ['netns', 'exec', host.namespace, process.execPath, CLI_ENTRY, ...args], { env: { ...process.env, ...env, DATA_DIR: dataDir } }, (error, stdout, stderr) =>
        error ? reject(new Error(`ecf ${args.join(' ')} on ${host.name} failed: ${stderr}`)) : resolveRun(stdout),
      ),
    );

  beforeAll(async () => {
    if (unavailable) throw new Error(`CI=true, and this machine cannot make hosts: ${unavailable}`);
    removeLeftovers();
    network.create();
    const db = network.addHost('db');
    hostA = network.addHost('a');
    hostB = network.addHost('b');
    postgres = await PrivatePostgres.start(network, db);
    await postgres.query('postgres', 'CREATE DATABASE ecf');
    env = { EVENT_STORE: 'postgres', DATABASE_URL: postgres.url('ecf'), RUN_PROJECTIONS: 'false' };

    scratch = mkdtempSync(join(tmpdir(), 'ecf-hosts-'));
    // Host A: an empty DATA_DIR of its own. Host B: a DATA_DIR that does not exist, under a read-only file system.
    dataDirA = join(scratch, 'a-data');
    mkdirSync(dataDirA);
    readOnly = join(scratch, 'read-only');
    mkdirSync(readOnly);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readOnly]);
    dataDirB = join(readOnly, 'b-data');
    [apiA, apiB] = await Promise.all([HostProcess.api(network, hostA, { ...env, DATA_DIR: dataDirA }), HostProcess.api(network, hostB, { ...env, DATA_DIR: dataDirB })]);
  }, 90_000);

  afterAll(() => {
    // Kills every process in every host (the APIs, the CLI runs, PostgreSQL), then removes hosts, veths and the bridge.
    network.destroy();
    postgres?.stop();
    if (readOnly && existsSync(readOnly)) {
      try {
        execFileSync('umount', [readOnly]);
      } catch {
        // Not mounted (setup failed before).
      }
    }
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('each API listens on its own host’s address (HOST), not on 127.0.0.1', () => {
    expect(apiA.logs()).toContain(`"host":"${hostA.address}"`);
    expect(apiB.logs()).toContain(`"host":"${hostB.address}"`);
    expect(apiB.logs()).toContain('"keyStore":"postgres"');
  });

  it('a key created with the CLI on host A authenticates on host B, and its revocation on A holds on B at once', async () => {
    const created = JSON.parse(await cliOn(hostA, dataDirA, 'keys', 'create', '--role', 'reporting', '--name', 'feed on A', '--json')) as { token: string; keyId: string };
    const onB = httpClient(apiB.baseUrl);
    expect((await onB('GET', '/me', { key: created.token })).body).toMatchObject({ keyId: created.keyId, name: 'feed on A', role: 'reporting' });
    await cliOn(hostA, dataDirA, 'keys', 'revoke', created.keyId);
    expect((await onB('GET', '/me', { key: created.token })).status).toBe(401);
  });

  it('a participant registered on A reads on B with their personal data; `ecf forget` on A leaves B without it at once', async () => {
    const lead = (JSON.parse(await cliOn(hostA, dataDirA, 'keys', 'create', '--role', 'ecf-lead', '--name', 'lead', '--delivery-partner', 'dp-north', '--json')) as { token: string }).token;
    const auditor = (JSON.parse(await cliOn(hostB, dataDirB, 'keys', 'create', '--role', 'auditor', '--name', 'auditor on B', '--json')) as { token: string }).token;
    const onA = httpClient(apiA.baseUrl);
    const onB = httpClient(apiB.baseUrl);
    expect((await onA('POST', '/schools', { key: lead, body: { urn: '100001', name: 'Namespace School', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } })).status).toBe(201);
    const registration = { firstName: 'Nadia', lastName: 'Netns', dateOfBirth: '1992-04-05', trn: '8300001', email: 'nadia@example.org', schoolUrn: '100001', cohort: 2026 };
    const registered = await onA<{ participantId: string }>('POST', '/ects', { key: lead, body: registration });
    expect(registered.status).toBe(201);
    const id = registered.body.participantId;

    const before = await onB<{ personal: Record<string, string> }>('GET', `/participants/${id}`, { key: auditor });
    expect(before.body.personal).toEqual({ firstName: 'Nadia', lastName: 'Netns', dateOfBirth: '1992-04-05', email: 'nadia@example.org' });

    expect(JSON.parse(await cliOn(hostA, dataDirA, 'forget', '--participant', id, '--reason', 'ER-21', '--json'))).toMatchObject({ participantId: id, alreadyErased: false });
    // The very next request on B, no retry: B read the key a moment ago and keeps no copy of it.
    const history = await onB<{ events: { type: string; data: { personal?: unknown } }[] }>('GET', `/participants/${id}/history`, { key: auditor });
    expect(history.body.events[0]).toMatchObject({ type: 'ECTRegistered', data: { personal: null } });
    const after = await onB<Record<string, unknown>>('GET', `/participants/${id}`, { key: auditor });
    expect(after.body).not.toHaveProperty('personal');
    expect(JSON.stringify((await onB('GET', '/events?limit=1000', { key: auditor })).body)).not.toContain('Nadia');
    // The log itself only ever held ciphertext.
    const [stored] = await postgres!.query<{ data: string }>('ecf', `SELECT data FROM public.events WHERE type = 'ECTRegistered'`);
    expect(stored.data).not.toContain('Nadia');
  });

  it('nothing was written to either host’s DATA_DIR: A’s is still empty, B’s still does not exist', () => {
    expect(readdirSync(dataDirA)).toEqual([]);
    expect(existsSync(dataDirB)).toBe(false);
  });
});
