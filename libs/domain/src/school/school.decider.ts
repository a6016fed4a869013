import { Decider, DecisionContext, Decision } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { FieldChecks } from '../shared/field-checks';
import { isName, isUrn } from '../shared/identifiers';
import { SchoolCommand, RegisterSchoolPartnership } from './school.commands';
import { SchoolEvent } from './school.events';
import { evolveSchool, initialSchoolState, SchoolState } from './school.state';

function registerPartnership(
  command: RegisterSchoolPartnership,
  state: SchoolState,
  ctx: DecisionContext,
): Decision<SchoolEvent> {
  const { urn, name, region, deliveryPartnerId, cohort } = command.data;
  const invalid = new FieldChecks()
    .check(isUrn(urn), 'urn', 'INVALID_URN', 'urn must be exactly 6 digits.')
    .check(isName(name), 'name', 'REQUIRED', 'name is required (at most 100 characters).')
    .check(ctx.programme.regions.includes(region), 'region', 'UNKNOWN_REGION', `region must be one of: ${ctx.programme.regions.join(', ')}.`)
    .cohort(cohort, ctx.today)
    .result();
  if (invalid) return invalid;

  const partner = ctx.programme.deliveryPartners.find((candidate) => candidate.id === deliveryPartnerId);
  if (!partner) {
    return new DomainError('DELIVERY_PARTNER_UNKNOWN', `No delivery partner has the id ${deliveryPartnerId}.`, {
      fields: [{ field: 'deliveryPartnerId', code: 'UNKNOWN_DELIVERY_PARTNER', message: 'Unknown delivery partner.' }],
    });
  }
  if (!partner.regions.includes(region)) {
    return new DomainError('REGION_NOT_COVERED', `${partner.name} does not cover the ${region} region.`, {
      rule: 'A school partners with a delivery partner that covers its region.',
      nextStep: 'Choose a delivery partner that covers the region; a school no delivery partner covers must work with another lead provider.',
    });
  }

  const existing = state.partnerships[cohort];
  if (existing === deliveryPartnerId) return [];
  if (existing !== undefined) {
    return new DomainError('PARTNERSHIP_ALREADY_EXISTS', `School ${urn} already has a partnership for the ${cohort} cohort with ${existing}.`, {
      rule: 'A school has one delivery partner per cohort year.',
      context: { deliveryPartnerId: existing },
    });
  }
  return [{ type: 'SchoolPartnershipRegistered', data: { urn, name: name.trim(), region, deliveryPartnerId, cohort } }];
}

export const schoolDecider: Decider<SchoolState, SchoolCommand, SchoolEvent> = {
  initialState: initialSchoolState,
  evolve: evolveSchool,
  decide(command, state, ctx) {
    switch (command.type) {
      case 'RegisterSchoolPartnership':
        return registerPartnership(command, state, ctx);
    }
  },
};
