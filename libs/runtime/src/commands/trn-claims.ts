import { DecisionContext, DomainError, participantStreamId, trnRegistryDecider, trnStreamId } from '@ecf/domain';
import { aggregateStream, CommandEnvelope, EventStore, handleCommand } from '@ecf/event-store';

/** Reserves a TRN for a participant before the participant's stream is written (see trn-registry.ts). */
export class TrnClaims {
  constructor(
    private readonly store: EventStore,
    private readonly context: () => DecisionContext,
  ) {}

  async claim(trn: string, participantId: string, envelope: CommandEnvelope): Promise<void> {
    const { expectedRevision: _callerRevisionIsForTheParticipant, ...claimEnvelope } = envelope;
    await handleCommand(
      this.store,
      trnRegistryDecider,
      trnStreamId(trn),
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

  /** Whether the holder is registered with this TRN, and when their claim was recorded (a claim from another process may be in flight). */
  private async holderFacts(trn: string, holder: string | null): Promise<{ holderHoldsTrn: boolean; holderClaimedAt: string | null }> {
    if (holder === null) return { holderHoldsTrn: false, holderClaimedAt: null };
    const claims = await this.store.readStream(trnStreamId(trn));
    return { holderHoldsTrn: await this.holdsTrn(holder, trn), holderClaimedAt: claims.at(-1)?.recordedAt ?? null };
  }

  /** Whether the participant's registration (the first event of their stream) carries this TRN. */
  private async holdsTrn(participantId: string, trn: string): Promise<boolean> {
    const [registration] = await this.store.readStream(participantStreamId(participantId), { maxCount: 1 });
    return registration !== undefined && registration.data.trn === trn;
  }
}
