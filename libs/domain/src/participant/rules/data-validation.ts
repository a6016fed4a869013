import { Decision } from '../../shared/decider';
import { DomainError } from '../../shared/domain-error';
import { VALIDATION_FAILURE_CODES, ValidationFailureCode } from '../../shared/reference-data';
import { FieldChecks } from '../../shared/field-checks';
import { RecordDataValidation } from '../participant.commands';
import { ParticipantEvent } from '../participant.events';
import { ParticipantState } from '../participant.state';

const REASON_MAX_LENGTH = 200;

/**
 * The code a free-text reason most likely stands for. Used for reasons sent without codes and to
 * upcast DataValidationFailed v1, whose reasons were text only.
 */
export function classifyValidationFailure(text: string): ValidationFailureCode {
  const mentionsTrn = /\btrn\b|teacher reference/i.test(text);
  if (mentionsTrn && /date of birth|\bdob\b|birth ?date/i.test(text)) return 'trn-date-of-birth-mismatch';
  if (mentionsTrn && /not found|no record|unknown|does not exist/i.test(text)) return 'trn-not-found';
  if (/\bname\b/i.test(text)) return 'name-mismatch';
  if (/eligib/i.test(text)) return 'not-eligible';
  return 'other';
}

/** RecordDataValidation: DfE's check of TRN and date of birth against the teacher record. */
export function recordDataValidation(command: RecordDataValidation, state: ParticipantState): Decision<ParticipantEvent> {
  const { participantId, outcome, reasons } = command.data;
  const codes = command.data.reasonCodes ?? null;
  const invalid = new FieldChecks()
    .check(outcome === 'validated' || outcome === 'failed', 'outcome', 'INVALID_OUTCOME', 'outcome must be validated or failed.')
    .check(
      Array.isArray(reasons) && reasons.every((reason) => typeof reason === 'string' && reason.trim().length > 0 && reason.length <= REASON_MAX_LENGTH),
      'reasons',
      'INVALID_REASONS',
      'reasons must be a list of short texts.',
    )
    .check(outcome !== 'failed' || !Array.isArray(reasons) || reasons.length > 0, 'reasons', 'REQUIRED', 'A failed validation needs at least one reason (e.g. TRN and date of birth do not match).')
    .check(
      codes === null || (Array.isArray(codes) && Array.isArray(reasons) && codes.length === reasons.length && codes.every((code) => VALIDATION_FAILURE_CODES.includes(code))),
      'reasonCodes',
      'INVALID_REASON_CODES',
      `reasonCodes must give one of ${VALIDATION_FAILURE_CODES.join(', ')} for each reason, in order.`,
    )
    .result();
  if (invalid) return invalid;

  if (state.validation.outcome === 'validated') {
    if (outcome === 'validated') return [];
    return new DomainError('DATA_ALREADY_VALIDATED', 'DfE has already validated this participant’s data.', {
      rule: 'A validated participant stays validated.',
    });
  }
  if (outcome === 'validated') return [{ type: 'DataValidationPassed', data: { participantId } }];
  const failures = reasons.map((reason, index) => {
    const text = reason.trim();
    return { code: codes?.[index] ?? classifyValidationFailure(text), text };
  });
  return [{ type: 'DataValidationFailed', data: { participantId, reasons: failures } }];
}
