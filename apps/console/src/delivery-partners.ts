import type { Option } from './forms.js';
import type { Session } from './session.js';

export interface DeliveryPartner {
  readonly id: string;
  readonly name: string;
  readonly regions: readonly string[];
}

const loaded = new WeakMap<Session, Promise<readonly DeliveryPartner[]>>();

/** The programme's delivery partners (GET /delivery-partners), read once per sign-in; none for a role that may not read them. */
export function deliveryPartners(session: Session): Promise<readonly DeliveryPartner[]> {
  if (!session.may('ReadProgramme')) return Promise.resolve([]);
  let partners = loaded.get(session);
  if (!partners) {
    partners = session.api.get<{ items: DeliveryPartner[] }>('/delivery-partners').then((list) => list.items);
    // A failed read is tried again on the next page rather than remembered.
    partners.catch(() => loaded.delete(session));
    loaded.set(session, partners);
  }
  return partners;
}

/** Choices for a delivery-partner filter: the name people know, with the id the API and exports use. */
export const partnerOptions = (partners: readonly DeliveryPartner[]): Option[] => partners.map((partner) => ({ value: partner.id, label: `${partner.name} (${partner.id})` }));

/** A partner's name for a table cell, falling back to the id for one the programme data no longer lists. */
export const partnerName = (partners: readonly DeliveryPartner[], id: string | null): string => (id ? (partners.find((partner) => partner.id === id)?.name ?? id) : '—');
