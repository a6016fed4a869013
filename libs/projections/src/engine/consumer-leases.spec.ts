import { DisposableReadModels, freshReadModels, READ_MODEL_KINDS } from '../testing/read-model-databases';
import { CONSUMER_LEASES_TABLE, ConsumerLeases, LeaseLostError } from './consumer-leases';

describe.each(READ_MODEL_KINDS)('Consumer leases on %s (one owner per consumer across processes)', (kind) => {
  let readModels: DisposableReadModels;
  let p1: ConsumerLeases;
  let p2: ConsumerLeases;

  beforeEach(async () => {
    readModels = await freshReadModels(kind);
    p1 = new ConsumerLeases(readModels.db, 'projector-1', 10_000);
    p2 = new ConsumerLeases(readModels.db, 'projector-2', 10_000);
    await p1.ensureSchema();
    await readModels.db.exec('CREATE TABLE IF NOT EXISTS written (n INTEGER)');
  });
  afterEach(() => readModels.dispose());

  /** The owner stopped renewing long enough: its lease is past its expiry (set directly rather than waited for). */
  const expire = (name: string) => readModels.db.run(`UPDATE ${CONSUMER_LEASES_TABLE} SET expires_at = 0 WHERE name = ?`, [name]);
  const writtenRows = async () => (await readModels.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM written'))!.n;

  it('gives a free lease to the first process and none to a second while it is held and renewed', async () => {
    expect(await p1.tryAcquire('participant-summary')).toBe(1);
    expect(await p2.tryAcquire('participant-summary')).toBeNull();
    expect(await p1.renew('participant-summary', 1)).toBe(true);
    expect(await p1.tryAcquire('participant-summary')).toBe(1);
    expect(await p2.tryAcquire('school-alerts')).toBe(1);
  });

  it('lets a standby take an expired lease with a new epoch; the old owner can neither renew nor commit a batch', async () => {
    await p1.tryAcquire('policy:mentor-cascade');
    await expire('policy:mentor-cascade');
    expect(await p2.tryAcquire('policy:mentor-cascade')).toBe(2);
    expect(await p1.renew('policy:mentor-cascade', 1)).toBe(false);
    const batch = readModels.db.transaction(async (session) => {
      await session.run('INSERT INTO written (n) VALUES (1)');
      await p1.fence(session, 'policy:mentor-cascade', 1);
    });
    await expect(batch).rejects.toBeInstanceOf(LeaseLostError);
    expect(await writtenRows()).toBe(0);
    await readModels.db.transaction((session) => p2.fence(session, 'policy:mentor-cascade', 2));
  });

  it('a takeover waits for the batch the old owner has open, so that batch commits whole and the next one is refused', async () => {
    await p1.tryAcquire('participant-programme');
    await expire('participant-programme');
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let fenced!: () => void;
    const inBatch = new Promise<void>((resolve) => (fenced = resolve));
    const batch = readModels.db.transaction(async (session) => {
      await p1.fence(session, 'participant-programme', 1);
      fenced();
      await gate;
      await session.run('INSERT INTO written (n) VALUES (1)');
    });
    await inBatch;
    const takeover = p2.tryAcquire('participant-programme');
    open();
    await batch;
    expect(await takeover).toBe(2);
    expect(await writtenRows()).toBe(1);
    await expect(readModels.db.transaction((session) => p1.fence(session, 'participant-programme', 1))).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('a released lease is taken at once, without waiting for it to expire', async () => {
    await p1.tryAcquire('school-alerts');
    await p1.release('school-alerts', 1);
    expect(await p2.tryAcquire('school-alerts')).toBe(2);
    expect((await p1.all()).map(({ name, owner, epoch }) => ({ name, owner, epoch }))).toEqual([{ name: 'school-alerts', owner: 'projector-2', epoch: 2 }]);
  });
});
