import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  DecisionContext,
  MentorFacts,
  participantDecider,
  ParticipantCommand,
  ParticipantState,
  participantStreamId,
} from '@ecf/domain';
import { aggregateStream, EventStore, handleCommand } from '@ecf/event-store';
import type { Principal } from '@ecf/runtime';
import { CommandRequest } from '../commands/command-request';
import { CommandResultDto, toCommandResult } from '../commands/command-result';
import { DECISION_CONTEXT, EVENT_STORE } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';
import { ParticipantAccess } from './participant-access';

/** The body-level input of a command on an existing participant (participantId and read facts are added here). */
export type ParticipantCommandInput =
  | { type: 'RecordDataValidation'; outcome: 'validated' | 'failed'; reasons: string[] }
  | { type: 'MatchMentor'; mentorId: string }
  | { type: 'SubmitSteplabAccessForm' }
  | { type: 'GrantSteplabAccess' };

export class ChangeParticipantCommand {
  constructor(
    readonly request: CommandRequest,
    readonly participantId: string,
    readonly input: ParticipantCommandInput,
  ) {}
}

/** Every command on an existing participant: load, check scope, enrich with facts from other streams, decide, append. */
@CommandHandler(ChangeParticipantCommand)
export class ChangeParticipantHandler implements ICommandHandler<ChangeParticipantCommand, CommandResultDto> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DECISION_CONTEXT) private readonly context: () => DecisionContext,
    private readonly access: ParticipantAccess,
  ) {}

  async execute({ request, participantId, input }: ChangeParticipantCommand): Promise<CommandResultDto> {
    const outcome = await handleCommand(
      this.store,
      participantDecider,
      participantStreamId(participantId),
      async (state) => {
        await this.access.assertVisible(request.principal, participantId, state);
        return this.toCommand(request.principal, participantId, state, input);
      },
      request.envelope,
      this.context,
      { dryRun: request.dryRun },
    );
    return toCommandResult({ participantId }, outcome, request.dryRun);
  }

  private async toCommand(principal: Principal, participantId: string, state: ParticipantState, input: ParticipantCommandInput): Promise<ParticipantCommand> {
    switch (input.type) {
      case 'RecordDataValidation':
        return { type: input.type, data: { participantId, outcome: input.outcome, reasons: input.reasons } };
      case 'MatchMentor':
        return { type: input.type, data: { participantId, mentorId: input.mentorId, mentor: await this.mentorFacts(principal, input.mentorId) } };
      case 'SubmitSteplabAccessForm':
        if (principal.role === 'induction-tutor' && state.type !== 'induction-tutor') {
          throw new ProblemException(403, 'FORBIDDEN_ROLE', 'Induction tutors submit their own Steplab access form; ECTs and mentors submit theirs in MyECT.', {
            rule: 'Each participant completes their own Steplab access form (seed 000, step 4).',
          });
        }
        return { type: input.type, data: { participantId } };
      case 'GrantSteplabAccess':
        return { type: input.type, data: { participantId } };
    }
  }

  /** The proposed mentor, or null when unknown or outside the caller's scope (indistinguishable on purpose). */
  private async mentorFacts(principal: Principal, mentorId: string): Promise<MentorFacts | null> {
    const { state } = await aggregateStream(this.store, participantDecider, participantStreamId(mentorId));
    if (!state.registered || state.type === null || state.schoolUrn === null) return null;
    if (!(await this.access.isVisible(principal, state))) return null;
    return { participantId: mentorId, type: state.type, schoolUrn: state.schoolUrn, status: state.status };
  }
}

