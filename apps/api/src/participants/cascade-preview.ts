import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { mentorCascade, MentorCascadeCommand, ParticipantEvent } from '@ecf/domain';
import { mentorCascadeFacts, mentorCascadePolicy, ReadModelDatabase } from '@ecf/projections';
import { READ_MODEL_DB } from '../infrastructure/tokens';

/**
 * For ?dryRun=true: the commands the mentor-cascade policy would issue for the events a command
 * would write, decided by the same pure function on the policy's own facts, so staff see a
 * deferral's effect on the mentor before confirming.
 */
@Injectable()
export class CascadePreview implements OnModuleInit {
  constructor(@Inject(READ_MODEL_DB) private readonly db: ReadModelDatabase) {}

  async onModuleInit(): Promise<void> {
    // The policy may run in another process that has not started yet; its DDL is idempotent.
    for (const ddl of mentorCascadePolicy.schema) await this.db.exec(ddl);
  }

  async of(events: readonly ParticipantEvent[]): Promise<MentorCascadeCommand[]> {
    const cascades: MentorCascadeCommand[] = [];
    for (const event of events) cascades.push(...mentorCascade(event, await mentorCascadeFacts(this.db, event.data.participantId)));
    return cascades;
  }
}
