import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  DecisionContext,
  MentorFacts,
  NewSchoolFacts,
  participantDecider,
  ParticipantCommand,
  ParticipantEvent,
  ParticipantState,
  participantStreamId,
  RegisterParticipant,
} from '@ecf/domain';
import { aggregateStream, EventStore, handleCommand } from '@ecf/event-store';
import type { Principal } from '@ecf/runtime';
import { CommandRequest } from '../commands/command-request';
import { CommandResultDto, toCommandResult } from '../commands/command-result';
import { DECISION_CONTEXT, EVENT_STORE } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';
import { CascadePreview } from './cascade-preview';
import { ParticipantAccess } from './participant-access';

/** Fields the handler fills in itself: the participant from the path, the caller's authority, and facts read from other streams. */
type ServerSideField = 'participantId' | 'byDpl' | 'cascadedFromEctId' | 'mentor' | 'newSchool';
type InputOf<C> = C extends { type: infer T; data: infer D } ? { type: T } & Omit<D, ServerSideField> : never;

/** The body-level input of a command on an existing participant. */
export type ParticipantCommandInput = InputOf<Exclude<ParticipantCommand, RegisterParticipant>>;

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
    private readonly cascades: CascadePreview,
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
    const result = toCommandResult({ participantId }, outcome, request.dryRun);
    if (!request.dryRun) return result;
    return { ...result, cascades: await this.cascades.of(outcome.events as ParticipantEvent[]) };
  }

  private async toCommand(principal: Principal, participantId: string, state: ParticipantState, input: ParticipantCommandInput): Promise<ParticipantCommand> {
    const byDpl = principal.role === 'dpl';
    switch (input.type) {
      case 'MatchMentor':
        return { type: input.type, data: { participantId, mentorId: input.mentorId, mentor: await this.mentorFacts(principal, input.mentorId) } };
      case 'SubmitSteplabAccessForm':
        if (principal.role === 'induction-tutor' && state.type !== 'induction-tutor') {
          throw new ProblemException(403, 'FORBIDDEN_ROLE', 'Induction tutors submit their own Steplab access form; ECTs and mentors submit theirs in MyECT.', {
            rule: 'Each participant completes their own Steplab access form (seed 000, step 4).',
          });
        }
        return { type: input.type, data: { participantId } };
      case 'ChangeSchool': {
        const { type, ...data } = input;
        return { type, data: { ...data, participantId, newSchool: await this.newSchoolFacts(input.newSchoolUrn) } };
      }
      case 'DeferECT':
      case 'DeferMentor':
      case 'UpdateDeferralReturnDate':
      case 'WithdrawECT':
      case 'WithdrawMentor':
      case 'WithdrawInductionTutor':
      case 'AmendReleaseSchedule': {
        const { type, ...data } = input;
        return { type, data: { ...data, participantId, byDpl } } as ParticipantCommand;
      }
      default: {
        const { type, ...data } = input;
        return { type, data: { ...data, participantId } } as ParticipantCommand;
      }
    }
  }

  /** The proposed mentor, or null when unknown or outside the caller's scope (indistinguishable on purpose). */
  private async mentorFacts(principal: Principal, mentorId: string): Promise<MentorFacts | null> {
    const { state } = await aggregateStream(this.store, participantDecider, participantStreamId(mentorId));
    if (!state.registered || state.type === null || state.schoolUrn === null) return null;
    if (!(await this.access.isVisible(principal, state))) return null;
    return { participantId: mentorId, type: state.type, schoolUrn: state.schoolUrn, status: state.status };
  }

  /** The school moved to, from its own stream; null when no partnership has ever been registered for it. */
  private async newSchoolFacts(urn: string): Promise<NewSchoolFacts | null> {
    const school = await this.access.school(urn);
    return school.urn === null || school.region === null ? null : { urn: school.urn, region: school.region };
  }
}
