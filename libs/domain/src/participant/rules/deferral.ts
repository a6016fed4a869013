import { addMonths, isAfter } from '../../shared/calendar';
import { Decision } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { FieldChecks } from '../../shared/field-checks';
import { DEFERRAL_LIMIT_MONTHS, DEFERRAL_REASONS } from '../../shared/reference-data';
import { DeferParticipant, ReturnFromDeferral, UpdateDeferralReturnDate } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';
import { rejectIfBeforeRegistration, rejectIfWithdrawn, requireType } from './lifecycle-guards';

/**
 * The expected return is normally no later than 12 months after the deferral date; a later one needs
 * an exception reason approved by a DPL (seed 004, Defer).
 */
function checkReturnLimit(deferralDate: string, expectedReturnDate: string, exceptionReason: string | null, byDpl: boolean): DomainError | undefined {
  const limit = addMonths(deferralDate, DEFERRAL_LIMIT_MONTHS);
  if (!isAfter(expectedReturnDate, limit)) return undefined;
  if (exceptionReason === null) {
    return new DomainError('RETURN_DATE_TOO_LATE', `The expected return ${expectedReturnDate} is more than ${DEFERRAL_LIMIT_MONTHS} months after the deferral date.`, {
      rule: `A deferral's expected return is normally no later than ${DEFERRAL_LIMIT_MONTHS} months after the deferral date (seed 004, Defer).`,
      nextStep: 'Choose a return date on or before ' + limit + ', or ask the DPL to approve an exception (exceptionReason).',
      fields: [{ field: 'expectedReturnDate', code: 'RETURN_DATE_TOO_LATE', message: `Must be on or before ${limit} without a DPL exception.` }],
    });
  }
  if (!byDpl) {
    return new DomainError('EXCEPTION_NEEDS_DPL', 'A return more than 12 months after the deferral date needs a DPL’s approval.', {
      rule: 'Exceptions to the 12-month return limit are approved by the delivery partner lead.',
      nextStep: 'Ask your DPL to record this deferral with the exception reason.',
    });
  }
  return undefined;
}

/**
 * DeferECT / DeferMentor (seed 004, Defer): payments stop from the deferral date and all unreleased
 * content is held until the return. A deferral on or before the content start date is a deferral
 * from registration ("registered too early"): all content waits for the restart date.
 */
export function deferParticipant(command: DeferParticipant, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, deferralDate, expectedReturnDate, reason, byDpl } = command.data;
  const exceptionReason = command.data.exceptionReason?.trim() || null;
  const type = command.type === 'DeferECT' ? 'ect' : 'mentor';
  const invalid = new FieldChecks()
    .calendarDate(deferralDate, 'deferralDate')
    .calendarDate(expectedReturnDate, 'expectedReturnDate')
    .after(expectedReturnDate, deferralDate, 'expectedReturnDate', 'deferralDate')
    .oneOf(reason, DEFERRAL_REASONS, 'reason')
    .optionalText(command.data.exceptionReason, 'exceptionReason')
    .result();
  const rejection =
    requireType(state, type, 'Deferral') ??
    invalid ??
    rejectIfWithdrawn(state) ??
    rejectIfBeforeRegistration(state, deferralDate, 'deferralDate') ??
    checkReturnLimit(deferralDate, expectedReturnDate, exceptionReason, byDpl);
  if (rejection) return rejection;
  if (state.deferral) {
    return new DomainError('ALREADY_DEFERRED', `The participant is already deferred until ${state.deferral.expectedReturnDate}.`, {
      nextStep: 'Update the expected return date instead (PATCH /participants/:id/deferral).',
    });
  }
  const fromRegistration = state.contentStartDate !== null && !isAfter(deferralDate, state.contentStartDate);
  return [
    {
      type: 'ParticipantDeferred',
      data: {
        participantId,
        participantType: type,
        deferralDate,
        expectedReturnDate,
        reason,
        exceptionReason,
        fromRegistration,
        cascadedFromEctId: command.data.cascadedFromEctId ?? null,
      },
    },
  ];
}

/** A cascaded command only touches a mentor whose deferral came from that same ECT; otherwise it changes nothing. */
const cascadeDoesNotApply = (state: ParticipantState, cascadedFromEctId: string | null | undefined): boolean =>
  cascadedFromEctId != null && state.deferral?.cascadedFromEctId !== cascadedFromEctId;

/** UpdateDeferralReturnDate: the return date may change; an ECT's change carries over to a mentor deferred with them. */
export function updateDeferralReturnDate(command: UpdateDeferralReturnDate, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, expectedReturnDate, byDpl, cascadedFromEctId } = command.data;
  const exceptionReason = command.data.exceptionReason?.trim() || null;
  if (cascadeDoesNotApply(state, cascadedFromEctId)) return [];
  const invalid = new FieldChecks().calendarDate(expectedReturnDate, 'expectedReturnDate').optionalText(command.data.exceptionReason, 'exceptionReason').result();
  const rejection = invalid ?? rejectIfWithdrawn(state);
  if (rejection) return rejection;
  if (!state.deferral) return notDeferred();
  if (state.deferral.expectedReturnDate === expectedReturnDate) return [];
  const order = new FieldChecks().after(expectedReturnDate, state.deferral.deferralDate, 'expectedReturnDate', `the deferral date (${state.deferral.deferralDate})`).result();
  const tooLate = order ?? checkReturnLimit(state.deferral.deferralDate, expectedReturnDate, exceptionReason, byDpl);
  if (tooLate) return tooLate;
  return [
    {
      type: 'DeferralReturnDateUpdated',
      data: {
        participantId,
        previousExpectedReturnDate: state.deferral.expectedReturnDate,
        expectedReturnDate,
        exceptionReason,
        cascadedFromEctId: cascadedFromEctId ?? null,
      },
    },
  ];
}

/**
 * ReturnFromDeferral: payments resume and held content is released; a participant deferred from
 * registration starts their content on the return date.
 */
export function returnFromDeferral(command: ReturnFromDeferral, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, returnDate, cascadedFromEctId } = command.data;
  if (cascadeDoesNotApply(state, cascadedFromEctId)) return [];
  const invalid = new FieldChecks().calendarDate(returnDate, 'returnDate').result();
  const rejection = invalid ?? rejectIfWithdrawn(state);
  if (rejection) return rejection;
  if (!state.deferral) return notDeferred();
  if (isAfter(state.deferral.deferralDate, returnDate)) {
    return new DomainError('INVALID_INPUT', 'The return date is before the deferral date.', {
      fields: [{ field: 'returnDate', code: 'DATE_ORDER', message: `returnDate must be on or after ${state.deferral.deferralDate}.` }],
    });
  }
  return [
    {
      type: 'ReturnedFromDeferral',
      data: {
        participantId,
        deferralDate: state.deferral.deferralDate,
        returnDate,
        contentStartDate: state.deferral.fromRegistration ? returnDate : null,
        cascadedFromEctId: cascadedFromEctId ?? null,
      },
    },
  ];
}

const notDeferred = (): DomainError =>
  new DomainError('NOT_DEFERRED', 'The participant is not deferred.', { rule: 'Only a deferred participant has a return date or returns.' });
