import { Decision, DecisionContext } from '../../shared/decider';
import { addHours } from '../../shared/calendar';
import { DomainError } from '../../shared/domain-error';
import { GrantSteplabAccess, SubmitSteplabAccessForm } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';
import { rejectIfWithdrawn } from './lifecycle-guards';

/** Seed 000 step 4: access to Steplab follows within 24 hours of the access form. */
export const STEPLAB_ACCESS_DEADLINE_HOURS = 24;

export function submitSteplabAccessForm(
  command: SubmitSteplabAccessForm,
  state: ParticipantState,
  ctx: DecisionContext,
): Decision<ParticipantEvent> {
  const withdrawn = rejectIfWithdrawn(state);
  if (withdrawn) return withdrawn;
  if (state.validation.outcome !== 'validated') {
    return new DomainError('DATA_NOT_VALIDATED', 'The Steplab access form opens once DfE has validated the participant’s data.', {
      rule: 'Participants complete the Steplab access form after DfE validation (seed 000, step 4).',
      nextStep: 'Wait for DfE to validate the participant’s TRN and date of birth.',
    });
  }
  if (state.steplab.status !== 'not-requested') {
    return new DomainError('STEPLAB_FORM_ALREADY_SUBMITTED', 'The Steplab access form has already been submitted.', {
      rule: 'One Steplab access form per participant, even for an induction tutor with several schools.',
    });
  }
  return [
    {
      type: 'SteplabAccessFormSubmitted',
      data: { participantId: command.data.participantId, submittedAt: ctx.now, accessDueBy: addHours(ctx.now, STEPLAB_ACCESS_DEADLINE_HOURS) },
    },
  ];
}

export function grantSteplabAccess(command: GrantSteplabAccess, state: ParticipantState, ctx: DecisionContext): Decision<ParticipantEvent> {
  if (state.steplab.status === 'active') return [];
  const withdrawn = rejectIfWithdrawn(state);
  if (withdrawn) return withdrawn;
  // A reinstated participant's access is restored by the back office without a new form (seed 004).
  if (state.steplab.status !== 'form-submitted' && state.steplab.status !== 'reinstatement-pending') {
    return new DomainError('STEPLAB_FORM_NOT_SUBMITTED', 'Steplab access is granted after the participant submits the access form.', {
      rule: 'Access follows the Steplab access form (seed 000, step 4).',
      nextStep: 'Ask the participant to complete the Steplab access form in MyECT.',
    });
  }
  return [{ type: 'SteplabAccessGranted', data: { participantId: command.data.participantId, grantedAt: ctx.now } }];
}
