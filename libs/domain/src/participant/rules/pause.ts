import { addWeeks, isAfter, londonDateOf } from '../../shared/calendar';
import { Decision } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { FieldChecks } from '../../shared/field-checks';
import { PAUSE_LIMIT_WEEKS } from '../../shared/reference-data';
import { PauseECT, ResumeECT } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';
import { rejectIfBeforeRegistration, rejectIfWithdrawn, requireType } from './lifecycle-guards';

/**
 * PauseECT (seed 004, Pause): an induction tutor pauses an ECT's module release for a short absence,
 * expected to last under 6 weeks. Only module release stops; engagement, and so payment, continue.
 */
export function pauseECT(command: PauseECT, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, startDate, expectedResumeDate, reason } = command.data;
  const invalid = new FieldChecks()
    .calendarDate(startDate, 'startDate')
    .calendarDate(expectedResumeDate, 'expectedResumeDate')
    .after(expectedResumeDate, startDate, 'expectedResumeDate', 'startDate')
    .text(reason, 'reason')
    .result();
  const rejection =
    requireType(state, 'ect', 'Pausing') ?? invalid ?? rejectIfWithdrawn(state) ?? rejectIfBeforeRegistration(state, startDate, 'startDate');
  if (rejection) return rejection;
  if (state.pause) {
    return new DomainError('ALREADY_PAUSED', `The ECT has been paused since ${state.pause.startDate}.`, {
      nextStep: 'Resume the ECT first, or ask the ECF Lead to defer them if the absence will be longer.',
    });
  }
  if (state.deferral) {
    return new DomainError('PARTICIPANT_DEFERRED', 'A deferred ECT cannot be paused: all their content is already held.', {
      nextStep: 'Record the ECT’s return from deferral first.',
    });
  }
  const limit = addWeeks(startDate, PAUSE_LIMIT_WEEKS);
  if (!isAfter(limit, expectedResumeDate)) {
    return new DomainError('PAUSE_TOO_LONG', `A pause is for an absence under ${PAUSE_LIMIT_WEEKS} weeks; this one would last until ${expectedResumeDate}.`, {
      rule: `Pause is for a short-term ECT absence of less than ${PAUSE_LIMIT_WEEKS} weeks (seed 004, Pause).`,
      nextStep: 'For a longer absence the ECF Lead defers the ECT (POST /ects/:id/deferral).',
      fields: [{ field: 'expectedResumeDate', code: 'PAUSE_TOO_LONG', message: `Must be before ${limit}.` }],
    });
  }
  return [{ type: 'ECTPaused', data: { participantId, startDate, expectedResumeDate, reason: reason.trim() } }];
}

/**
 * ResumeECT: the ECT continues from the last module they accessed before the pause; modules planned
 * during the pause are released at resume with no catch-up required (seed 004, Pause).
 */
export function resumeECT(command: ResumeECT, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, resumeDate } = command.data;
  const invalid = new FieldChecks().calendarDate(resumeDate, 'resumeDate').result();
  const rejection = requireType(state, 'ect', 'Resuming') ?? invalid ?? rejectIfWithdrawn(state);
  if (rejection) return rejection;
  if (!state.pause) {
    return new DomainError('NOT_PAUSED', 'The ECT is not paused.', { rule: 'Only a paused ECT is resumed.' });
  }
  if (isAfter(state.pause.startDate, resumeDate)) {
    return new DomainError('INVALID_INPUT', 'The resume date is before the pause started.', {
      fields: [{ field: 'resumeDate', code: 'DATE_ORDER', message: `resumeDate must be on or after ${state.pause.startDate}.` }],
    });
  }
  return [
    {
      type: 'ECTResumed',
      data: { participantId, pausedFrom: state.pause.startDate, resumeDate, resumeFromModule: lastModuleAccessedBefore(state.moduleAccesses, state.pause.startDate) },
    },
  ];
}

/** The module with the latest access on a London calendar day before the pause started. */
export function lastModuleAccessedBefore(accesses: ParticipantState['moduleAccesses'], startDate: string): string | null {
  const before = accesses.filter((access) => londonDateOf(access.accessedAt) < startDate);
  const latest = before.reduce<(typeof before)[number] | null>((found, access) => (!found || access.accessedAt > found.accessedAt ? access : found), null);
  return latest?.moduleCode ?? null;
}
