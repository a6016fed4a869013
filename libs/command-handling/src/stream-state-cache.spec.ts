import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, ParticipantCommand, participantDecider, ParticipantState, participantStreamId } from '@ecf/domain';
import { ctxOn, ECT_ID, recordValidation, registerECT } from '@ecf/domain/testing';
import { aggregateStream, EventStore, SqliteEventStore, WrongExpectedRevisionError } from '@ecf/event-store';
import { CommandEnvelope, commandHandlerFor } from './handle-command';
import { StreamStateCache, StreamStateCaches } from './stream-state-cache';
import { countingStreamReads } from './stream-reads.testing';

const envelope = (commandId: string = randomUUID()): CommandEnvelope => ({ commandId, correlationId: commandId, causationId: commandId, actor: { id: 'test', role: 'dpl' } });
const context = () => ctxOn('2025-10-06');
const pause = (startDate: string): ParticipantCommand => ({ type: 'PauseECT', data: { participantId: ECT_ID, startDate, expectedResumeDate: '2025-10-24', reason: 'illness' } });
const resume = (resumeDate: string): ParticipantCommand => ({ type: 'ResumeECT', data: { participantId: ECT_ID, resumeDate } });
const erase: ParticipantCommand = { type: 'ErasePersonalData', data: { participantId: ECT_ID, reason: 'erasure request 42' } };
const STREAM = participantStreamId(ECT_ID);
const notErased = (state: ParticipantState) => state.personalDataErasedOn === null;

describe('StreamStateCache: a command reads only the tail past the folded state it keeps', () => {
  let dir: string;
  let file: string;
  let stores: SqliteEventStore[];
  /** `readStream` calls of one store, with the revision each started from. */
  let reads: number[];

  const open = async (): Promise<SqliteEventStore> => {
    const store = await SqliteEventStore.open({ filename: file });
    stores.push(store);
    return store;
  };
  const counted = (store: EventStore): EventStore => countingStreamReads(store, reads);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-state-cache-'));
    file = join(dir, 'events.sqlite');
    stores = [];
    reads = [];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cachedHandler = (maxStreams = 100, idleMs = 60_000) => commandHandlerFor(participantDecider, participantStreamId, { caches: new StreamStateCaches({ maxStreams, idleMs, keeps: notErased }) });

  it('a command on a kept fold reads nothing when its decision is appended at the kept revision, and decides the same', async () => {
    const handle = cachedHandler();
    const store = counted(await open());
    await handle(store, ECT_ID, () => registerECT(), envelope(), context);
    await handle(store, ECT_ID, () => recordValidation('validated'), envelope(), context);
    const outcome = await handle(store, ECT_ID, () => pause('2025-10-06'), envelope(), context);

    expect(reads).toEqual([0]);
    expect(outcome).toMatchObject({ revision: 2, replayed: false });
    expect(outcome.state).toEqual((await aggregateStream(store, participantDecider, STREAM)).state);
  });

  it('no answer but an appended decision comes from a kept fold: a rejection, a dry run and a stale If-Match read the tail first', async () => {
    const handle = cachedHandler();
    const store = counted(await open());
    await handle(store, ECT_ID, () => registerECT(), envelope(), context);
    await handle(store, ECT_ID, () => recordValidation('validated'), envelope(), context);
    await handle(store, ECT_ID, () => pause('2025-10-06'), envelope(), context);
    reads.length = 0;

    await expect(handle(store, ECT_ID, () => pause('2025-10-07'), envelope(), context)).rejects.toMatchObject({ code: 'ALREADY_PAUSED' });
    await handle(store, ECT_ID, () => resume('2025-10-08'), envelope(), context, { dryRun: true });
    await expect(handle(store, ECT_ID, () => resume('2025-10-08'), { ...envelope(), expectedRevision: 1 }, context)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(reads).toEqual([3, 3, 3]);
    // An If-Match equal to the kept revision is the append's own check: nothing to read.
    await handle(store, ECT_ID, () => resume('2025-10-08'), { ...envelope(), expectedRevision: 2 }, context);
    expect(reads).toEqual([3, 3, 3]);
  });

  it('a command another process already wrote is answered as a retry, although this process’s fold has not seen it', async () => {
    const handle = cachedHandler();
    const mine = counted(await open());
    await handle(mine, ECT_ID, () => registerECT(), envelope(), context);
    await handle(mine, ECT_ID, () => recordValidation('validated'), envelope(), context);
    const retried = envelope();
    const first = await cachedHandler()(await open(), ECT_ID, () => pause('2025-10-06'), retried, context);

    const again = await handle(mine, ECT_ID, () => pause('2025-10-06'), retried, context);
    expect(again).toMatchObject({ replayed: true, revision: first.revision, position: first.position });
    expect((await mine.readStream(STREAM)).filter((event) => event.type === 'ECTPaused')).toHaveLength(1);
  });

  it('a stale cache never decides: what another process appended is folded in first (a pause after its resume is accepted, not refused as already paused)', async () => {
    const handle = cachedHandler();
    const mine = await open();
    const theirs = await open();
    await handle(mine, ECT_ID, () => registerECT(), envelope(), context);
    await handle(mine, ECT_ID, () => recordValidation('validated'), envelope(), context);
    await handle(mine, ECT_ID, () => pause('2025-10-06'), envelope(), context);
    // Another process (its own store and cache) resumes the ECT.
    await cachedHandler()(theirs, ECT_ID, () => resume('2025-10-08'), envelope(), context);

    const again = await handle(mine, ECT_ID, () => pause('2025-10-09'), envelope(), context);
    expect(again.events.map((event) => event.type)).toEqual(['ECTPaused']);
    expect(again.revision).toBe(4);
    // And the other way: a pause this process has not seen makes its own pause a rejection.
    await cachedHandler()(theirs, ECT_ID, () => resume('2025-10-10'), envelope(), context);
    await cachedHandler()(theirs, ECT_ID, () => pause('2025-10-11'), envelope(), context);
    await expect(handle(mine, ECT_ID, () => pause('2025-10-12'), envelope(), context)).rejects.toBeInstanceOf(DomainError);
  });

  it('generated: two processes taking turns at random on one participant answer every command as a handler without a cache would', async () => {
    // A seeded walk (mulberry32), so a failure replays: each step, process A or B pauses or resumes the ECT a
    // day later; before it, a third store without a cache dry-runs the same command on the whole stream.
    let seed = 20261203;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const dayAfter = (start: string, days: number) => new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const processes = [
      { store: await open(), handle: cachedHandler() },
      { store: await open(), handle: cachedHandler() },
    ];
    const oracle = { store: await open(), handle: commandHandlerFor(participantDecider, participantStreamId) };
    await processes[0].handle(processes[0].store, ECT_ID, () => registerECT(), envelope(), context);
    await processes[0].handle(processes[0].store, ECT_ID, () => recordValidation('validated'), envelope(), context);
    const answer = async (run: () => Promise<{ events: { type: string }[] }>) => {
      try {
        return (await run()).events.map((event) => event.type).join(',');
      } catch (error) {
        return `refused ${(error as { code?: string }).code}`;
      }
    };

    const answers: string[] = [];
    for (let step = 1; step <= 60; step++) {
      const day = dayAfter('2025-10-06', step);
      const command: ParticipantCommand =
        random() < 0.5 ? { type: 'PauseECT', data: { participantId: ECT_ID, startDate: day, expectedResumeDate: dayAfter(day, 14), reason: 'illness' } } : resume(day);
      const asOfToday = () => ctxOn(day);
      const expected = await answer(() => oracle.handle(oracle.store, ECT_ID, () => command, envelope(), asOfToday, { dryRun: true }));
      const { store, handle } = processes[random() < 0.5 ? 0 : 1];
      const actual = await answer(() => handle(store, ECT_ID, () => command, envelope(), asOfToday));
      expect(`step ${step}: ${actual}`).toBe(`step ${step}: ${expected}`);
      answers.push(actual);
    }
    // The walk exercised both answers, from both processes' stale folds.
    expect(answers).toEqual(expect.arrayContaining(['ECTPaused', 'ECTResumed', 'refused ALREADY_PAUSED']));
  });

  it('a retried command is answered from the whole stream, as it is without a cache', async () => {
    const handle = cachedHandler();
    const store = counted(await open());
    await handle(store, ECT_ID, () => registerECT(), envelope(), context);
    const validation = envelope();
    const first = await handle(store, ECT_ID, () => recordValidation('validated'), validation, context);
    await handle(store, ECT_ID, () => pause('2025-10-06'), envelope(), context);
    reads.length = 0;

    const retried = await handle(store, ECT_ID, () => recordValidation('validated'), validation, context);
    expect(retried).toMatchObject({ replayed: true, revision: first.revision, position: first.position, events: first.events });
    // Its id is in the kept fold, so the whole stream is read straight away.
    expect(reads).toEqual([0]);
  });

  it('an erasure empties it, whether this process records it or reads it in another’s tail', async () => {
    const cache = new StreamStateCache({ maxStreams: 10, idleMs: 60_000, keeps: notErased });
    const handle = commandHandlerFor(participantDecider, participantStreamId);
    const store = await open();
    await handle(store, ECT_ID, () => registerECT(), envelope(), context, { cache });
    expect(cache.get(STREAM)?.state).toMatchObject({ personal: { firstName: expect.any(String) } });
    await handle(store, ECT_ID, () => erase, envelope(), context, { cache });
    expect(cache.get(STREAM)).toBeUndefined();

    // Cached again before another process's erasure: the tail that brings it in empties the entry.
    const other = ECT_ID.replace(/.$/, '9');
    await handle(store, other, () => registerECT({ participantId: other, trn: '7654321' }), envelope(), context, { cache });
    expect(cache.get(participantStreamId(other))).toBeDefined();
    await handle(await open(), other, () => ({ ...erase, data: { ...erase.data, participantId: other } }), envelope(), context);
    await handle(store, other, () => recordValidation('validated', [], other), envelope(), context, { cache });
    expect(cache.get(participantStreamId(other))).toBeUndefined();
  });

  it('memory stays under its bound: no more streams than maxStreams, and none kept past idleMs unused', async () => {
    const cache = new StreamStateCache<ParticipantState>({ maxStreams: 3, idleMs: 1_000, keeps: () => true });
    const handle = commandHandlerFor(participantDecider, participantStreamId);
    const store = await open();
    const ids = Array.from({ length: 6 }, (_, index) => `0b6f3c0e-1a2b-4c3d-8e4f-00000000010${index}`);
    for (const [index, id] of ids.entries()) {
      await handle(store, id, () => registerECT({ participantId: id, trn: String(3_000_000 + index) }), envelope(), context, { cache });
      expect(cache.size).toBeLessThanOrEqual(3);
    }
    expect(ids.map((id) => cache.get(participantStreamId(id)) !== undefined)).toEqual([false, false, false, true, true, true]);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(ids.filter((id) => cache.get(participantStreamId(id)) !== undefined)).toEqual([]);
  });
});
