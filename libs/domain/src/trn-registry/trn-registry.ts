import { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { Message } from '../shared/message';

/**
 * A TRN is registered once only. Each TRN has its own small stream whose first event claims it for a
 * participant; appending that claim with `no_stream` makes concurrent duplicates race on the store's
 * optimistic concurrency, so exactly one wins on every adapter (the reservation pattern).
 */
export type TrnClaimed = Message<'TrnClaimed', { trn: string; participantId: string }>;
export type TrnEvent = TrnClaimed;
export const TRN_EVENT_TYPES: readonly TrnEvent['type'][] = ['TrnClaimed'];

export type ClaimTrn = Message<
  'ClaimTrn',
  {
    trn: string;
    participantId: string;
    /**
     * Whether the current holder is registered with this TRN. A claim whose participant does not hold
     * the TRN is orphaned: its registration never landed, or the claim was written for a request that
     * turned out to replay another registration (a reused Idempotency-Key, before keys were bound to
     * their request).
     */
    holderHoldsTrn: boolean;
    /** When the current holder's claim was recorded: a claim younger than ORPHANED_CLAIM_AFTER_MS may still be completing. */
    holderClaimedAt: string | null;
  }
>;

/**
 * A registration writes its claim and then the participant's stream within moments. Only a claim
 * older than this with no participant behind it is orphaned (its registration failed); a younger one
 * is a registration in flight — in another API process, perhaps — and must not be taken over.
 */
export const ORPHANED_CLAIM_AFTER_MS = 60_000;

export interface TrnState {
  readonly holder: string | null;
}

export const trnStreamId = (trn: string): string => `trn-${trn}`;

export const trnRegistryDecider: Decider<TrnState, ClaimTrn, TrnEvent> = {
  initialState: () => ({ holder: null }),
  evolve: (_state, event) => ({ holder: event.data.participantId }),
  decide(command, state, ctx) {
    const { trn, participantId, holderHoldsTrn, holderClaimedAt } = command.data;
    if (state.holder === participantId) return [];
    const claimInFlight = holderClaimedAt !== null && Date.parse(ctx.now) - Date.parse(holderClaimedAt) < ORPHANED_CLAIM_AFTER_MS;
    if (state.holder !== null && (holderHoldsTrn || claimInFlight)) {
      return new DomainError('TRN_ALREADY_REGISTERED', `TRN ${trn} is already registered to participant ${state.holder}.`, {
        rule: 'A TRN is registered once only.',
        nextStep: `Use the existing participant ${state.holder}.`,
        context: { participantId: state.holder },
        fields: [{ field: 'trn', code: 'ALREADY_REGISTERED', message: `Already registered to participant ${state.holder}.` }],
      });
    }
    return [{ type: 'TrnClaimed', data: { trn, participantId } }];
  },
};
