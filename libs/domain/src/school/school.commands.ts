import { Message } from '../shared/message';

export type RegisterSchoolPartnership = Message<
  'RegisterSchoolPartnership',
  { urn: string; name: string; region: string; deliveryPartnerId: string; cohort: number }
>;

export type SchoolCommand = RegisterSchoolPartnership;
