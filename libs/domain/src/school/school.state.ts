import { SchoolEvent } from './school.events';

export interface SchoolState {
  readonly exists: boolean;
  readonly urn: string | null;
  readonly name: string | null;
  readonly region: string | null;
  /** Delivery partner id per cohort year. */
  readonly partnerships: Readonly<Record<number, string>>;
}

export const initialSchoolState = (): SchoolState => ({
  exists: false,
  urn: null,
  name: null,
  region: null,
  partnerships: {},
});

export function evolveSchool(state: SchoolState, event: SchoolEvent): SchoolState {
  switch (event.type) {
    case 'SchoolPartnershipRegistered': {
      const { urn, name, region, deliveryPartnerId, cohort } = event.data;
      return { exists: true, urn, name, region, partnerships: { ...state.partnerships, [cohort]: deliveryPartnerId } };
    }
  }
}

export const schoolStreamId = (urn: string): string => `school-${urn}`;
