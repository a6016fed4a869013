import { Decision } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { FieldChecks } from '../../shared/field-checks';
import { AmendReleaseSchedule } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';
import { rejectIfWithdrawn } from './lifecycle-guards';

/**
 * AmendReleaseSchedule (seed 004, Other): an ECF Lead who agreed it with their DPL (in their weekly
 * KIT), or a DPL, moves the date content starts — e.g. before the default January for a registration
 * after 1 November.
 */
export function amendReleaseSchedule(command: AmendReleaseSchedule, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, contentStartDate, reason, byDpl } = command.data;
  const agreedWithDpl = command.data.agreedWithDpl?.trim() || null;
  const invalid = new FieldChecks()
    .calendarDate(contentStartDate, 'contentStartDate')
    .text(reason, 'reason')
    .optionalText(command.data.agreedWithDpl, 'agreedWithDpl', 200)
    .result();
  const rejection = invalid ?? rejectIfWithdrawn(state);
  if (rejection) return rejection;
  if (state.type === 'induction-tutor') {
    return new DomainError('NOT_AN_ECT', 'Induction tutors have no release schedule.', { rule: 'Release schedules belong to ECTs and mentors.' });
  }
  if (!byDpl && agreedWithDpl === null) {
    return new DomainError('DPL_AGREEMENT_REQUIRED', 'An ECF Lead amends a release schedule after agreeing it with their DPL.', {
      rule: 'Changes to the usual schedule of delivery are agreed with the DPL (seed 004, Other).',
      nextStep: 'Discuss it with your DPL and name them in agreedWithDpl.',
      fields: [{ field: 'agreedWithDpl', code: 'REQUIRED', message: 'Name the DPL who agreed the change.' }],
    });
  }
  if (state.contentStartDate === contentStartDate) return [];
  return [
    {
      type: 'ReleaseScheduleAmended',
      data: { participantId, previousContentStartDate: state.contentStartDate, contentStartDate, reason: reason.trim(), agreedWithDpl },
    },
  ];
}
