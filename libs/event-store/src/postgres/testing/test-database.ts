import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PostgresEventStore, PostgresEventStoreOptions } from '../postgres-event-store';

/**
 * The PostgreSQL server the tests run against. Every test gets a fresh schema, so tests and test
 * files running in parallel never see each other's events or positions.
 */
export const testDatabaseUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const withoutPassword = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/** A client for setting up and inspecting test schemas; an unreachable server fails the test, loudly, never skips it. */
export async function connectTestClient(schema?: string): Promise<Client> {
  const url = testDatabaseUrl();
  const client = new Client({ connectionString: url, ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }) });
  try {
    await client.connect();
  } catch (error) {
    // Not `instanceof Error`: errors from node's sockets come from another realm under jest.
    const reason = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
    const where = process.env.CI === 'true' ? 'The CI job must provide a PostgreSQL service.' : 'Start PostgreSQL or point DATABASE_URL at one.';
    throw new Error(`The PostgreSQL event store tests need a server at ${withoutPassword(url)} (DATABASE_URL): ${reason}. ${where}`);
  }
  return client;
}

/** A schema name no other test uses; the store creates the schema when it opens. */
export const newTestSchemaName = (): string => `es_test_${randomUUID().replace(/-/g, '')}`;

export async function dropTestSchema(schema: string): Promise<void> {
  const client = await connectTestClient();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs one query on a raw connection, as an operator with psql would. */
export async function queryTestSchema<Row extends object>(schema: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = await connectTestClient(schema);
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Fails with the message of connectTestClient when the server is unreachable; use in beforeAll. */
export async function assertTestServerReachable(): Promise<void> {
  await (await connectTestClient()).end();
}

/** A store on a test schema of the test server; small pools, since many tests and files run at once. */
export const openTestStore = (schema: string, options: Partial<PostgresEventStoreOptions> = {}): Promise<PostgresEventStore> =>
  PostgresEventStore.open({ connectionString: testDatabaseUrl(), schema, poolSize: 4, ...options });
