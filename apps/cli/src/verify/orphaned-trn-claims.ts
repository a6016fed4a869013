import { participantStreamId } from '@ecf/domain';
import type { EventStore } from '@ecf/event-store';

export interface OrphanedTrnClaim {
  readonly trn: string;
  readonly participantId: string;
  readonly streamId: string;
  readonly position: number;
  /** Why the claim holds nothing: no registration landed, or the holder is registered with another TRN. */
  readonly reason: 'holder-not-registered' | 'holder-has-another-trn';
}

const PAGE = 5_000;

/**
 * TRN claims (`trn-<TRN>` streams) whose holder does not hold that TRN: a registration that never
 * landed, or a claim written for a request that turned out to replay another registration (an
 * Idempotency-Key reused for another body, before keys were bound to their request). Such a claim no
 * longer blocks a registration of the TRN; `ecf verify` lists them so an operator knows they exist.
 */
export async function findOrphanedTrnClaims(store: EventStore): Promise<OrphanedTrnClaim[]> {
  const holders = new Map<string, { participantId: string; streamId: string; position: number }>();
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, maxCount: PAGE });
    for (const event of page) {
      if (event.type === 'TrnClaimed') holders.set(String(event.data.trn), { participantId: String(event.data.participantId), streamId: event.streamId, position: event.position });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].position;
  }
  const orphaned: OrphanedTrnClaim[] = [];
  for (const [trn, holder] of holders) {
    const [registration] = await store.readStream(participantStreamId(holder.participantId), { maxCount: 1 });
    if (registration?.data.trn === trn) continue;
    orphaned.push({ trn, ...holder, reason: registration === undefined ? 'holder-not-registered' : 'holder-has-another-trn' });
  }
  return orphaned;
}
