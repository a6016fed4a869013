import { CommandEnvelope, handleTrnClaim } from '@ecf/command-handling';
import { DecisionContext, DomainError, participantStreamId, trnRegistryDecider, trnStreamId } from '@ecf/domain';
import { aggregateStream, EventStore } from '@ecf/event-store';

/** Reserves a TRN for a participant before the participant's stream is written (see trn-registry.ts). */
export class TrnClaims {
  constructor(
    private readonly store: EventStore,
    private readonly context: () => DecisionContext,
  ) {}

  async claim(trn: string, participantId: string, envelope: CommandEnvelope): Promise<void> {
    const { expectedRevision: _callerRevisionIsForTheParticipant, ...claimEnvelope } = envelope;
    await handleTrnClaim(
      this.store,
      trn,
      async (state) => ({ type: 'ClaimTrn', data: { trn, participantId, ...(await this.holderFacts(trn, state.holder)) } }),
      claimEnvelope,
      this.context,
    );
  }

  /** The dry-run check: would this TRN be refused? */
  async assertAvailable(trn: string, participantId: string): Promise<void> {
    const { state } = await aggregateStream(this.store, trnRegistryDecider, trnStreamId(trn));
    if (state.holder === null || state.holder === participantId) return;
    const decision = trnRegistryDecider.decide(
      { type: 'ClaimTrn', data: { trn, participantId, ...(await this.holderFacts(trn, state.holder)) } },
      state,
      this.context(),
    );
    if (decision instanceof DomainError) throw decision;
  }

  /**
   * Whether the holder is registered with this TRN, and when their claim was recorded if their
   * registration has not landed yet (a claim from another process may be in flight). A holder
   * registered with another TRN is no registration in flight: the claim was left by a replayed request.
   */
  private async holderFacts(trn: string, holder: string | null): Promise<{ holderHoldsTrn: boolean; holderClaimedAt: string | null }> {
    if (holder === null) return { holderHoldsTrn: false, holderClaimedAt: null };
    const [registration] = await this.store.readStream(participantStreamId(holder), { maxCount: 1 });
    if (registration !== undefined) return { holderHoldsTrn: registration.data.trn === trn, holderClaimedAt: null };
    const claims = await this.store.readStream(trnStreamId(trn));
    return { holderHoldsTrn: false, holderClaimedAt: claims.at(-1)?.recordedAt ?? null };
  }
}
