import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL });
  try {
    await client.connect();
  } catch (error) {
    const reason = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
    throw new Error(`These end-to-end tests need PostgreSQL at DATABASE_URL (${SERVER_URL.replace(/:[^:@/]*@/, ':***@')}): ${reason}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of its own on the test server, for processes that share it through DATABASE_URL; dropped afterwards. */
export class PostgresTestDatabase {
  private constructor(
    readonly name: string,
    readonly url: string,
  ) {}

  static async create(): Promise<PostgresTestDatabase> {
    return PostgresTestDatabase.createFrom(null);
  }

  /** A new database holding a copy of this one; no one may be connected to this one meanwhile. */
  copy(): Promise<PostgresTestDatabase> {
    return PostgresTestDatabase.createFrom(this.name);
  }

  private static async createFrom(template: string | null): Promise<PostgresTestDatabase> {
    const name = `ecf_e2e_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    await admin((client) => client.query(`CREATE DATABASE ${name}${template === null ? '' : ` TEMPLATE ${template}`}`));
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    return new PostgresTestDatabase(name, url.toString());
  }

  async query<Row extends object>(text: string, values: unknown[] = []): Promise<Row[]> {
    const client = new Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<Row>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  async drop(): Promise<void> {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }
}
