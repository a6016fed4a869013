import { mentorCascadePolicy } from '@ecf/command-handling';
import { ECT_ID, ectRegistered, mentorMatched, participantDeferred } from '@ecf/domain/testing';
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
