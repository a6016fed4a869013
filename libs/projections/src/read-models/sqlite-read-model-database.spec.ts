import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModelDatabase } from './sqlite-read-model-database';

describe('SqliteReadModelDatabase.all: rows built from raw arrays are the rows better-sqlite3 builds', () => {
  let dir: string;
  let db: SqliteReadModelDatabase;
  let plain: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-read-model-rows-'));
    db = SqliteReadModelDatabase.open(join(dir, 'read-models.sqlite'));
  });
  afterEach(async () => {
    plain?.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generated: every query of generated wide rows gives the same objects, key order and value types included', async () => {
    // A seeded walk (mulberry32), so a failure replays.
    let seed = 20261205;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const value = (): string | number | null => {
      const kind = Math.floor(random() * 5);
      if (kind === 0) return null;
      if (kind === 1) return Math.floor(random() * 1e9) - 5e8;
      if (kind === 2) return random() * 1000;
      if (kind === 3) return '';
      return `text ${random().toString(36)} ‘quoted’ — ${Math.floor(random() * 100)}`;
    };
    const columns = Array.from({ length: 26 }, (_, index) => `c${index}`);
    await db.exec(`CREATE TABLE wide (id INTEGER PRIMARY KEY, ${columns.join(', ')})`);
    for (let id = 1; id <= 200; id++) {
      await db.transaction((session) => session.run(`INSERT INTO wide VALUES (?, ${columns.map(() => '?').join(', ')})`, [id, ...columns.map(value)]));
    }
    plain = new Database(join(dir, 'read-models.sqlite'), { readonly: true });
    const queries: [string, (string | number)[]][] = [
      [`SELECT * FROM wide ORDER BY id`, []],
      [`SELECT c3 AS "camelCase", id, c1 AS "firstName", c2 AS "firstName" FROM wide WHERE id > ? ORDER BY id LIMIT ?`, [50, 51]],
      [`SELECT COUNT(*) AS n, MAX(c5) AS biggest FROM wide`, []],
      [`SELECT id, c0 || '-' || c1 AS joined, c4 IS NULL AS missing FROM wide WHERE id BETWEEN ? AND ?`, [10, 30]],
      [`SELECT * FROM wide WHERE id < 0`, []],
    ];
    for (const [sql, params] of queries) {
      for (let round = 0; round < 2; round++) {
        const ours = await db.all<Record<string, unknown>>(sql, params);
        const theirs = plain.prepare(sql).all(...params) as Record<string, unknown>[];
        expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
        expect(ours).toEqual(theirs);
      }
    }
  });
});
