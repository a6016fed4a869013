import { Inject, Injectable } from '@nestjs/common';
import { mentorCascadeFacts, mentorCascadePolicy } from '@ecf/command-handling';
import { mentorCascade, MentorCascadeCommand, ParticipantEvent } from '@ecf/domain';
import { Checkpoints, ReadModelDatabase } from '@ecf/projections';
import { READ_MODEL_DB } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';
import { noCascadeReason, NoCascadeView } from './no-cascade-reason';

const POLICY_CHECKPOINT = { name: `policy:${mentorCascadePolicy.name}`, generation: 1 };

/**
 * For ?dryRun=true: the commands the mentor-cascade policy would issue for the events a command
 * would write, decided by the same pure function on the policy's own facts, so staff see a
 * deferral's effect on the mentor before confirming.
 */
@Injectable()
export class CascadePreview {
  private readonly checkpoints: Checkpoints;
  /** How long a preview waits for the policy to have seen the participant's stream up to the previewed revision. */
  policyWaitMs = 5000;

  constructor(@Inject(READ_MODEL_DB) private readonly db: ReadModelDatabase) {
    this.checkpoints = new Checkpoints(db);
  }

  /**
   * The cascades of `events`, decided on the policy's facts once they hold the log up to `position` (the
   * previewed stream's last event): a preview right after a match must see the match, or it would show
   * no cascade where the real command will have one. A policy that does not get there in time (stopped,
   * far behind) makes the preview unavailable rather than wrong.
   */
  async of(events: readonly ParticipantEvent[], position: number): Promise<MentorCascadeCommand[]> {
    return (await this.preview(events, position)).cascades;
  }

  /** The cascades, and when there are none although a mentor could have followed, why not (from the same facts). */
  async preview(events: readonly ParticipantEvent[], position: number): Promise<{ cascades: MentorCascadeCommand[]; noCascade?: NoCascadeView }> {
    await this.policyAt(position);
    const cascades: MentorCascadeCommand[] = [];
    let noCascade: NoCascadeView | null = null;
    for (const event of events) {
      const facts = await mentorCascadeFacts(this.db, event.data.participantId);
      const issued = mentorCascade(event, facts);
      cascades.push(...issued);
      if (issued.length === 0) noCascade ??= noCascadeReason(event, facts);
    }
    return cascades.length > 0 || noCascade === null ? { cascades } : { cascades, noCascade };
  }

  private async policyAt(position: number): Promise<void> {
    const deadline = Date.now() + this.policyWaitMs;
    for (;;) {
      // No checkpoint table yet: no policy has ever run against these read models.
      const checkpoint = await this.checkpoints.get(POLICY_CHECKPOINT.name, POLICY_CHECKPOINT.generation).catch(() => undefined);
      if (checkpoint && checkpoint.position >= position) return;
      if (Date.now() > deadline) {
        throw new ProblemException(503, 'CASCADE_PREVIEW_UNAVAILABLE', 'The mentor-cascade policy has not yet caught up with this participant, so the preview could not show what it would cascade. Nothing was written; try the preview again shortly.', {
          nextStep: 'Check GET /health/ready: the policy:mentor-cascade consumer must be running and caught up.',
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
