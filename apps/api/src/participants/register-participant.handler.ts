import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { handleParticipantCommand, observeCommand } from '@ecf/command-handling';
import {
  DecisionContext,
  initialParticipantState,
  isRejection,
  participantDecider,
  participantStreamId,
  RegisterParticipant,
  SchoolState,
} from '@ecf/domain';
import { EventStore } from '@ecf/event-store';
import { schoolFactsOf, TrnClaims } from '@ecf/runtime';
import { canSeeSchool } from '../auth/scope';
import { CommandRequest, newEntityId } from '../commands/command-request';
import { CommandResultDto, toCommandResult } from '../commands/command-result';
import { IdempotencyKeys } from '../commands/idempotency-keys';
import { apiCommand } from '../commands/observed-command';
import { DECISION_CONTEXT, EVENT_STORE } from '../infrastructure/tokens';
import { RegisterEctOrMentorDto, RegisterInductionTutorDto } from './dto/register-participant.dto';
import { ParticipantAccess } from './participant-access';

export class RegisterParticipantCommand {
  constructor(
    readonly type: RegisterParticipant['type'],
    readonly request: CommandRequest,
    readonly body: RegisterEctOrMentorDto | RegisterInductionTutorDto,
  ) {}
}

/**
 * RegisterECT / RegisterMentor / RegisterInductionTutor:
 * bind the Idempotency-Key to this request, decide first (so bad input writes nothing), then claim the
 * TRN (unless this is a retry of a registration that landed), then write the participant's stream.
 */
@CommandHandler(RegisterParticipantCommand)
export class RegisterParticipantHandler implements ICommandHandler<RegisterParticipantCommand, CommandResultDto> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DECISION_CONTEXT) private readonly context: () => DecisionContext,
    private readonly access: ParticipantAccess,
    private readonly trnClaims: TrnClaims,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  async execute({ type, request, body }: RegisterParticipantCommand): Promise<CommandResultDto> {
    const participantId = newEntityId(request);
    const streamId = participantStreamId(participantId);
    const outcome = await observeCommand(apiCommand(request, type, streamId, participantId), async () => {
      await this.idempotencyKeys.bindCommand(request);
      const school = await this.access.school(body.schoolUrn);
      const command: RegisterParticipant = {
        type,
        data: { participantId, ...body, trn: body.trn ?? null, school: this.visibleSchool(request, school, body.cohort) },
      };

      const preview = participantDecider.decide(command, initialParticipantState(), this.context());
      if (isRejection(preview)) throw preview;
      // A retry of a registration that landed claims nothing: the participant's stream answers it (handleParticipantCommand, step 2).
      const retried = request.idempotency !== undefined && (await this.store.readStream(streamId, { maxCount: 1 })).length > 0;
      if (body.trn && !retried) {
        if (request.dryRun) await this.trnClaims.assertAvailable(body.trn, participantId);
        else await this.trnClaims.claim(body.trn, participantId, request.envelope);
      }
      return handleParticipantCommand(this.store, participantId, () => command, request.envelope, this.context, { dryRun: request.dryRun });
    });
    return toCommandResult({ participantId }, outcome, request.dryRun);
  }

  /** A school outside the caller's scope is reported exactly like an unknown one. */
  private visibleSchool(request: CommandRequest, school: SchoolState, cohort: number) {
    const facts = schoolFactsOf(school);
    if (facts === null) return null;
    return canSeeSchool(request.principal, school, request.principal.role === 'ecf-lead' ? cohort : undefined) ? facts : null;
  }
}
