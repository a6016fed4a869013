import { isAfter } from '../../shared/calendar';
import { Decision, DecisionContext } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { FieldChecks } from '../../shared/field-checks';
import { WITHDRAWAL_REASON_ONLY_FOR, WITHDRAWAL_REASONS } from '../../shared/reference-data';
import { ReinstateParticipant, RequestWithdrawalReversal, WithdrawParticipant } from '../participant.commands';
import { ParticipantEvent, ParticipantType } from '../participant.events';
import { ParticipantState } from '../participant.state';
import { rejectIfBeforeRegistration, requireType } from './lifecycle-guards';

const TYPE_OF_COMMAND: Record<WithdrawParticipant['type'], ParticipantType> = {
  WithdrawECT: 'ect',
  WithdrawMentor: 'mentor',
  WithdrawInductionTutor: 'induction-tutor',
};

function checkReasonFitsType(reason: string, type: ParticipantType): DomainError | undefined {
  const onlyFor = WITHDRAWAL_REASON_ONLY_FOR[reason as keyof typeof WITHDRAWAL_REASON_ONLY_FOR];
  if (onlyFor === undefined || onlyFor === type) return undefined;
  return new DomainError('REASON_NOT_FOR_PARTICIPANT_TYPE', `The reason ${reason} applies to ${onlyFor}s only.`, {
    rule: `${reason} is a withdrawal reason for ${onlyFor}s (SPEC §3, DfE reasons).`,
    fields: [{ field: 'reason', code: 'REASON_NOT_FOR_PARTICIPANT_TYPE', message: `Not a reason for a ${type}.` }],
  });
}

/**
 * WithdrawECT / WithdrawMentor / WithdrawInductionTutor (seed 004, Withdraw): the date is on or after
 * the day the participant left and never in the future, because it removes all Steplab access at once.
 */
export function withdrawParticipant(command: WithdrawParticipant, state: ParticipantState, ctx: DecisionContext): Decision<ParticipantEvent> {
  const { participantId, withdrawalDate, reason, byDpl, cascadedFromEctId } = command.data;
  const retainMentor = command.data.retainMentor === true;
  const type = TYPE_OF_COMMAND[command.type];
  if (cascadedFromEctId && state.withdrawal) return [];
  const invalid = new FieldChecks().calendarDate(withdrawalDate, 'withdrawalDate').oneOf(reason, WITHDRAWAL_REASONS, 'reason').result();
  const rejection =
    requireType(state, type, 'This withdrawal') ?? invalid ?? checkReasonFitsType(reason, type) ?? rejectIfBeforeRegistration(state, withdrawalDate, 'withdrawalDate');
  if (rejection) return rejection;
  if (state.withdrawal) {
    return new DomainError('ALREADY_WITHDRAWN', `The participant was withdrawn on ${state.withdrawal.withdrawalDate}.`, {
      nextStep: 'To undo a withdrawal, request a reversal (POST /participants/:id/withdrawal-reversal-request).',
    });
  }
  if (isAfter(withdrawalDate, ctx.today)) {
    return new DomainError('WITHDRAWAL_DATE_IN_FUTURE', `The withdrawal date ${withdrawalDate} is in the future.`, {
      rule: 'Withdrawals are recorded on or after the day the participant left, never ahead of time: the date removes all Steplab access (seed 004, Withdraw).',
      nextStep: 'Record the withdrawal on or after the participant’s last day.',
      fields: [{ field: 'withdrawalDate', code: 'DATE_IN_FUTURE', message: `Must be on or before ${ctx.today}.` }],
    });
  }
  if (retainMentor && type !== 'ect') {
    return new DomainError('INVALID_INPUT', 'retainMentor applies to an ECT’s withdrawal only.', {
      fields: [{ field: 'retainMentor', code: 'NOT_APPLICABLE', message: 'Only for ECTs.' }],
    });
  }
  if (retainMentor && !byDpl) {
    return new DomainError('RETAIN_MENTOR_NEEDS_DPL', 'Keeping the mentor of a withdrawn ECT needs a DPL’s approval.', {
      rule: 'Withdrawing an ECT withdraws their mentor unless a DPL approves keeping them (seed 004, Withdraw).',
      nextStep: 'Discuss it with your DPL, who records the withdrawal with retainMentor.',
    });
  }
  const events: ParticipantEvent[] = [
    {
      type: 'ParticipantWithdrawn',
      data: {
        participantId,
        participantType: type,
        withdrawalDate,
        reason,
        retainMentor,
        mentorId: type === 'ect' ? (state.mentor?.id ?? null) : null,
        cascadedFromEctId: cascadedFromEctId ?? null,
      },
    },
  ];
  if (state.steplab.status !== 'not-requested' && state.steplab.status !== 'revoked') {
    events.push({ type: 'SteplabAccessRevoked', data: { participantId, revokedOn: withdrawalDate, reason: 'withdrawn' } });
  }
  return events;
}

/**
 * A command the mentor cascade issues for a mentor touches only a mentor whose withdrawal followed that
 * same ECT's: a mentor withdrawn on their own account, or already reinstated, is left alone.
 */
const cascadeDoesNotApply = (state: ParticipantState, cascadedFromEctId: string | null | undefined): boolean =>
  cascadedFromEctId != null && state.withdrawal?.cascadedFromEctId !== cascadedFromEctId;

/**
 * RequestWithdrawalReversal: the ECF Lead asks the DPL to reverse a withdrawal (seed 004, Withdraw). The
 * mentor cascade records the same request for a mentor withdrawn with the ECT, so that the DPL's later
 * reinstatement of that mentor rests on a request like any other; a request already there is enough.
 */
export function requestWithdrawalReversal(command: RequestWithdrawalReversal, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, reason, cascadedFromEctId } = command.data;
  if (cascadeDoesNotApply(state, cascadedFromEctId)) return [];
  if (cascadedFromEctId && state.withdrawal?.reversalRequested) return [];
  const invalid = new FieldChecks().text(reason, 'reason').result();
  if (invalid) return invalid;
  if (!state.withdrawal) return notWithdrawn();
  if (state.withdrawal.reversalRequested) {
    return new DomainError('REVERSAL_ALREADY_REQUESTED', 'A reversal of this withdrawal has already been requested.', {
      nextStep: 'The DPL reinstates the participant (POST /participants/:id/reinstatement).',
    });
  }
  return [
    {
      type: 'WithdrawalReversalRequested',
      data: { participantId, withdrawalDate: state.withdrawal.withdrawalDate, reason: reason.trim(), cascadedFromEctId: cascadedFromEctId ?? null },
    },
  ];
}

/**
 * ReinstateParticipant: the DPL carries out a requested reversal. Steplab access, removed at
 * withdrawal, is pending until the back office restores it (GrantSteplabAccess). On an ECT, the DPL
 * may bring back in the same step the mentor withdrawn with them (`includeCascadedMentor`); the mentor
 * cascade then reinstates that mentor, whose own reversal request it recorded with the ECT's.
 */
export function reinstateParticipant(command: ReinstateParticipant, state: ParticipantState, ctx: DecisionContext): Decision<ParticipantEvent> {
  const { participantId, cascadedFromEctId } = command.data;
  const includeCascadedMentor = command.data.includeCascadedMentor === true;
  if (cascadeDoesNotApply(state, cascadedFromEctId)) return [];
  if (includeCascadedMentor && state.type !== 'ect') {
    return new DomainError('INVALID_INPUT', 'includeCascadedMentor applies to an ECT’s reinstatement only.', {
      fields: [{ field: 'includeCascadedMentor', code: 'NOT_APPLICABLE', message: 'Only for ECTs: a mentor withdrawn with their ECT follows the ECT.' }],
    });
  }
  if (!state.withdrawal) return notWithdrawn();
  if (!state.withdrawal.reversalRequested) {
    return new DomainError('REVERSAL_NOT_REQUESTED', 'No reversal of this withdrawal has been requested.', {
      rule: 'The ECF Lead requests a withdrawal reversal; the DPL carries it out (seed 004, Withdraw).',
      nextStep: 'Request the reversal first (POST /participants/:id/withdrawal-reversal-request).',
    });
  }
  return [
    {
      type: 'ParticipantReinstated',
      data: {
        participantId,
        withdrawalDate: state.withdrawal.withdrawalDate,
        reinstatedOn: ctx.today,
        includeCascadedMentor,
        cascadedFromEctId: cascadedFromEctId ?? null,
      },
    },
  ];
}

const notWithdrawn = (): DomainError =>
  new DomainError('NOT_WITHDRAWN', 'The participant is not withdrawn.', { rule: 'Only a withdrawn participant’s withdrawal can be reversed.' });
