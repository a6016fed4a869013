import { mentorCascadePolicy } from '@ecf/command-handling';
import { ECT_ID, ectRegistered, MENTOR_ID, mentorMatched, participantDeferred, participantWithdrawn } from '@ecf/domain/testing';
import { Checkpoints, SqliteReadModelDatabase } from '@ecf/projections';
import { CascadePreview } from './cascade-preview';

describe('CascadePreview (a dry run shows the cascade the real command will have)', () => {
  let db: SqliteReadModelDatabase;
  let preview: CascadePreview;
  let checkpoints: Checkpoints;
  const policy = `policy:${mentorCascadePolicy.name}`;

  beforeEach(async () => {
    db = SqliteReadModelDatabase.open(':memory:');
    checkpoints = new Checkpoints(db);
    await checkpoints.ensureSchema();
    preview = new CascadePreview(db);
    // The policy's tables, as its runner creates them on start.
    for (const ddl of mentorCascadePolicy.schema) await db.exec(ddl);
    await checkpoints.create(policy, 1, mentorCascadePolicy.version, 'live');
  });
  afterEach(() => db.close());

  /** The policy handles the registration and the match up to `position`: its facts and its checkpoint, in one transaction, as its runner commits them. */
  const policyHandlesMatch = (position: number) =>
    db.transaction(async (session) => {
      await mentorCascadePolicy.apply(recorded(ectRegistered()), session);
      await mentorCascadePolicy.apply(recorded(mentorMatched()), session);
      await checkpoints.advance(session, policy, 1, 0, position);
    });
  const recorded = (event: { type: string; data: unknown }) =>
    ({ eventId: 'e', streamId: `participant-${ECT_ID}`, revision: 0, position: 0, type: event.type, data: event.data, metadata: {}, recordedAt: '2026-01-01T00:00:00.000Z' }) as never;

  it('given the policy has not yet handled the match, when a deferral is previewed, then it waits for the policy and shows the mentor’s deferral', async () => {
    setTimeout(() => void policyHandlesMatch(3), 100);
    const cascades = await preview.of([participantDeferred()], 3);
    expect(cascades.map((command) => command.type)).toEqual(['DeferMentor']);
  });

  it('given a mentor withdrawn with the ECT, when the ECT’s reversal request and its reinstatement with includeCascadedMentor are previewed, then each lists the mentor', async () => {
    await policyHandlesMatch(3);
    await db.transaction(async (session) => {
      await mentorCascadePolicy.apply(recorded(participantWithdrawn()), session);
      await mentorCascadePolicy.apply(recorded(participantWithdrawn({ participantId: MENTOR_ID, participantType: 'mentor', reason: 'mentor-no-longer-being-mentor', mentorId: null, cascadedFromEctId: ECT_ID })), session);
    });
    const base = { participantId: ECT_ID, withdrawalDate: '2025-10-01', cascadedFromEctId: null };
    const requested = await preview.of([{ type: 'WithdrawalReversalRequested', data: { ...base, reason: 'Withdrawn in error' } }], 3);
    expect(requested).toEqual([{ type: 'RequestWithdrawalReversal', data: expect.objectContaining({ participantId: MENTOR_ID, cascadedFromEctId: ECT_ID }) }]);
    const reinstated = (includeCascadedMentor: boolean) => preview.of([{ type: 'ParticipantReinstated', data: { ...base, reinstatedOn: '2025-10-02', includeCascadedMentor } }], 3);
    expect(await reinstated(true)).toEqual([{ type: 'ReinstateParticipant', data: { participantId: MENTOR_ID, cascadedFromEctId: ECT_ID } }]);
    expect(await reinstated(false)).toEqual([]);
  });

  it('given no policy has ever run against the read models, when previewed, then 503 rather than an error', async () => {
    const empty = SqliteReadModelDatabase.open(':memory:');
    const unready = new CascadePreview(empty);
    unready.policyWaitMs = 100;
    await expect(unready.of([participantDeferred()], 3)).rejects.toMatchObject({ code: 'CASCADE_PREVIEW_UNAVAILABLE', status: 503 });
    await empty.close();
  });

  it('given the policy never gets there, when previewed, then 503 CASCADE_PREVIEW_UNAVAILABLE rather than a preview without the cascade', async () => {
    preview.policyWaitMs = 100;
    await expect(preview.of([participantDeferred()], 3)).rejects.toMatchObject({ code: 'CASCADE_PREVIEW_UNAVAILABLE', status: 503 });
  });
});
