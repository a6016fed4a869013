import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { handleCommand } from '@ecf/command-handling';
import { participantDecider, participantStreamId } from '@ecf/domain';
import { EventStore, PostgresEventStore } from '@ecf/event-store';
import { ApiKeyStore, PersonalDataVault, PostgresApiKeyStore, productEventStore, SqliteApiKeyStore } from '@ecf/runtime';
import { benchContext, benchEnvelope, BenchFigure, latencySummary, recordEngagement, registerEct, round, timeEach } from './support';

export interface KeyStoreBenchOptions {
  readonly serverUrl: string;
  readonly participants: number;
  readonly commandsPerParticipant: number;
  readonly authentications: number;
}

const mean = (millis: readonly number[]) => round(millis.reduce((sum, value) => sum + value, 0) / millis.length, 3);
const figure = (millis: readonly number[]) => ({ meanMs: mean(millis), ...latencySummary(millis) });

/**
 * What server mode's keys in PostgreSQL cost: the same commands on the same PostgreSQL event store,
 * with the personal-data keys in a local SQLite file (as before) and in PostgreSQL (server mode), in
 * alternating rounds; and API key authentication against either store. One client, so the figures
 * are latencies: the added round trip per command, not throughput under load.
 */
export async function keyStoreBenchmark(dir: string, options: KeyStoreBenchOptions): Promise<BenchFigure> {
  const name = `ecf_bench_keys_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: options.serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(options.serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    const stores: Record<'local' | 'postgres', EventStore> = {
      local: productEventStore(await PostgresEventStore.open({ connectionString: databaseUrl, schema: 'with_local_keys', poolSize: 2 }), PersonalDataVault.sqlite(join(dir, 'bench-keys.sqlite'))),
      postgres: productEventStore(await PostgresEventStore.open({ connectionString: databaseUrl, schema: 'with_server_keys', poolSize: 2 }), await PersonalDataVault.postgres({ connectionString: databaseUrl, poolSize: 2 })),
    };
    const registrations: Record<'local' | 'postgres', number[]> = { local: [], postgres: [] };
    const commands: Record<'local' | 'postgres', number[]> = { local: [], postgres: [] };
    const ids = { local: [] as string[], postgres: [] as string[] };
    for (let index = 0; index < options.participants; index++) {
      for (const kind of index % 2 === 0 ? (['local', 'postgres'] as const) : (['postgres', 'local'] as const)) {
        const id = randomUUID();
        ids[kind].push(id);
        registrations[kind].push(...(await timeEach([id], (participant) => handleCommand(stores[kind], participantDecider, participantStreamId(participant), () => registerEct(participant, index), benchEnvelope(), benchContext))));
      }
    }
    for (let pass = 0; pass < options.commandsPerParticipant; pass++) {
      for (const kind of pass % 2 === 0 ? (['local', 'postgres'] as const) : (['postgres', 'local'] as const)) {
        commands[kind].push(...(await timeEach(ids[kind], (participant) => handleCommand(stores[kind], participantDecider, participantStreamId(participant), () => recordEngagement(participant), benchEnvelope(), benchContext))));
      }
    }
    await Promise.all(Object.values(stores).map((store) => store.close()));

    const keyStores: Record<'local' | 'postgres', ApiKeyStore> = {
      local: SqliteApiKeyStore.open(join(dir, 'bench-api-keys.sqlite')),
      postgres: await PostgresApiKeyStore.open({ connectionString: databaseUrl, poolSize: 2 }),
    };
    const authentications: Record<'local' | 'postgres', number[]> = { local: [], postgres: [] };
    for (const kind of ['local', 'postgres'] as const) {
      const { token } = await keyStores[kind].create({ name: 'bench', role: 'auditor' }, new Date().toISOString());
      authentications[kind] = await timeEach(Array.from({ length: options.authentications }, () => token), (bearer) => keyStores[kind].authenticate(bearer));
      await keyStores[kind].close();
    }

    return {
      name: 'keys in PostgreSQL (server mode) against a local SQLite file, one client, PostgreSQL event store',
      registration: { localKeys: figure(registrations.local), postgresKeys: figure(registrations.postgres), addedMeanMs: round(mean(registrations.postgres) - mean(registrations.local), 3) },
      commandOnRegisteredParticipant: {
        note: 'RecordEngagement: reads the stream (its registration opened with the participant’s key), decides, appends',
        localKeys: figure(commands.local),
        postgresKeys: figure(commands.postgres),
        addedMeanMs: round(mean(commands.postgres) - mean(commands.local), 3),
      },
      apiKeyAuthentication: { localKeys: figure(authentications.local), postgresKeys: figure(authentications.postgres), addedMeanMs: round(mean(authentications.postgres) - mean(authentications.local), 3) },
    };
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
