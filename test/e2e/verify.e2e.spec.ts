import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeEventHash, GENESIS_HASH, RecordedEvent } from '@ecf/event-store';
import { ApiProcess } from '../support/api-process';
import { isoDate, londonToday } from '../support/dates';
import { eventually, httpClient } from '../support/http-client';

/**
 * Tamper evidence on the SQLite store: `ecf verify` (a real CLI process) on copies of a real log,
 * each altered directly in the file the way someone with disk access could.
 */
describe('ecf verify on the SQLite store', () => {
  let api: ApiProcess;
  const copies: string[] = [];
  let ect: string;

  beforeAll(async () => {
    api = await ApiProcess.start();
    const http = httpClient(api.baseUrl);
    const lead = await api.createKey('ecf-lead', '--delivery-partner', 'dp-north');
    const system = await api.createKey('system');
    await http('POST', '/schools', { key: lead, body: { urn: '100001', name: 'Oakfield', region: 'north-west', deliveryPartnerId: 'dp-north', cohort: 2026 } });
    const register = async (path: string, trn: string) => {
      const body = { firstName: 'Vera', lastName: 'Fy', dateOfBirth: '1990-01-01', trn, email: `${trn}@example.org`, schoolUrn: '100001', cohort: 2026 };
      const id = (await http<{ participantId: string }>('POST', path, { key: lead, body })).body.participantId;
      await http('POST', `/participants/${id}/validation`, { key: system, body: { outcome: 'validated', reasons: [] } });
      return id;
    };
    ect = await register('/ects', '5000001');
    const mentor = await register('/mentors', '5000002');
    await http('PUT', `/ects/${ect}/mentor`, { key: lead, body: { mentorId: mentor } });
    const today = londonToday();
    await http('POST', `/ects/${ect}/deferral`, { key: lead, body: { deferralDate: isoDate(today), expectedReturnDate: isoDate(today.plusMonths(2)), reason: 'bereavement' } });
    await eventually(async () => (await http<{ status: string }>('GET', `/participants/${mentor}`, { key: lead })).body.status, (status) => status === 'deferred');
  });

  afterAll(async () => {
    await api?.stop();
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  });

  /** A consistent copy of the live log in its own data directory, altered by `tamper`. */
  function tamperedCopy(tamper: (db: Database.Database) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'ecf-verify-'));
    copies.push(dir);
    const live = new Database(join(api.dataDir, 'events.sqlite'), { readonly: true });
    live.exec(`VACUUM INTO '${join(dir, 'events.sqlite')}'`);
    live.close();
    const copy = new Database(join(dir, 'events.sqlite'));
    tamper(copy);
    copy.close();
    return dir;
  }

  const verify = (dir: string, ...args: string[]) => api.cliRun(['verify', '--json', ...args], { DATA_DIR: dir });
  const findingsOf = (stdout: string) => (JSON.parse(stdout) as { findings: { streamId: string; revision: number; problem: string }[] }).findings;
  const stream = () => `participant-${ect}`;

  it('finds nothing in an untouched log, and exports an anchor', async () => {
    const dir = tamperedCopy(() => undefined);
    const anchorFile = join(dir, 'anchor.json');
    const result = await verify(dir, '--export-anchor', anchorFile);
    expect(result.exitCode).toBe(0);
    expect(findingsOf(result.stdout)).toEqual([]);
    expect(JSON.parse(readFileSync(anchorFile, 'utf8'))).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), position: expect.any(Number) });
  });

  /**
   * Rewrites the stream the way someone who knows the format would: `edit` changes a row's data or
   * schema version, then every hash of the stream is recomputed so its chain holds again.
   */
  function rewriteStream(db: Database.Database, edit: (row: { type: string; data: Record<string, unknown>; schemaVersion: number }) => void): void {
    const rows = db.prepare(`SELECT * FROM events WHERE stream_id = ? ORDER BY revision`).all(stream()) as Record<string, string | number>[];
    let previous = GENESIS_HASH;
    const update = db.prepare(`UPDATE events SET data = ?, schema_version = ?, hash = ? WHERE position = ?`);
    for (const row of rows) {
      const content = { type: row.type as string, data: JSON.parse(row.data as string) as Record<string, unknown>, schemaVersion: row.schema_version as number };
      edit(content);
      const metadata = { ...JSON.parse(row.metadata as string), schemaVersion: content.schemaVersion };
      const event = { streamId: row.stream_id, revision: row.revision, eventId: row.event_id, type: row.type, data: content.data, metadata, recordedAt: row.recorded_at } as unknown as RecordedEvent;
      previous = computeEventHash(previous, event);
      update.run(JSON.stringify(content.data), content.schemaVersion, previous, row.position);
    }
  }

  const deferralRevision = (db: Database.Database): number =>
    (db.prepare(`SELECT revision FROM events WHERE stream_id = ? AND type = 'ParticipantDeferred'`).get(stream()) as { revision: number }).revision;

  it('names the stream and revision of an altered event (hash and schema)', async () => {
    let revision = -1;
    const dir = tamperedCopy((db) => {
      revision = deferralRevision(db);
      db.prepare(`UPDATE events SET data = json_set(data, '$.reason', 'made-up') WHERE stream_id = ? AND revision = ?`).run(stream(), revision);
    });
    const result = await verify(dir);
    expect(result.exitCode).toBe(2);
    expect(findingsOf(result.stdout)).toEqual([
      expect.objectContaining({ streamId: stream(), revision, problem: 'hash-mismatch' }),
      expect.objectContaining({ streamId: stream(), revision, problem: 'schema-violation' }),
    ]);
  });

  it('names the revision after a removed event', async () => {
    const dir = tamperedCopy((db) => db.prepare(`DELETE FROM events WHERE stream_id = ? AND revision = 1`).run(stream()));
    const result = await verify(dir);
    expect(result.exitCode).toBe(2);
    expect(findingsOf(result.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ streamId: stream(), revision: 2, problem: 'revision-gap' })]));
  });

  it('names reordered events', async () => {
    const dir = tamperedCopy((db) => {
      const swap = db.prepare(`UPDATE events SET revision = ? WHERE stream_id = ? AND revision = ?`);
      db.transaction(() => {
        swap.run(-1, stream(), 1);
        swap.run(1, stream(), 2);
        swap.run(2, stream(), -1);
      })();
    });
    const result = await verify(dir);
    expect(result.exitCode).toBe(2);
    expect(findingsOf(result.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ streamId: stream(), problem: 'revision-gap' })]));
  });

  it('catches, with an anchor, a stream whose newest event was removed and whose chain still holds', async () => {
    const clean = tamperedCopy(() => undefined);
    const anchorFile = join(clean, 'anchor.json');
    expect((await verify(clean, '--export-anchor', anchorFile)).exitCode).toBe(0);

    const dir = tamperedCopy((db) => {
      const last = db.prepare(`SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?`).get(stream()) as { revision: number };
      db.prepare(`DELETE FROM events WHERE stream_id = ? AND revision = ?`).run(stream(), last.revision);
    });
    expect((await verify(dir)).exitCode).toBe(0); // the chain alone cannot tell
    const anchored = await verify(dir, '--anchor', anchorFile);
    expect(anchored.exitCode).toBe(2);
    expect(findingsOf(anchored.stdout)).toEqual([expect.objectContaining({ streamId: '$all', problem: 'anchor-mismatch' })]);
  });

  it('catches, with an anchor, a stream rewritten with a recomputed chain', async () => {
    const clean = tamperedCopy(() => undefined);
    const anchorFile = join(clean, 'anchor.json');
    expect((await verify(clean, '--export-anchor', anchorFile)).exitCode).toBe(0);

    const dir = tamperedCopy((db) =>
      rewriteStream(db, (row) => {
        if (row.type === 'ParticipantDeferred') row.data.expectedReturnDate = '2099-01-01';
      }),
    );
    const anchored = await verify(dir, '--anchor', anchorFile);
    expect(anchored.exitCode).toBe(2);
    expect(findingsOf(anchored.stdout)).toEqual([expect.objectContaining({ problem: 'anchor-mismatch' })]);
  });

  it('names an event whose stored schema_version was changed (the hash covers it), and with its chain recomputed the anchor catches it', async () => {
    const clean = tamperedCopy(() => undefined);
    const anchorFile = join(clean, 'anchor.json');
    expect((await verify(clean, '--export-anchor', anchorFile)).exitCode).toBe(0);

    // Relabelled as a version it was never written in: the apps would upcast its data as if it had that shape.
    let revision = -1;
    const changed = tamperedCopy((db) => {
      revision = deferralRevision(db);
      db.prepare(`UPDATE events SET schema_version = 2 WHERE stream_id = ? AND revision = ?`).run(stream(), revision);
    });
    const result = await verify(changed);
    expect(result.exitCode).toBe(2);
    expect(findingsOf(result.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ streamId: stream(), revision, problem: 'hash-mismatch' })]));

    const rechained = tamperedCopy((db) =>
      rewriteStream(db, (row) => {
        if (row.type === 'ParticipantDeferred') row.schemaVersion = 2;
      }),
    );
    const anchored = await verify(rechained, '--anchor', anchorFile);
    expect(anchored.exitCode).toBe(2);
    expect(findingsOf(anchored.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ streamId: '$all', problem: 'anchor-mismatch' })]));
  });

  it('prints a readable table naming the stream and revision', async () => {
    const dir = tamperedCopy((db) => db.prepare(`UPDATE events SET data = json_set(data, '$.reason', 'career-break') WHERE stream_id = ? AND type = 'ParticipantDeferred'`).run(stream()));
    const result = await api.cliRun(['verify'], { DATA_DIR: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain(stream());
    expect(result.stdout).toContain('hash-mismatch');
  });
});
