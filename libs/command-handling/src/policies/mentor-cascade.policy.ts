import {
  DecisionContext,
  MENTOR_CASCADE_POLICY,
  MENTOR_CASCADE_TRIGGERS,
  mentorCascade,
  MentorCascadeCommand,
  MentorCascadeFacts,
  ParticipantEvent,
  participantStreamId,
} from '@ecf/domain';
import { EventStore, RecordedEvent, toDomainEvent } from '@ecf/event-store';
import { SqlSession } from '@ecf/projections';
import { observeCommand } from '../observe-command';
import { handleParticipantCommand } from '../product-commands';
import { Policy, PolicyCommandExecutor } from './policy';

/**
 * Each ECT's mentor, whether the ECT is active (not deferred or withdrawn) and whether that mentor stays
 * withdrawn because this ECT was: what the cascade decides on.
 */
export const MENTEES_TABLE = 'mentor_cascade_mentees_v1';

const schema = [
  `CREATE TABLE IF NOT EXISTS ${MENTEES_TABLE} (
    ect_id TEXT PRIMARY KEY,
    mentor_id TEXT,
    interim INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    mentor_withdrawn_with_ect INTEGER NOT NULL DEFAULT 0)`,
  `CREATE INDEX IF NOT EXISTS ${MENTEES_TABLE}_mentor ON ${MENTEES_TABLE} (mentor_id, active)`,
];

/** What the cascade knows about an ECT's mentor, read from the policy's own table. */
export async function mentorCascadeFacts(db: SqlSession, ectId: string): Promise<MentorCascadeFacts> {
  const row = await db.get<{ mentor_id: string | null; interim: number; mentor_withdrawn_with_ect: number }>(
    `SELECT mentor_id, interim, mentor_withdrawn_with_ect FROM ${MENTEES_TABLE} WHERE ect_id = ?`,
    [ectId],
  );
  if (!row || row.mentor_id === null) return { mentorId: null, interim: false, mentorHasOtherActiveMentee: false, mentorWithdrawnWithEct: false };
  const other = await db.get(`SELECT 1 FROM ${MENTEES_TABLE} WHERE mentor_id = ? AND active = 1 AND ect_id <> ? LIMIT 1`, [row.mentor_id, ectId]);
  return { mentorId: row.mentor_id, interim: row.interim === 1, mentorHasOtherActiveMentee: other !== undefined, mentorWithdrawnWithEct: row.mentor_withdrawn_with_ect === 1 };
}

async function apply(recorded: RecordedEvent, db: SqlSession): Promise<void> {
  const event = toDomainEvent<ParticipantEvent>(recorded);
  const setActive = (active: 0 | 1) => db.run(`UPDATE ${MENTEES_TABLE} SET active = ? WHERE ect_id = ?`, [active, event.data.participantId]);
  switch (event.type) {
    case 'ECTRegistered':
      await db.run(`INSERT INTO ${MENTEES_TABLE} (ect_id) VALUES (?) ON CONFLICT (ect_id) DO NOTHING`, [event.data.participantId]);
      return;
    case 'MentorMatched':
      await db.run(`UPDATE ${MENTEES_TABLE} SET mentor_id = ?, interim = ?, mentor_withdrawn_with_ect = 0 WHERE ect_id = ?`, [
        event.data.mentorId, event.data.interim ? 1 : 0, event.data.participantId,
      ]);
      return;
    case 'SchoolChanged':
      if (event.data.endedMentorMatch !== null) {
        await db.run(`UPDATE ${MENTEES_TABLE} SET mentor_id = NULL, interim = 0, mentor_withdrawn_with_ect = 0 WHERE ect_id = ?`, [event.data.participantId]);
      }
      return;
    case 'ParticipantDeferred':
      await setActive(0);
      return;
    case 'ParticipantWithdrawn':
      await setActive(0);
      if (event.data.cascadedFromEctId !== null) {
        await db.run(`UPDATE ${MENTEES_TABLE} SET mentor_withdrawn_with_ect = 1 WHERE ect_id = ? AND mentor_id = ?`, [event.data.cascadedFromEctId, event.data.participantId]);
      }
      return;
    case 'ReturnedFromDeferral':
      await setActive(1);
      return;
    case 'ParticipantReinstated':
      await setActive(1);
      await db.run(`UPDATE ${MENTEES_TABLE} SET mentor_withdrawn_with_ect = 0 WHERE mentor_id = ?`, [event.data.participantId]);
      return;
  }
}

/** The mentor cascades of seed 004 as a durable policy (the decision itself is the pure `mentorCascade`). */
export const mentorCascadePolicy: Policy<MentorCascadeCommand> = {
  name: MENTOR_CASCADE_POLICY,
  // 2: the facts know which mentor stays withdrawn because of which ECT (reinstating the pair).
  version: 2,
  tracks: ['ECTRegistered', 'MentorMatched', 'SchoolChanged', 'ParticipantDeferred', 'ParticipantWithdrawn', 'ReturnedFromDeferral', 'ParticipantReinstated'],
  reactsTo: MENTOR_CASCADE_TRIGGERS,
  schema,
  tables: [MENTEES_TABLE],
  async react(recorded, db) {
    const event = toDomainEvent<ParticipantEvent>(recorded);
    return mentorCascade(event, await mentorCascadeFacts(db, event.data.participantId)).map((command) => ({
      streamId: participantStreamId(command.data.participantId),
      command,
    }));
  },
  apply,
};

/** Issues a participant command through the same load → decide → append path as the API. */
export function participantCommandExecutor(store: EventStore, context: () => DecisionContext): PolicyCommandExecutor<MentorCascadeCommand> {
  return async ({ streamId, command }, envelope) => {
    const observed = { origin: 'policy', type: command.type, streamId, participantId: command.data.participantId, envelope } as const;
    const outcome = await observeCommand(observed, () => handleParticipantCommand(store, command.data.participantId, () => command, envelope, context));
    return { events: outcome.events, replayed: outcome.replayed };
  };
}
