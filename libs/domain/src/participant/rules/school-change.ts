import { Decision, DecisionContext, isRegionCovered } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { FieldChecks } from '../../shared/field-checks';
import { isUrn } from '../../shared/identifiers';
import { ChangeSchool } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';
import { rejectIfBeforeRegistration, rejectIfWithdrawn } from './lifecycle-guards';

/**
 * ChangeSchool (seed 004, Other): the programme continues at the new school. A move into a region the
 * lead provider does not cover means no output payments from the move date. An ECT's mentor stays
 * at the old school, so their match ends with the move.
 */
export function changeSchool(command: ChangeSchool, state: ParticipantState, ctx: DecisionContext): Decision<ParticipantEvent> {
  const { participantId, newSchoolUrn, effectiveDate, newSchool } = command.data;
  const region = newSchool?.region ?? command.data.newSchoolRegion ?? null;
  const checks = new FieldChecks()
    .check(isUrn(newSchoolUrn), 'newSchoolUrn', 'INVALID_URN', 'newSchoolUrn must be exactly 6 digits.')
    .calendarDate(effectiveDate, 'effectiveDate')
    .notInFuture(effectiveDate, 'effectiveDate', ctx.today);
  if (!newSchool) {
    checks.check(region !== null, 'newSchoolRegion', 'REQUIRED', 'The new school has no partnership with us: give its region (newSchoolRegion).');
    if (region !== null) checks.oneOf(region, ctx.programme.regions, 'newSchoolRegion');
  }
  const rejection = checks.result() ?? rejectIfWithdrawn(state) ?? rejectIfBeforeRegistration(state, effectiveDate, 'effectiveDate');
  if (rejection) return rejection;
  if (newSchoolUrn === state.schoolUrn) {
    return new DomainError('SAME_SCHOOL', `The participant is already at school ${newSchoolUrn}.`, {
      fields: [{ field: 'newSchoolUrn', code: 'SAME_SCHOOL', message: 'Already the participant’s school.' }],
    });
  }
  const toRegion = region as string;
  return [
    {
      type: 'SchoolChanged',
      data: {
        participantId,
        fromSchoolUrn: state.schoolUrn ?? '',
        toSchoolUrn: newSchoolUrn,
        effectiveDate,
        toRegion,
        regionCovered: isRegionCovered(ctx.programme, toRegion),
        endedMentorMatch: state.type === 'ect' ? (state.mentor?.id ?? null) : null,
      },
    },
  ];
}
