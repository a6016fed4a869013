import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { participantStreamId, schoolStreamId } from '@ecf/domain';
import { ctx, dataValidationPassed, ECT_ID, ectRegistered, MENTOR_ID, mentorRegistered, SCHOOL_URN, schoolPartnershipRegistered } from '@ecf/domain/testing';
import { EventStore, ReadStreamOptions, SqliteEventStore } from '@ecf/event-store';
import { SqliteReadModelDatabase } from '@ecf/projections';
import type { Principal } from '@ecf/runtime';
import { IdempotencyKeys } from '../commands/idempotency-keys';
import { CascadePreview } from './cascade-preview';
import { ParticipantAccess } from './participant-access';
import { ChangeParticipantCommand, ChangeParticipantHandler } from './participant-command.handler';

const dpl: Principal = { keyId: 'k1', name: 'dpl', role: 'dpl', schoolUrns: [], deliveryPartnerId: null };

describe('ChangeParticipantHandler: the stream it appends to read once per attempt, other streams once per command', () => {
  let dir: string;
  let store: SqliteEventStore;
  let readModels: SqliteReadModelDatabase;
  const reads = new Map<string, number>();

  const write = (streamId: string, type: string, data: unknown) => {
    const id = randomUUID();
    return store.appendToStream(streamId, [{ eventId: id, type, data: data as Record<string, unknown>, metadata: { commandId: id, correlationId: id, causationId: id, actor: { id: 'test', role: 'dpl' }, schemaVersion: 1 } }], {
      expectedRevision: 'any',
    });
  };

  /** The store as the handler sees it: reads counted per stream; the first append of the ECT's stream loses a race to another writer. */
  function contendedStore(): EventStore {
    const seen = Object.create(store) as EventStore;
    let raced = false;
    seen.readStream = (streamId: string, options?: ReadStreamOptions) => {
      reads.set(streamId, (reads.get(streamId) ?? 0) + 1);
      return store.readStream(streamId, options);
    };
    seen.appendToStream = async (streamId, events, options) => {
      if (!raced && streamId === participantStreamId(ECT_ID)) {
        raced = true;
        // Another writer's event on the same stream, between this attempt's read and its append.
        await write(streamId, 'DataValidationPassed', dataValidationPassed(ECT_ID).data);
      }
      return store.appendToStream(streamId, events, options);
    };
    return seen;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecf-handler-'));
    store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
    readModels = SqliteReadModelDatabase.open(join(dir, 'read-models.sqlite'));
    await write(schoolStreamId(SCHOOL_URN), 'SchoolPartnershipRegistered', schoolPartnershipRegistered().data);
    for (const event of [ectRegistered(), dataValidationPassed(ECT_ID), mentorRegistered(), dataValidationPassed(MENTOR_ID)]) {
      await write(participantStreamId(event.data.participantId), event.type, event.data);
    }
    reads.clear();
  });

  afterEach(async () => {
    await store.close();
    await readModels.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a conflict on the first append, when a mentor is matched, then the ECT stream is read twice and the school and mentor streams once', async () => {
    const contended = contendedStore();
    const idempotencyKeys = new IdempotencyKeys(readModels);
    await idempotencyKeys.onModuleInit();
    const handler = new ChangeParticipantHandler(contended, () => ctx, new ParticipantAccess(contended), new CascadePreview(readModels), idempotencyKeys);
    const commandId = randomUUID();
    const request = { principal: dpl, envelope: { commandId, correlationId: commandId, causationId: commandId, actor: { id: 'dpl', role: 'dpl' as const } }, dryRun: false };

    const result = await handler.execute(new ChangeParticipantCommand(request, ECT_ID, { type: 'MatchMentor', mentorId: MENTOR_ID }));

    // Registered, validated, the other writer's event, then the match: decided against the revision it appended after.
    expect(result).toMatchObject({ participantId: ECT_ID, revision: 3 });
    expect((await store.readStream(participantStreamId(ECT_ID))).map((event) => event.type)).toEqual(['ECTRegistered', 'DataValidationPassed', 'DataValidationPassed', 'MentorMatched']);
    expect(Object.fromEntries(reads)).toEqual({ [participantStreamId(ECT_ID)]: 2, [schoolStreamId(SCHOOL_URN)]: 1, [participantStreamId(MENTOR_ID)]: 1 });
  });
});
