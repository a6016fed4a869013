import type { SchoolState } from '@ecf/domain';
import type { Principal } from '@ecf/runtime';

/**
 * Whether a caller may see a school (and so its participants). For ECF Leads the school must partner
 * with their delivery partner — for the participant's cohort when one is given, otherwise for any cohort.
 */
export function canSeeSchool(principal: Principal, school: Pick<SchoolState, 'urn' | 'partnerships'>, cohort?: number | null): boolean {
  switch (principal.role) {
    case 'induction-tutor':
      return school.urn !== null && principal.schoolUrns.includes(school.urn);
    case 'ecf-lead': {
      const partners = cohort === undefined || cohort === null ? Object.values(school.partnerships) : [school.partnerships[cohort]];
      return principal.deliveryPartnerId !== null && partners.includes(principal.deliveryPartnerId);
    }
    case 'dpl':
    case 'system':
    case 'auditor':
    case 'reporting':
      return true;
    case 'admin':
      return false;
  }
}
