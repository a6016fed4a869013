import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { handleSchoolCommand, observeCommand } from '@ecf/command-handling';
import { DecisionContext, schoolStreamId } from '@ecf/domain';
import { EventStore } from '@ecf/event-store';
import { CommandRequest } from '../commands/command-request';
import { CommandResultDto, toCommandResult } from '../commands/command-result';
import { IdempotencyKeys } from '../commands/idempotency-keys';
import { apiCommand } from '../commands/observed-command';
import { DECISION_CONTEXT, EVENT_STORE } from '../infrastructure/tokens';
import { ProblemException } from '../problem/problem';
import { RegisterSchoolPartnershipDto } from './register-school.dto';

export class RegisterSchoolPartnershipCommand {
  constructor(
    readonly request: CommandRequest,
    readonly body: RegisterSchoolPartnershipDto,
  ) {}
}

@CommandHandler(RegisterSchoolPartnershipCommand)
export class RegisterSchoolPartnershipHandler implements ICommandHandler<RegisterSchoolPartnershipCommand, CommandResultDto> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DECISION_CONTEXT) private readonly context: () => DecisionContext,
    private readonly idempotencyKeys: IdempotencyKeys,
  ) {}

  async execute({ request, body }: RegisterSchoolPartnershipCommand): Promise<CommandResultDto> {
    const { principal } = request;
    const streamId = schoolStreamId(body.urn);
    const outcome = await observeCommand(apiCommand(request, 'RegisterSchoolPartnership', streamId), async () => {
      if (principal.role === 'ecf-lead' && body.deliveryPartnerId !== principal.deliveryPartnerId) {
        throw new ProblemException(403, 'FORBIDDEN_SCOPE', 'An ECF Lead registers partnerships for their own delivery partner only.', {
          errors: [{ field: 'deliveryPartnerId', code: 'OUT_OF_SCOPE', message: `Use ${principal.deliveryPartnerId ?? 'your delivery partner'}.` }],
        });
      }
      await this.idempotencyKeys.bindCommand(request);
      return handleSchoolCommand(
        this.store,
        body.urn,
        () => ({ type: 'RegisterSchoolPartnership', data: { ...body } }),
        request.envelope,
        this.context,
        { dryRun: request.dryRun },
      );
    });
    return toCommandResult({ schoolUrn: body.urn }, outcome, request.dryRun);
  }
}
