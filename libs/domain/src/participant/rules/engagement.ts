import { isBefore, isInstant, londonDateOf, toUtcInstant } from '../../shared/calendar';
import { Decision, DecisionContext } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { FieldChecks } from '../../shared/field-checks';
import { ENGAGEMENT_KINDS } from '../../shared/reference-data';
import { RecordAttendance, RecordEngagement, RecordModuleAccess } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';
import { rejectIfBeforeRegistration } from './lifecycle-guards';

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Activity on or after the withdrawal date is refused: the date is "on or after the date the participant
 * has gone" and "will remove all Steplab access" (seed 004, Withdraw), and DfE pays only declarations
 * dated before it, so the withdrawal day is the first day nothing counts (the payment eligibility agrees).
 */
function rejectIfFromWithdrawal(state: ParticipantState, date: string, field: string): DomainError | undefined {
  if (!state.withdrawal || isBefore(date, state.withdrawal.withdrawalDate)) return undefined;
  return new DomainError('PARTICIPANT_WITHDRAWN', `The participant was withdrawn on ${state.withdrawal.withdrawalDate}; ${field} ${date} is not before that.`, {
    rule: 'Only activity before the withdrawal date is recorded: the participant had gone, and lost Steplab access, on that date (seed 004, Withdraw).',
  });
}

/**
 * RecordEngagement (system): engagement continues to count while an ECT is paused (seed 004, Pause);
 * whether it pays is the payment-eligibility projection's question, not a reason to refuse the fact.
 */
export function recordEngagement(command: RecordEngagement, state: ParticipantState, ctx: DecisionContext): Decision<ParticipantEvent> {
  const { participantId, kind, occurredOn } = command.data;
  const reference = command.data.reference?.trim() || null;
  const invalid = new FieldChecks()
    .oneOf(kind, ENGAGEMENT_KINDS, 'kind')
    .calendarDate(occurredOn, 'occurredOn')
    .notInFuture(occurredOn, 'occurredOn', ctx.today)
    .optionalText(command.data.reference, 'reference', 200)
    .result();
  const rejection = invalid ?? rejectIfFromWithdrawal(state, occurredOn, 'occurredOn');
  if (rejection) return rejection;
  return [{ type: 'EngagementRecorded', data: { participantId, kind, occurredOn, reference } }];
}

/** The modules a participant can open: their own track's, or any of the curriculum for a participant without one. */
function modulesFor(state: ParticipantState, ctx: DecisionContext): readonly string[] {
  const { moduleCodes } = ctx.programme;
  return state.type === 'ect' || state.type === 'mentor' ? moduleCodes[state.type] : [...moduleCodes.ect, ...moduleCodes.mentor];
}

/**
 * RecordModuleAccess (system): the platform's record of a module opened; resume continues from the last
 * one, so the code must name a module of the participant's curriculum. Nobody opens Steplab content
 * before being registered (seed 000, step 4: access follows registration and DfE's validation).
 */
export function recordModuleAccess(command: RecordModuleAccess, state: ParticipantState, ctx: DecisionContext): Decision<ParticipantEvent> {
  const { participantId, moduleCode, accessedAt } = command.data;
  const known = modulesFor(state, ctx);
  const wellFormed = typeof moduleCode === 'string' && CODE_PATTERN.test(moduleCode);
  const invalid = new FieldChecks()
    .check(wellFormed, 'moduleCode', 'INVALID_CODE', 'moduleCode must be 1–64 letters, digits, dots, dashes or underscores.')
    .check(!wellFormed || known.includes(moduleCode), 'moduleCode', 'UNKNOWN_MODULE', `moduleCode must be a module of the participant's curriculum: ${known.join(', ')}.`)
    .check(isInstant(accessedAt), 'accessedAt', 'INVALID_INSTANT', 'accessedAt must be an ISO-8601 instant with a time zone, e.g. 2025-10-01T09:00:00Z.')
    .result();
  if (invalid) return invalid;
  const at = toUtcInstant(accessedAt);
  if (at > ctx.now) {
    return new DomainError('INVALID_INPUT', 'accessedAt is in the future.', {
      fields: [{ field: 'accessedAt', code: 'DATE_IN_FUTURE', message: 'accessedAt must not be in the future.' }],
    });
  }
  const rejection = rejectIfBeforeRegistration(state, londonDateOf(at), 'accessedAt') ?? rejectIfFromWithdrawal(state, londonDateOf(at), 'accessedAt');
  if (rejection) return rejection;
  return [{ type: 'ModuleAccessRecorded', data: { participantId, moduleCode, accessedAt: at } }];
}

/**
 * RecordAttendance (system): clinics may be attended in any order; conferences in order —
 * conference 2 only after conference 1 (seed 004, Defer), before or after a deferral alike.
 */
export function recordAttendance(command: RecordAttendance, state: ParticipantState, ctx: DecisionContext): Decision<ParticipantEvent> {
  const { participantId, eventCode, attendedOn } = command.data;
  const invalid = new FieldChecks().calendarDate(attendedOn, 'attendedOn').notInFuture(attendedOn, 'attendedOn', ctx.today).result();
  if (invalid) return invalid;
  const programmeEvent = ctx.programme.programmeEvents.find((candidate) => candidate.code === eventCode);
  if (!programmeEvent) {
    return new DomainError('UNKNOWN_PROGRAMME_EVENT', `No conference or clinic has the code ${String(eventCode)}.`, {
      fields: [{ field: 'eventCode', code: 'UNKNOWN', message: `One of: ${ctx.programme.programmeEvents.map((known) => known.code).join(', ')}.` }],
    });
  }
  const rejection = rejectIfFromWithdrawal(state, attendedOn, 'attendedOn');
  if (rejection) return rejection;
  if (programmeEvent.kind === 'conference') {
    if (state.conferencesAttended.includes(eventCode)) return [];
    const conferences = ctx.programme.programmeEvents.filter((known) => known.kind === 'conference').map((known) => known.code);
    const missing = conferences.slice(0, conferences.indexOf(eventCode)).filter((earlier) => !state.conferencesAttended.includes(earlier));
    if (missing.length > 0) {
      return new DomainError('CONFERENCE_OUT_OF_ORDER', `${eventCode} comes after ${missing.join(', ')}, which the participant has not attended.`, {
        rule: 'Conferences are attended in order: conference 1 first, conference 2 second (seed 004, Defer). Clinics may be attended in any order.',
        nextStep: `Record attendance at ${missing[0]} first.`,
      });
    }
  }
  return [{ type: 'AttendanceRecorded', data: { participantId, eventCode, eventKind: programmeEvent.kind, attendedOn } }];
}
