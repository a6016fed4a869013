import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { participantStreamId, trnStreamId } from '@ecf/domain';
import { ECT_ID, ectRegistered, MENTOR_ID, OTHER_ECT_ID } from '@ecf/domain/testing';
import { NewEvent, SqliteEventStore } from '@ecf/event-store';
import { findOrphanedTrnClaims } from './orphaned-trn-claims';

const stored = (id: string, type: string, data: Record<string, unknown>): NewEvent => ({
  eventId: id,
  type,
  data,
  metadata: { commandId: id, correlationId: id, causationId: id, actor: { id: 'test', role: 'dpl' }, schemaVersion: 1 },
});

describe('findOrphanedTrnClaims (what `ecf verify` lists besides its findings), on a real SQLite log', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-orphans-'));
    store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
    const claim = (trn: string, participantId: string, id: string) =>
      store.appendToStream(trnStreamId(trn), [stored(id, 'TrnClaimed', { trn, participantId })], { expectedRevision: 'any' });
    const register = (participantId: string, trn: string, id: string) =>
      store.appendToStream(participantStreamId(participantId), [stored(id, 'ECTRegistered', { ...ectRegistered({ participantId, trn }).data } as unknown as Record<string, unknown>)], {
        expectedRevision: 'no_stream',
      });
    // A healthy claim; a reused key's claim (holder registered with another TRN); a registration that never landed.
    await claim('8000001', ECT_ID, '44444444-0000-4000-8000-000000000001');
    await register(ECT_ID, '8000001', '44444444-0000-4000-8000-000000000002');
    await claim('8000002', ECT_ID, '44444444-0000-4000-8000-000000000003');
    await claim('8000003', MENTOR_ID, '44444444-0000-4000-8000-000000000004');
    // A claim taken over by a participant who did register: the last holder counts.
    await claim('8000004', MENTOR_ID, '44444444-0000-4000-8000-000000000005');
    await claim('8000004', OTHER_ECT_ID, '44444444-0000-4000-8000-000000000006');
    await register(OTHER_ECT_ID, '8000004', '44444444-0000-4000-8000-000000000007');
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists each claim whose holder does not hold its TRN, with why, and no other', async () => {
    const orphaned = await findOrphanedTrnClaims(store);
    expect(orphaned.map(({ trn, participantId, reason }) => ({ trn, participantId, reason }))).toEqual([
      { trn: '8000002', participantId: ECT_ID, reason: 'holder-has-another-trn' },
      { trn: '8000003', participantId: MENTOR_ID, reason: 'holder-not-registered' },
    ]);
  });
});
