import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { enrichOnce, handleParticipantCommand, observeCommand } from '@ecf/command-handling';
import { DecisionContext, ParticipantCommand, ParticipantEvent, ParticipantState, participantStreamId } from '@ecf/domain';
import { EventStore } from '@ecf/event-store';
import { completeParticipantCommand, mentorFactsOf, newSchoolFactsOf, ParticipantCommandInput, readParticipant } from '@ecf/runtime';
import type { Principal } from '@ecf/runtime';
import { CommandRequest } from '../commands/command-request';
import { CommandResultDto, toCommandResult } from '../commands/command-result';
import { IdempotencyKeys } from '../commands/idempotency-keys';
import { apiCommand } from '../commands/observed-command';
import { DECISION_CONTEXT, EVENT_STORE } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';
import { CascadePreview } from './cascade-preview';
import { ParticipantAccess } from './participant-access';

export type { ParticipantCommandInput };

export class ChangeParticipantCommand {
  constructor(
    readonly request: CommandRequest,
    readonly participantId: string,
    readonly input: ParticipantCommandInput,
  ) {}
}

/** What scope and a command's facts are drawn from in a participant's state: who they are and where. */
const scopeBasis = (state: ParticipantState): string => JSON.stringify([state.registered, state.type, state.schoolUrn, state.cohort]);

/** Every command on an existing participant: load, check scope, enrich with facts from other streams, decide, append. */
@CommandHandler(ChangeParticipantCommand)
export class ChangeParticipantHandler implements ICommandHandler<ChangeParticipantCommand, CommandResultDto> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DECISION_CONTEXT) private readonly context: () => DecisionContext,
    private readonly access: ParticipantAccess,
    private readonly cascades: CascadePreview,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  // #region change-participant
  async execute({ request, participantId, input }: ChangeParticipantCommand): Promise<CommandResultDto> {
    const streamId = participantStreamId(participantId);
    const outcome = await observeCommand(apiCommand(request, input.type, streamId, participantId), async () => {
      await this.idempotencyKeys.bindCommand(request);
      // Scope and the facts of other streams, once per command; again only if a retry finds the participant moved.
      const access = this.access.forOneCommand();
      const command = enrichOnce(scopeBasis, async (state: ParticipantState) => {
        await access.assertVisible(request.principal, participantId, state);
        return this.toCommand(access, request.principal, participantId, state, input);
      });
      return handleParticipantCommand(this.store, participantId, command, request.envelope, this.context, { dryRun: request.dryRun });
    });
    const result = toCommandResult({ participantId }, outcome, request.dryRun);
    if (!request.dryRun) return result;
    return { ...result, ...(await this.cascades.preview(outcome.events as ParticipantEvent[], outcome.position)) };
  }
  // #endregion change-participant

  private async toCommand(access: ParticipantAccess, principal: Principal, participantId: string, state: ParticipantState, input: ParticipantCommandInput): Promise<ParticipantCommand> {
    if (input.type === 'SubmitSteplabAccessForm' && principal.role === 'induction-tutor' && state.type !== 'induction-tutor') {
      throw new ProblemException(403, 'FORBIDDEN_ROLE', 'Induction tutors submit their own Steplab access form; ECTs and mentors submit theirs in MyECT.', {
        rule: 'Each participant completes their own Steplab access form (seed 000, step 4).',
      });
    }
    if (input.type === 'ChangeSchool') await access.assertMoveKeepsInScope(principal, state, input.newSchoolUrn);
    return completeParticipantCommand(participantId, input, {
      byDpl: principal.role === 'dpl',
      // Unknown and out-of-scope mentors are indistinguishable on purpose.
      mentor: async (mentorId) => {
        const mentor = await readParticipant(this.store, mentorId);
        return (await access.isVisible(principal, mentor)) ? mentorFactsOf(mentorId, mentor) : null;
      },
      newSchool: async (urn) => newSchoolFactsOf(await access.school(urn)),
    });
  }
}
