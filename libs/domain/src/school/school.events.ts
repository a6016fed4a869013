import { Message } from '../shared/message';

export type SchoolPartnershipRegistered = Message<
  'SchoolPartnershipRegistered',
  { urn: string; name: string; region: string; deliveryPartnerId: string; cohort: number }
>;

export type SchoolEvent = SchoolPartnershipRegistered;
export const SCHOOL_EVENT_TYPES: readonly SchoolEvent['type'][] = ['SchoolPartnershipRegistered'];
