import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { dropTableInSlices } from './drop-table';

describe.each(READ_MODEL_KINDS)('dropTableInSlices on %s', (kind) => {
  let readModels: DisposableReadModels;

  beforeEach(async () => {
    readModels = await freshReadModels(kind);
  });

  afterEach(async () => {
    await readModels.dispose();
  });

  const tableExists = (table: string) => readModels.db.get(`SELECT COUNT(*) AS n FROM ${table}`).then(() => true, () => false);

  it('drops the table, and a table that is not there is no error', async () => {
    await readModels.db.exec('CREATE TABLE retired_g1 (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
    await readModels.db.run(`INSERT INTO retired_g1 (id, payload) VALUES (1, 'x'), (2, 'y')`);
    await dropTableInSlices(readModels.db, 'retired_g1');
    expect(await tableExists('retired_g1')).toBe(false);
    await expect(dropTableInSlices(readModels.db, 'retired_g1')).resolves.toBeUndefined();
  });

  if (kind === 'sqlite') {
    it('empties a large table a slice at a time, giving the event loop turns, before dropping it', async () => {
      await readModels.db.exec('CREATE TABLE retired_g1 (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
      await readModels.db.run(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) INSERT INTO retired_g1 (id, payload) SELECT i, printf('%0200d', i) FROM n`,
      );
      let turns = 0;
      let counting = true;
      const count = () => {
        turns += 1;
        if (counting) setImmediate(count);
      };
      setImmediate(count);
      await dropTableInSlices(readModels.db, 'retired_g1', 2);
      counting = false;
      expect(await tableExists('retired_g1')).toBe(false);
      // A single DROP (or DELETE) would have run within one turn.
      expect(turns).toBeGreaterThan(5);
    });
  }
});
