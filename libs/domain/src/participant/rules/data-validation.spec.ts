import { RecordDataValidation } from '../participant.commands';
import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import {
  ctx,
  dataValidationFailed,
  ECT_ID,
  dataValidationPassed,
  ectRegistered,
  fieldCodes,
  inductionTutorRegistered,
  MENTOR_ID,
  mentorRegistered,
  recordValidation,
  TUTOR_ID,
} from '../../testing/fixtures';

const participant = deciderSpecification(participantDecider, ctx);
const MISMATCH = 'TRN and date of birth do not match the teacher record';

describe('DfE data validation (RecordDataValidation)', () => {
  describe('Rule: DfE validates a registered participant’s data', () => {
    it('records a validated outcome', () =>
      participant.given([ectRegistered()]).when(recordValidation('validated')).then([dataValidationPassed()]));

    it('validates mentors and induction tutors too', () => {
      participant.given([mentorRegistered()]).when(recordValidation('validated', [], MENTOR_ID)).then([dataValidationPassed(MENTOR_ID)]);
      participant
        .given([inductionTutorRegistered()])
        .when(recordValidation('validated', [], TUTOR_ID))
        .then([dataValidationPassed(TUTOR_ID)]);
    });

    it('makes a validated participant active', () => {
      const state = [ectRegistered(), dataValidationPassed()].reduce(participantDecider.evolve, participantDecider.initialState());
      expect(state).toMatchObject({ status: 'active', validation: { outcome: 'validated', reasons: [] } });
    });

    it('rejects an outcome other than validated or failed', () =>
      participant
        .given([ectRegistered()])
        .when({ type: 'RecordDataValidation', data: { participantId: ECT_ID, outcome: 'maybe', reasons: [] } } as unknown as RecordDataValidation)
        .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['outcome', 'INVALID_OUTCOME']])));
  });

  describe('Rule: each failure reason carries a code a report can count (DataValidationFailed v2)', () => {
    const failed = (reasons: { code: string; text: string }[]) => [{ type: 'DataValidationFailed', data: { participantId: ECT_ID, reasons } }] as never;

    it('classifies a reason sent without a code', () =>
      participant
        .given([ectRegistered()])
        .when(recordValidation('failed', [MISMATCH, 'TRN not found', 'Surname differs from the name on the record', 'Not eligible for funding', 'Something else']))
        .then(
          failed([
            { code: 'trn-date-of-birth-mismatch', text: MISMATCH },
            { code: 'trn-not-found', text: 'TRN not found' },
            { code: 'name-mismatch', text: 'Surname differs from the name on the record' },
            { code: 'not-eligible', text: 'Not eligible for funding' },
            { code: 'other', text: 'Something else' },
          ]),
        ));

    it('keeps the codes the caller gave, one per reason', () =>
      participant
        .given([ectRegistered()])
        .when({ type: 'RecordDataValidation', data: { participantId: ECT_ID, outcome: 'failed', reasons: ['Record under review'], reasonCodes: ['not-eligible'] } })
        .then(failed([{ code: 'not-eligible', text: 'Record under review' }])));

    it('rejects codes that do not pair with the reasons, or are unknown', () => {
      participant
        .given([ectRegistered()])
        .when({ type: 'RecordDataValidation', data: { participantId: ECT_ID, outcome: 'failed', reasons: ['a', 'b'], reasonCodes: ['other'] } })
        .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['reasonCodes', 'INVALID_REASON_CODES']]));
      participant
        .given([ectRegistered()])
        .when({ type: 'RecordDataValidation', data: { participantId: ECT_ID, outcome: 'failed', reasons: ['a'], reasonCodes: ['bored'] } } as unknown as RecordDataValidation)
        .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['reasonCodes', 'INVALID_REASON_CODES']]));
    });
  });

  describe('Rule: a failed validation gives its reasons', () => {
    it('records a failed outcome with its reasons', () =>
      participant.given([ectRegistered()]).when(recordValidation('failed', [MISMATCH])).then([dataValidationFailed([MISMATCH])]));

    it('records reasons without surrounding whitespace', () =>
      participant.given([ectRegistered()]).when(recordValidation('failed', [`  ${MISMATCH} `])).then([dataValidationFailed([MISMATCH])]));

    it('rejects a failed outcome without reasons', () =>
      participant
        .given([ectRegistered()])
        .when(recordValidation('failed', []))
        .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['reasons', 'REQUIRED']])));

    it('rejects a failed outcome whose reasons are missing altogether, without throwing', () =>
      participant
        .given([ectRegistered()])
        .when({ type: 'RecordDataValidation', data: { participantId: ECT_ID, outcome: 'failed' } } as unknown as RecordDataValidation)
        .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['reasons', 'INVALID_REASONS']])));

    it('rejects blank reasons and reasons longer than 200 characters', () => {
      participant
        .given([ectRegistered()])
        .when(recordValidation('failed', ['  ']))
        .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['reasons', 'INVALID_REASONS']]));
      participant
        .given([ectRegistered()])
        .when(recordValidation('failed', ['x'.repeat(201)]))
        .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['reasons', 'INVALID_REASONS']]));
    });

    it('leaves a failed participant awaiting validation, with the reasons', () => {
      const state = [ectRegistered(), dataValidationFailed([MISMATCH])].reduce(participantDecider.evolve, participantDecider.initialState());
      expect(state).toMatchObject({ status: 'awaiting-validation', validation: { outcome: 'failed', reasons: [MISMATCH] } });
    });

    it('records a later failure with its new reasons', () =>
      participant
        .given([ectRegistered(), dataValidationFailed([MISMATCH])])
        .when(recordValidation('failed', ['Date of birth does not match']))
        .then([dataValidationFailed(['Date of birth does not match'])]));
  });

  describe('Rule: a validated participant stays validated', () => {
    it('changes nothing when DfE validates a validated participant again', () =>
      participant.given([ectRegistered(), dataValidationPassed()]).when(recordValidation('validated')).thenNothingHappens());

    it('rejects a failed outcome after the participant was validated', () =>
      participant
        .given([ectRegistered(), dataValidationPassed()])
        .when(recordValidation('failed', [MISMATCH]))
        .thenRejects('DATA_ALREADY_VALIDATED'));

    it('validates a participant whose earlier validation failed (after the data was corrected)', () =>
      participant
        .given([ectRegistered(), dataValidationFailed([MISMATCH])])
        .when(recordValidation('validated'))
        .then([dataValidationPassed()]));

    it('clears the failure reasons once validated', () => {
      const state = [ectRegistered(), dataValidationFailed([MISMATCH]), dataValidationPassed()].reduce(
        participantDecider.evolve,
        participantDecider.initialState(),
      );
      expect(state.validation).toEqual({ outcome: 'validated', reasons: [], reasonCodes: [] });
    });
  });

  describe('Rule: only a registered participant is validated', () => {
    it('rejects a validation outcome for an unregistered participant', () =>
      participant.given([]).when(recordValidation('validated')).thenRejects('PARTICIPANT_NOT_FOUND'));
  });
});
