import { deciderSpecification } from '../testing/decider-specification';
import { claimTrn, ctx, ECT_ID, ECT_TRN, fieldCodes, MENTOR_ID, trnClaimed } from '../testing/fixtures';
import { trnRegistryDecider, trnStreamId } from './trn-registry';

const trnRegistry = deciderSpecification(trnRegistryDecider, ctx);

describe('TRN registry (ClaimTrn)', () => {
  describe('Rule: a TRN is registered once only', () => {
    it('claims an unclaimed TRN for the registering participant', () =>
      trnRegistry.given([]).when(claimTrn()).then([trnClaimed(ECT_ID)]));

    it('changes nothing when the same participant claims the TRN again (a retried registration)', () =>
      trnRegistry.given([trnClaimed(ECT_ID)]).when(claimTrn({ participantId: ECT_ID })).thenNothingHappens());

    it('rejects a claim by another participant, naming the participant who holds the TRN', () =>
      trnRegistry
        .given([trnClaimed(ECT_ID)])
        .when(claimTrn({ participantId: MENTOR_ID, holderHoldsTrn: true }))
        .thenRejects('TRN_ALREADY_REGISTERED', (error) => {
          expect(error.details.context?.participantId).toBe(ECT_ID);
          expect(error.message).toContain(ECT_ID);
          expect(fieldCodes(error)).toEqual([['trn', 'ALREADY_REGISTERED']]);
        }));

    it('keeps one stream per TRN, so concurrent claims race on the stream’s first event', () =>
      expect(trnStreamId(ECT_TRN)).toBe('trn-1234567'));
  });

  describe('Rule: a claim whose registration never landed is orphaned and can be taken over', () => {
    it('lets another participant take over a claim whose holder was never registered', () =>
      trnRegistry
        .given([trnClaimed(ECT_ID)])
        .when(claimTrn({ participantId: MENTOR_ID, holderHoldsTrn: false }))
        .then([trnClaimed(MENTOR_ID)]));

    it('lets another participant take over a claim whose holder is registered with another TRN (the claim of a replayed request)', () =>
      trnRegistry
        .given([trnClaimed(ECT_ID)])
        .when(claimTrn({ participantId: MENTOR_ID, holderHoldsTrn: false, holderClaimedAt: '2025-09-01T09:00:00.000Z' }))
        .then([trnClaimed(MENTOR_ID)]));

    it('does not take over a claim still in flight (recorded under a minute ago), even before its participant is written', () =>
      trnRegistry
        .given([trnClaimed(ECT_ID)])
        .when(claimTrn({ participantId: MENTOR_ID, holderHoldsTrn: false, holderClaimedAt: '2025-10-01T08:59:30.000Z' }))
        .thenRejects('TRN_ALREADY_REGISTERED', (error) => expect(error.details.context).toEqual({ participantId: ECT_ID })));

    it('makes the new participant the holder once they have taken over', () => {
      const state = [trnClaimed(ECT_ID), trnClaimed(MENTOR_ID)].reduce(trnRegistryDecider.evolve, trnRegistryDecider.initialState());
      expect(state).toEqual({ holder: MENTOR_ID });
    });

    it('rejects the original participant once the TRN has been taken over by a registered participant', () =>
      trnRegistry
        .given([trnClaimed(ECT_ID), trnClaimed(MENTOR_ID)])
        .when(claimTrn({ participantId: ECT_ID, holderHoldsTrn: true }))
        .thenRejects('TRN_ALREADY_REGISTERED', (error) => expect(error.details.context).toEqual({ participantId: MENTOR_ID })));
  });
});
