import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParticipantEvent, participantStreamId } from '@ecf/domain';
import {
  ctx,
  dataValidationPassed,
  deferMentor,
  ECT_ID,
  ectRegistered,
  MENTOR_ID,
  mentorMatched,
  mentorRegistered,
  OTHER_ECT_ID,
  participantDeferred,
  participantWithdrawn,
  TUTOR_ID,
} from '@ecf/domain/testing';
import { EventStore, RecordedEvent, SqliteEventStore } from '@ecf/event-store';
import { Checkpoints, openReadModelDatabase, ReadModelDatabase } from '@ecf/projections';
import { handleParticipantCommand } from '../product-commands';
import { mentorCascadePolicy, participantCommandExecutor } from './mentor-cascade.policy';
import { Policy } from './policy';
import { policyCommandId, PolicyRunner } from './policy-runner';

const context = () => ctx;
let dir: string;
let store: SqliteEventStore;
let db: ReadModelDatabase;
let runners: PolicyRunner<unknown>[];
const warnings: object[] = [];
const issued: object[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ecf-policy-'));
  store = await SqliteEventStore.open({ filename: join(dir, 'events.sqlite') });
  db = await openReadModelDatabase({ kind: 'sqlite', filename: join(dir, 'read-models.sqlite') });
  runners = [];
  warnings.length = 0;
  issued.length = 0;
});

afterEach(async () => {
  for (const runner of runners) await runner.stop();
  await store.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

let commandCounter = 0;
async function append(events: ParticipantEvent[]): Promise<RecordedEvent[]> {
  const recorded: RecordedEvent[] = [];
  for (const event of events) {
    const streamId = participantStreamId(event.data.participantId);
    const commandId = `0b6f3c0e-0000-4000-8000-${String(++commandCounter).padStart(12, '0')}`;
    await store.appendToStream(
      streamId,
      [{ eventId: commandId, type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { commandId, correlationId: commandId, causationId: commandId, actor: { id: 'test', role: 'ecf-lead' }, schemaVersion: 1 } }],
      { expectedRevision: 'any' },
    );
    recorded.push((await store.readStream(streamId)).at(-1)!);
  }
  return recorded;
}

function startRunner(on: { store: EventStore; db: ReadModelDatabase } = { store, db }, policy: Policy<never> = mentorCascadePolicy as Policy<never>): PolicyRunner<unknown> {
  const runner = new PolicyRunner(on.store, on.db, policy as Policy<unknown>, participantCommandExecutor(on.store, context) as never, new Checkpoints(on.db), {
    logger: { info: (details) => issued.push(details), warn: (details) => warnings.push(details) },
  });
  runners.push(runner);
  return runner;
}

const mentorEvents = async (mentorId = MENTOR_ID) => (await store.readStream(participantStreamId(mentorId))).slice(1);
const pairedEctAndMentor = (): ParticipantEvent[] => [ectRegistered(), dataValidationPassed(), mentorRegistered(), dataValidationPassed(MENTOR_ID), mentorMatched()];

describe('mentor-cascade policy on the $all subscription (seed 004)', () => {
  it('Mentor cascade on deferral: defers the mentor with the same return date, caused by and correlated with the ECT’s deferral', async () => {
    await append(pairedEctAndMentor());
    const [deferral] = await append([participantDeferred()]);
    const runner = startRunner();
    await runner.start();
    await runner.waitUntilCaughtUp();

    const cascaded = (await mentorEvents()).filter((event) => event.type === 'ParticipantDeferred');
    expect(cascaded).toHaveLength(1);
    expect(cascaded[0].data).toMatchObject({ participantId: MENTOR_ID, expectedReturnDate: '2026-06-01', cascadedFromEctId: ECT_ID });
    expect(cascaded[0].metadata).toMatchObject({
      commandId: policyCommandId('mentor-cascade', deferral.eventId, 0),
      causationId: deferral.eventId,
      correlationId: deferral.metadata.correlationId,
      actor: { id: 'policy:mentor-cascade', role: 'system' },
    });
    // The cascaded deferral is itself a new event on $all: the policy moves past it too.
    await runner.waitUntilCaughtUp();
    expect(await runner.statuses()).toEqual([expect.objectContaining({ name: 'policy:mentor-cascade', status: 'running', position: await store.headPosition() })]);
  });

  it('Mentor cascade on deferral: a mentor with another active mentee is not deferred', async () => {
    await append([...pairedEctAndMentor(), ectRegistered({ participantId: OTHER_ECT_ID, trn: '2223334' }), mentorMatched({ participantId: OTHER_ECT_ID })]);
    await append([participantDeferred()]);
    const runner = startRunner();
    await runner.start();
    await runner.waitUntilCaughtUp();
    expect((await mentorEvents()).map((event) => event.type)).toEqual(['DataValidationPassed']);
  });

  it('Mentor cascade on withdrawal: withdraws the mentor unless a DPL approved retainMentor', async () => {
    await append(pairedEctAndMentor());
    await append([participantWithdrawn({ retainMentor: true })]);
    const runner = startRunner();
    await runner.start();
    await runner.waitUntilCaughtUp();
    expect((await mentorEvents()).some((event) => event.type === 'ParticipantWithdrawn')).toBe(false);
  });

  it('Mentor cascade on withdrawal: withdraws the mentor with the mentor-only reason', async () => {
    await append(pairedEctAndMentor());
    await append([participantWithdrawn()]);
    const runner = startRunner();
    await runner.start();
    await runner.waitUntilCaughtUp();
    const withdrawn = (await mentorEvents()).find((event) => event.type === 'ParticipantWithdrawn');
    expect(withdrawn?.data).toMatchObject({ participantId: MENTOR_ID, reason: 'mentor-no-longer-being-mentor', cascadedFromEctId: ECT_ID });
  });

  it('Mentor cascade on return from deferral: returning the ECT from deferral returns the mentor deferred with them', async () => {
    // Seed 004, Defer: "The mentor for an ECT who is deferred is not expected to engage with the programme until the ECT returns".
    await append(pairedEctAndMentor());
    await append([participantDeferred()]);
    const runner = startRunner();
    await runner.start();
    await runner.waitUntilCaughtUp();
    const [returned] = await append([{ type: 'ReturnedFromDeferral', data: { participantId: ECT_ID, deferralDate: '2025-10-01', returnDate: '2026-04-01', contentStartDate: null, cascadedFromEctId: null } }]);
    await runner.waitUntilCaughtUp();
    const mentorReturn = (await mentorEvents()).find((event) => event.type === 'ReturnedFromDeferral');
    expect(mentorReturn?.data).toMatchObject({ participantId: MENTOR_ID, returnDate: '2026-04-01', cascadedFromEctId: ECT_ID });
    expect(mentorReturn?.metadata).toMatchObject({ causationId: returned.eventId });
  });

  describe('Mentor cascade on reinstatement: the DPL brings back the pair in one step', () => {
    // Seed 004, Withdraw: "If the ECT has been withdrawn, then the mentor also needs to be withdrawn." and "The ECF
    // Lead will need to inform their delivery partner lead (DPL) if they want to reverse a withdrawal."
    const reversalRequested: ParticipantEvent = { type: 'WithdrawalReversalRequested', data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reason: 'Withdrawn in error', cascadedFromEctId: null } };
    const reinstated = (includeCascadedMentor: boolean): ParticipantEvent => ({
      type: 'ParticipantReinstated',
      data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-01', includeCascadedMentor, cascadedFromEctId: null },
    });
    async function withdrawnPairWithReversalRequested(runner: PolicyRunner<unknown>): Promise<RecordedEvent> {
      await append(pairedEctAndMentor());
      await append([participantWithdrawn()]);
      await runner.start();
      await runner.waitUntilCaughtUp();
      const [requested] = await append([reversalRequested]);
      await runner.waitUntilCaughtUp();
      return requested;
    }

    it('given a mentor withdrawn with the ECT, when the ECT’s reversal is requested, then the request is recorded for the mentor, caused by the ECT’s', async () => {
      const requested = await withdrawnPairWithReversalRequested(startRunner());
      const mentorRequest = (await mentorEvents()).find((event) => event.type === 'WithdrawalReversalRequested');
      expect(mentorRequest?.data).toMatchObject({ participantId: MENTOR_ID, cascadedFromEctId: ECT_ID });
      expect(mentorRequest?.metadata).toMatchObject({ causationId: requested.eventId, correlationId: requested.metadata.correlationId });
    });

    it('given the mentor’s request, when the DPL reinstates the ECT with includeCascadedMentor, then the mentor is reinstated, caused by the ECT’s reinstatement', async () => {
      const runner = startRunner();
      await withdrawnPairWithReversalRequested(runner);
      const [ectReinstated] = await append([reinstated(true)]);
      await runner.waitUntilCaughtUp();
      const mentorReinstated = (await mentorEvents()).find((event) => event.type === 'ParticipantReinstated');
      expect(mentorReinstated?.data).toMatchObject({ participantId: MENTOR_ID, cascadedFromEctId: ECT_ID });
      expect(mentorReinstated?.metadata).toMatchObject({ causationId: ectReinstated.eventId, actor: { id: 'policy:mentor-cascade', role: 'system' } });
      // The mentor's reinstatement is itself a new event on $all: once the policy has moved past it, the pair's link is gone.
      await runner.waitUntilCaughtUp();
      expect(await db.get('SELECT mentor_withdrawn_with_ect FROM mentor_cascade_mentees_v1 WHERE ect_id = ?', [ECT_ID])).toEqual({ mentor_withdrawn_with_ect: 0 });
    });

    it('given the mentor’s request, when the DPL reinstates the ECT alone, then the mentor stays withdrawn', async () => {
      const runner = startRunner();
      await withdrawnPairWithReversalRequested(runner);
      await append([reinstated(false)]);
      await runner.waitUntilCaughtUp();
      expect((await mentorEvents()).map((event) => event.type)).toEqual(['DataValidationPassed', 'ParticipantWithdrawn', 'WithdrawalReversalRequested']);
    });
  });

  it('an interim mentor (the induction tutor) is never cascaded', async () => {
    await append([ectRegistered(), dataValidationPassed(), mentorMatched({ mentorId: TUTOR_ID, interim: true })]);
    await append([participantDeferred()]);
    const runner = startRunner();
    await runner.start();
    await runner.waitUntilCaughtUp();
    expect(await store.readStream(participantStreamId(TUTOR_ID))).toHaveLength(0);
  });

  it('reacting to the same events again (a crash before the checkpoint) writes nothing new: the command ids are recognised', async () => {
    await append(pairedEctAndMentor());
    await append([participantDeferred()]);
    const first = startRunner();
    await first.start();
    await first.waitUntilCaughtUp();
    await first.stop();
    const mentorRevisionAfterFirstRun = (await store.readStream(participantStreamId(MENTOR_ID))).length;

    // A second read-model database has no checkpoint: the policy reacts to the whole log again.
    const freshDb = await openReadModelDatabase({ kind: 'sqlite', filename: join(dir, 'second-read-models.sqlite') });
    try {
      const second = startRunner({ store, db: freshDb });
      await second.start();
      await second.waitUntilCaughtUp();
      await second.stop();
    } finally {
      await freshDb.close();
    }
    expect(await store.readStream(participantStreamId(MENTOR_ID))).toHaveLength(mentorRevisionAfterFirstRun);
    expect(issued).toEqual([expect.objectContaining({ replayed: false, events: 1 }), expect.objectContaining({ replayed: true })]);
    expect(warnings).toEqual([]);
  });

  it('a command the domain rejects is logged with its code and skipped; the policy keeps running', async () => {
    await append(pairedEctAndMentor());
    // The mentor is already deferred on their own account, so the cascaded DeferMentor is rejected.
    await handleParticipantCommand(store, MENTOR_ID, () => deferMentor(), { commandId: 'c0000000-0000-4000-8000-000000000001', correlationId: 'c0000000-0000-4000-8000-000000000001', causationId: 'c0000000-0000-4000-8000-000000000001', actor: { id: 'test', role: 'ecf-lead' } }, context);
    await append([participantDeferred()]);
    const runner = startRunner();
    await runner.start();
    await runner.waitUntilCaughtUp();
    expect(warnings).toEqual([expect.objectContaining({ code: 'ALREADY_DEFERRED' })]);
    expect((await runner.statuses()).map((checkpoint) => checkpoint.status)).toEqual(['running']);
  });

  it('a new policy version rebuilds its facts up to the old checkpoint without reacting to history again', async () => {
    await append(pairedEctAndMentor());
    await append([participantDeferred()]);
    const v1 = startRunner();
    await v1.start();
    await v1.waitUntilCaughtUp();
    await v1.stop();
    const mentorEventsBefore = (await mentorEvents()).length;

    const reacted: string[] = [];
    const v2: Policy<never> = { ...(mentorCascadePolicy as Policy<never>), version: mentorCascadePolicy.version + 1, react: async (event, facts) => {
      reacted.push(event.type);
      return (await mentorCascadePolicy.react(event, facts)) as never[];
    } };
    const runner = startRunner({ store, db }, v2);
    await runner.start();
    await runner.waitUntilCaughtUp();
    expect(reacted).toEqual([]);
    expect(await mentorEvents()).toHaveLength(mentorEventsBefore);
    expect(await db.get('SELECT mentor_id, active FROM mentor_cascade_mentees_v1 WHERE ect_id = ?', [ECT_ID])).toEqual({ mentor_id: MENTOR_ID, active: 0 });
  });
});
