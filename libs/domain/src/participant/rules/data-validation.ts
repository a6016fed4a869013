import { Decision } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { FieldChecks } from '../../shared/field-checks';
import { RecordDataValidation } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';

const REASON_MAX_LENGTH = 200;

/** RecordDataValidation: DfE's check of TRN and date of birth against the teacher record. */
export function recordDataValidation(command: RecordDataValidation, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, outcome, reasons } = command.data;
  const invalid = new FieldChecks()
    .check(outcome === 'validated' || outcome === 'failed', 'outcome', 'INVALID_OUTCOME', 'outcome must be validated or failed.')
    .check(
      Array.isArray(reasons) && reasons.every((reason) => typeof reason === 'string' && reason.trim().length > 0 && reason.length <= REASON_MAX_LENGTH),
      'reasons',
      'INVALID_REASONS',
      'reasons must be a list of short texts.',
    )
    .check(outcome !== 'failed' || !Array.isArray(reasons) || reasons.length > 0, 'reasons', 'REQUIRED', 'A failed validation needs at least one reason (e.g. TRN and date of birth do not match).')
    .result();
  if (invalid) return invalid;

  if (state.validation.outcome === 'validated') {
    if (outcome === 'validated') return [];
    return new DomainError('DATA_ALREADY_VALIDATED', 'DfE has already validated this participant’s data.', {
      rule: 'A validated participant stays validated.',
    });
  }
  if (outcome === 'validated') return [{ type: 'DataValidationPassed', data: { participantId } }];
  return [{ type: 'DataValidationFailed', data: { participantId, reasons: reasons.map((reason) => reason.trim()) } }];
}
