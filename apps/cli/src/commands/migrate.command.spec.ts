import { assertTestServerReachable, dropTestSchema, newTestSchemaName, testDatabaseUrl } from '@ecf/event-store/postgres/testing/test-database';
import { migrateCommand } from './migrate.command';

describe('ecf migrate', () => {
  const schema = newTestSchemaName();
  let printed: string[];
  const run = (...args: string[]) => migrateCommand().parseAsync(args, { from: 'user' });

  beforeAll(assertTestServerReachable);

  beforeEach(() => {
    printed = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(() => dropTestSchema(schema));

  it('applies the migrations to the schema and lists them, then has nothing left to apply', async () => {
    await run('--database-url', testDatabaseUrl(), '--schema', schema);
    expect(printed).toEqual([`Applied 2 migrations to schema ${schema}:`, '  0001 initial', '  0002 append-batch']);

    printed = [];
    await run('--database-url', testDatabaseUrl(), '--schema', schema, '--json');
    expect(printed).toEqual(['[]']);
  });

  it('takes the database from DATABASE_URL when no --database-url is given, and says when there is none', async () => {
    const saved = process.env.DATABASE_URL;
    try {
      process.env.DATABASE_URL = testDatabaseUrl();
      await run('--schema', schema);
      expect(printed).toEqual([`Schema ${schema} is already at the latest version.`]);

      delete process.env.DATABASE_URL;
      await expect(run('--schema', schema)).rejects.toThrow('pass --database-url or set DATABASE_URL');
    } finally {
      // Assigning undefined to process.env would store the string "undefined".
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});
