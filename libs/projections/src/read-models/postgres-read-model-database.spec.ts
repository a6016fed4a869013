import { Pool } from 'pg';
import { DisposableReadModels, freshReadModels, TEST_DATABASE_URL } from '../testing/read-model-databases';

describe('PostgreSQL read models: connections ended by the server', () => {
  let readModels: DisposableReadModels;
  let admin: Pool;

  beforeEach(async () => {
    readModels = await freshReadModels('postgres');
    admin = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  });
  afterEach(async () => {
    await admin.end();
    await readModels.dispose();
  });

  it('every session ends a transaction left idle for 5 s (a frozen process cannot hold its locks for ever)', async () => {
    const setting = await readModels.db.get<{ idle_in_transaction_session_timeout: string }>('SHOW idle_in_transaction_session_timeout');
    expect(setting?.idle_in_transaction_session_timeout).toBe('5s');
  });

  it('a transaction whose connection the server ends fails with the error, the process goes on, and the pool serves the next query', async () => {
    const transaction = readModels.db.transaction(async (session) => {
      const backend = await session.get<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
      // The connection's error arrives while no query runs on it: the pool's idle handler is not attached.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await session.run('SELECT 1');
    });
    await expect(transaction).rejects.toThrow();
    expect(await readModels.db.get<{ one: number }>('SELECT 1 AS one')).toEqual({ one: 1 });
    await readModels.db.transaction((session) => session.run('SELECT 1'));
  });
});
