import { CalendarDate, isAfter, isCalendarDate } from '../../shared/calendar';
import { DomainError } from '../../shared/domain-error';
import { ParticipantType } from '../participant.events';
import { ParticipantState } from '../participant.state';

/** Commands on a withdrawn participant wait for reinstatement (seed 004, Withdraw). */
export function rejectIfWithdrawn(state: ParticipantState): DomainError | undefined {
  if (!state.withdrawal) return undefined;
  return new DomainError('PARTICIPANT_WITHDRAWN', `The participant was withdrawn on ${state.withdrawal.withdrawalDate}.`, {
    rule: 'A withdrawn participant takes no further part until reinstated.',
    nextStep: 'The ECF Lead requests a withdrawal reversal; the DPL reinstates the participant.',
  });
}

export function requireType(state: ParticipantState, type: ParticipantType, what: string): DomainError | undefined {
  if (state.type === type) return undefined;
  const code = type === 'ect' ? 'NOT_AN_ECT' : type === 'mentor' ? 'NOT_A_MENTOR' : 'NOT_AN_INDUCTION_TUTOR';
  return new DomainError(code, `${what} applies to ${type === 'ect' ? 'ECTs' : type === 'mentor' ? 'mentors' : 'induction tutors'} only; this participant is ${state.type === 'ect' ? 'an ECT' : `a ${state.type}`}.`, {
    rule: `${what} applies to ${type}s only.`,
  });
}

/** A business date about the participant cannot fall before their registration. */
export function rejectIfBeforeRegistration(state: ParticipantState, date: CalendarDate, field: string): DomainError | undefined {
  if (!state.registeredOn || !isCalendarDate(date) || !isAfter(state.registeredOn, date)) return undefined;
  return new DomainError('DATE_BEFORE_REGISTRATION', `${field} ${date} is before the participant was registered (${state.registeredOn}).`, {
    rule: 'Lifecycle dates fall on or after the registration date.',
    fields: [{ field, code: 'BEFORE_REGISTRATION', message: `${field} must be on or after ${state.registeredOn}.` }],
  });
}
