import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '@ecf/runtime';

export const SCHOOL_URN = '100001';
export const COHORT = 2026;
/** How many registrations are in flight at once while seeding (not measured). */
const SEED_CONCURRENCY = 8;

/** Creates an API key with the operator CLI on the API's data directory, as an operator would. */
export async function createKey(dataDir: string, role: string): Promise<string> {
  const cli = join(projectRoot(), 'bin', 'ecf.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'keys', 'create', '--role', role, '--name', `bench ${role}`, '--json'], {
    env: { ...process.env, DATA_DIR: dataDir },
  });
  return (JSON.parse(stdout) as { token: string }).token;
}

async function send(baseUrl: string, method: string, path: string, key: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A school partnership and `count` ECTs registered at it and validated by DfE (active, so they take engagement). */
export async function seedActiveEcts(baseUrl: string, keys: { dpl: string; system: string }, count: number): Promise<string[]> {
  await send(baseUrl, 'POST', '/schools', keys.dpl, { urn: SCHOOL_URN, name: 'Bench Academy', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: COHORT });
  const ids: string[] = [];
  for (let start = 0; start < count; start += SEED_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SEED_CONCURRENCY, count - start) }, async (_, offset) => {
      const index = start + offset;
      const registered = await send(baseUrl, 'POST', '/ects', keys.dpl, {
        firstName: 'Bench',
        lastName: `Teacher ${index}`,
        dateOfBirth: '1995-01-01',
        trn: String(3_000_000 + index),
        email: `bench${index}@example.org`,
        schoolUrn: SCHOOL_URN,
        cohort: COHORT,
      });
      const participantId = String(registered.participantId);
      await send(baseUrl, 'POST', `/participants/${participantId}/validation`, keys.system, { outcome: 'validated' });
      return participantId;
    });
    ids.push(...(await Promise.all(batch)));
  }
  return ids;
}
