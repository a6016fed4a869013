import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandEnvelope } from '@ecf/command-handling';
import { DomainError, participantStreamId, trnStreamId } from '@ecf/domain';
import { ctx, ECT_ID, ectRegistered, MENTOR_ID, OTHER_ECT_ID } from '@ecf/domain/testing';
import { NewEvent, SqliteEventStore } from '@ecf/event-store';
import { TrnClaims } from './trn-claims';

const envelope = (commandId: string): CommandEnvelope => ({ commandId, correlationId: commandId, causationId: commandId, actor: { id: 'test', role: 'dpl' } });
const stored = (id: string, type: string, data: Record<string, unknown>): NewEvent => ({
  eventId: id,
  type,
  data,
  metadata: { commandId: id, correlationId: id, causationId: id, actor: { id: 'test', role: 'dpl' }, schemaVersion: 1 },
});

/** TRN claims against a real SQLite store: which earlier claims block a registration, and which are orphaned. */
describe('TrnClaims (real SQLite store)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let claims: TrnClaims;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-trn-claims-'));
    store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
    claims = new TrnClaims(store, () => ctx);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const register = (participantId: string, trn: string, eventId: string) =>
    store.appendToStream(participantStreamId(participantId), [stored(eventId, 'ECTRegistered', { ...ectRegistered({ participantId, trn }).data } as unknown as Record<string, unknown>)], { expectedRevision: 'no_stream' });

  it('refuses a TRN whose holder is registered with it, naming the holder', async () => {
    await claims.claim('7000001', ECT_ID, envelope('11111111-0000-4000-8000-000000000001'));
    await register(ECT_ID, '7000001', '11111111-0000-4000-8000-000000000002');
    await expect(claims.claim('7000001', MENTOR_ID, envelope('11111111-0000-4000-8000-000000000003'))).rejects.toMatchObject({ code: 'TRN_ALREADY_REGISTERED' });
  });

  it('heals a claim left by a replayed request: its holder is registered with another TRN, so the TRN registers for someone else at once', async () => {
    // As a key reused for a second body left it before keys were bound: ECT_ID registered with 7000001, yet holding a claim on 7000002.
    await register(ECT_ID, '7000001', '22222222-0000-4000-8000-000000000001');
    await store.appendToStream(trnStreamId('7000002'), [stored('22222222-0000-4000-8000-000000000002', 'TrnClaimed', { trn: '7000002', participantId: ECT_ID })], { expectedRevision: 'no_stream' });

    await claims.claim('7000002', OTHER_ECT_ID, envelope('22222222-0000-4000-8000-000000000003'));
    expect((await store.readStream(trnStreamId('7000002'))).map((event) => event.data.participantId)).toEqual([ECT_ID, OTHER_ECT_ID]);
  });

  it('still waits for a claim in flight: its holder is not registered yet and it was recorded under a minute ago', async () => {
    await claims.claim('7000003', ECT_ID, envelope('33333333-0000-4000-8000-000000000001'));
    const refusal = await claims.claim('7000003', MENTOR_ID, envelope('33333333-0000-4000-8000-000000000002')).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('TRN_ALREADY_REGISTERED');
  });
});
