import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { mentorCascade, MentorCascadeCommand, ParticipantEvent } from '@ecf/domain';
import { mentorCascadeFacts, mentorCascadePolicy } from '@ecf/projections';
import { READ_MODEL_DB } from '../infrastructure/tokens';

/**
 * For ?dryRun=true: the commands the mentor-cascade policy would issue for the events a command
 * would write, decided by the same pure function on the policy's own facts, so staff see a
 * deferral's effect on the mentor before confirming.
 */
@Injectable()
export class CascadePreview {
  constructor(@Inject(READ_MODEL_DB) private readonly db: Database) {
    // The policy may run in another process that has not started yet; its DDL is idempotent.
    for (const ddl of mentorCascadePolicy.schema) db.exec(ddl);
  }

  of(events: readonly ParticipantEvent[]): MentorCascadeCommand[] {
    return events.flatMap((event) => mentorCascade(event, mentorCascadeFacts(this.db, event.data.participantId)));
  }
}
