import { participantDecider } from '../participant.decider';
import { ErasePersonalData } from '../participant.commands';
import { PersonalDataErased } from '../participant.events';
import { deciderSpecification } from '../../testing/decider-specification';
import { ctx, dataValidationPassed, ECT_ID, ectRegistered, fieldCodes, TODAY } from '../../testing/fixtures';
import { participantWithdrawn } from '../../testing/lifecycle-fixtures';

const participant = deciderSpecification(participantDecider, ctx);
const erase = (reason = 'Erasure request ER-1'): ErasePersonalData => ({ type: 'ErasePersonalData', data: { participantId: ECT_ID, reason } });
const erased: PersonalDataErased = { type: 'PersonalDataErased', data: { participantId: ECT_ID, erasedOn: TODAY, reason: 'Erasure request ER-1' } };

describe('Erasure of personal data (UK GDPR)', () => {
  it('Rule: erasing records the day and the reason; the rest of the history stays', () => {
    participant.given([ectRegistered(), dataValidationPassed(), participantWithdrawn()]).when(erase()).then([erased]);
    const state = [ectRegistered(), dataValidationPassed(), participantWithdrawn(), erased].reduce(participantDecider.evolve, participantDecider.initialState());
    expect(state).toMatchObject({ personal: null, personalDataErasedOn: TODAY, status: 'withdrawn', trn: ectRegistered().data.trn });
  });

  it('erasing twice changes nothing', () => participant.given([ectRegistered(), erased]).when(erase()).thenNothingHappens());

  it('needs a reason', () =>
    participant.given([ectRegistered()]).when(erase(' ')).thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([['reason', 'REQUIRED']])));

  it('replays a registration read after the key was destroyed (personal: null)', () => {
    const registeredUnreadable = ectRegistered({ personal: null });
    const state = [registeredUnreadable, dataValidationPassed()].reduce(participantDecider.evolve, participantDecider.initialState());
    expect(state).toMatchObject({ registered: true, personal: null, status: 'active' });
  });
});
