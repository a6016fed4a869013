import { participantDecider } from '../participant/participant.decider';
import { ParticipantEvent } from '../participant/participant.events';
import { ctx, ECT_ID, ectRegistered, recordValidation } from '../testing/fixtures';
import { isRejection } from '../shared/decider';
import { currentSchemaVersion, upcastEventData } from './upcasters';

const TEXTS = ['TRN and date of birth do not match', 'Name differs from the teacher record'];

describe('Event versioning (schema version + upcaster)', () => {
  it('writes DataValidationFailed at v2 and every event type that has not evolved at v1', () => {
    expect(currentSchemaVersion('DataValidationFailed')).toBe(2);
    expect(currentSchemaVersion('ECTRegistered')).toBe(1);
  });

  it('upcasts a stored v1 DataValidationFailed to exactly what the decider writes now for the same reasons', () => {
    const registered = participantDecider.evolve(participantDecider.initialState(), ectRegistered());
    const decided = participantDecider.decide(recordValidation('failed', TEXTS), registered, ctx);
    if (isRejection(decided)) throw decided;
    const v1 = { participantId: ECT_ID, reasons: TEXTS };
    expect(upcastEventData('DataValidationFailed', 1, v1)).toEqual({ version: 2, data: decided[0].data });
  });

  it('replays an old v1 event to the same state as a new v2 one', () => {
    const fold = (events: ParticipantEvent[]) => events.reduce(participantDecider.evolve, participantDecider.initialState());
    const v1 = upcastEventData('DataValidationFailed', 1, { participantId: ECT_ID, reasons: TEXTS });
    const fromOld = fold([ectRegistered(), { type: 'DataValidationFailed', data: v1.data } as ParticipantEvent]);
    expect(fromOld.validation).toEqual({ outcome: 'failed', reasons: TEXTS, reasonCodes: ['trn-date-of-birth-mismatch', 'name-mismatch'] });
  });

  it('upcasts a stored v1 reversal request and reinstatement to what the decider writes now for a participant nothing cascaded to', () => {
    expect(upcastEventData('WithdrawalReversalRequested', 1, { participantId: ECT_ID, withdrawalDate: '2025-10-01', reason: 'In error' })).toEqual({
      version: 2,
      data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reason: 'In error', cascadedFromEctId: null },
    });
    expect(upcastEventData('ParticipantReinstated', 1, { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-02' })).toEqual({
      version: 2,
      data: { participantId: ECT_ID, withdrawalDate: '2025-10-01', reinstatedOn: '2025-10-02', includeCascadedMentor: false, cascadedFromEctId: null },
    });
  });

  it('leaves current events untouched', () => {
    const data = { participantId: ECT_ID, reasons: [{ code: 'other', text: 'x' }] };
    expect(upcastEventData('DataValidationFailed', 2, data)).toEqual({ version: 2, data });
    expect(upcastEventData('ECTResumed', 1, { a: 1 })).toEqual({ version: 1, data: { a: 1 } });
  });
});
