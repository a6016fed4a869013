import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import { ctx, ECT_ID, ectRegistered, dataValidationPassed, MENTOR_ID, OTHER_ECT_ID } from '../../testing/fixtures';
import { activeECT, activeMentor, deferECT, deferMentor, participantDeferred, participantWithdrawn, pauseECT } from '../../testing/lifecycle-fixtures';

const participant = deciderSpecification(participantDecider, ctx);

describe('Defer (DeferECT, DeferMentor, UpdateDeferralReturnDate, ReturnFromDeferral — seed 004)', () => {
  describe('Rule: a deferral needs a deferral date, a DfE reason and an expected return date', () => {
    it('defers an ECT', () => participant.given(activeECT).when(deferECT()).then([participantDeferred()]));

    it('defers a mentor', () =>
      participant
        .given(activeMentor)
        .when(deferMentor())
        .then([participantDeferred({ participantId: MENTOR_ID, participantType: 'mentor' })]));

    it('rejects an unknown reason and a return before the deferral, with field errors', () =>
      participant
        .given(activeECT)
        .when(deferECT({ reason: 'holiday' as never, expectedReturnDate: '2025-09-01' }))
        .thenRejects('INVALID_INPUT', (error) => expect(error.details.fields?.map((field) => field.field).sort()).toEqual(['expectedReturnDate', 'reason'])));

    it('rejects DeferECT for a mentor and DeferMentor for an ECT', () => {
      participant.given(activeMentor).when(deferECT({ participantId: MENTOR_ID })).thenRejects('NOT_AN_ECT');
      participant.given(activeECT).when(deferMentor({ participantId: ECT_ID })).thenRejects('NOT_A_MENTOR');
    });

    it('rejects deferring a deferred or withdrawn participant', () => {
      participant.given([...activeECT, participantDeferred()]).when(deferECT()).thenRejects('ALREADY_DEFERRED');
      participant.given([...activeECT, participantWithdrawn()]).when(deferECT()).thenRejects('PARTICIPANT_WITHDRAWN');
    });

    it('turns a pause into a deferral when the absence proves longer', () => {
      const paused = participantDecider.decide(pauseECT(), activeECT.reduce(participantDecider.evolve, participantDecider.initialState()), ctx);
      participant.given([...activeECT, ...(paused as never[])]).when(deferECT()).then([participantDeferred()]);
    });
  });

  describe('Rule: the expected return is no later than 12 months after the deferral unless a DPL approves an exception', () => {
    it('accepts a return exactly 12 months later', () =>
      participant.given(activeECT).when(deferECT({ expectedReturnDate: '2026-10-01' })).then([participantDeferred({ expectedReturnDate: '2026-10-01' })]));

    it('rejects a return more than 12 months later without an exception reason', () =>
      participant
        .given(activeECT)
        .when(deferECT({ expectedReturnDate: '2026-10-02' }))
        .thenRejects('RETURN_DATE_TOO_LATE', (error) => expect(error.details.nextStep).toMatch(/DPL/)));

    it('rejects an exception reason given by an ECF Lead', () =>
      participant.given(activeECT).when(deferECT({ expectedReturnDate: '2027-01-01', exceptionReason: 'Extended treatment' })).thenRejects('EXCEPTION_NEEDS_DPL'));

    it('accepts an exception reason from a DPL', () =>
      participant
        .given(activeECT)
        .when(deferECT({ expectedReturnDate: '2027-01-01', exceptionReason: 'Extended treatment', byDpl: true }))
        .then([participantDeferred({ expectedReturnDate: '2027-01-01', exceptionReason: 'Extended treatment' })]));

    it('applies the same limit when the return date is updated', () =>
      participant
        .given([...activeECT, participantDeferred()])
        .when({ type: 'UpdateDeferralReturnDate', data: { participantId: ECT_ID, expectedReturnDate: '2026-12-01', byDpl: false } })
        .thenRejects('RETURN_DATE_TOO_LATE'));
  });

  describe('Rule: an ECT registered too early is deferred from registration; all content waits for the restart date', () => {
    const registeredEarly = [ectRegistered({ contentStartDate: '2025-11-01' }), dataValidationPassed()];
    it('marks a deferral on or before the content start date as from registration', () =>
      participant.given(registeredEarly).when(deferECT({ expectedReturnDate: '2026-01-05' })).then([participantDeferred({ expectedReturnDate: '2026-01-05', fromRegistration: true })]));

    it('starts the content on the return date', () =>
      participant
        .given([...registeredEarly, participantDeferred({ fromRegistration: true, expectedReturnDate: '2026-01-05' })])
        .when({ type: 'ReturnFromDeferral', data: { participantId: ECT_ID, returnDate: '2026-01-05' } })
        .then([{ type: 'ReturnedFromDeferral', data: { participantId: ECT_ID, deferralDate: '2025-10-01', returnDate: '2026-01-05', contentStartDate: '2026-01-05', cascadedFromEctId: null } }]));
  });

  describe('Rule: return date changes and returns', () => {
    it('updates the expected return date', () =>
      participant
        .given([...activeECT, participantDeferred()])
        .when({ type: 'UpdateDeferralReturnDate', data: { participantId: ECT_ID, expectedReturnDate: '2026-04-20', byDpl: false } })
        .then([{ type: 'DeferralReturnDateUpdated', data: { participantId: ECT_ID, previousExpectedReturnDate: '2026-06-01', expectedReturnDate: '2026-04-20', exceptionReason: null, cascadedFromEctId: null } }]));

    it('does nothing when the date is unchanged', () =>
      participant
        .given([...activeECT, participantDeferred()])
        .when({ type: 'UpdateDeferralReturnDate', data: { participantId: ECT_ID, expectedReturnDate: '2026-06-01', byDpl: false } })
        .thenNothingHappens());

    it('rejects a return date change or a return for a participant who is not deferred', () => {
      participant.given(activeECT).when({ type: 'UpdateDeferralReturnDate', data: { participantId: ECT_ID, expectedReturnDate: '2026-04-20', byDpl: false } }).thenRejects('NOT_DEFERRED');
      participant.given(activeECT).when({ type: 'ReturnFromDeferral', data: { participantId: ECT_ID, returnDate: '2026-04-20' } }).thenRejects('NOT_DEFERRED');
    });

    it('a cascaded change leaves alone a mentor deferred for another reason', () =>
      participant
        .given([...activeMentor, participantDeferred({ participantId: MENTOR_ID, participantType: 'mentor', cascadedFromEctId: OTHER_ECT_ID })])
        .when({ type: 'ReturnFromDeferral', data: { participantId: MENTOR_ID, returnDate: '2026-04-20', cascadedFromEctId: ECT_ID } })
        .thenNothingHappens());
  });
});
